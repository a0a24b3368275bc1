import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { codeSwitchFigure, codeSwitchRows, codeSwitchSummary, type ExperimentResult, readCodeSwitchCsv } from '../../src/experiments';

const ROOT = path.join(__dirname, '../..');

test('code-switching: the design study\'s file reads back with both shares, every condition and its provenance lines skipped', () => {
  const rows = readCodeSwitchCsv(path.join(ROOT, 'data/recorded/ablations/design-study-code-switching.csv'));
  assert.deepEqual([...new Set(rows.map((r) => r.share))].sort(), [0, 0.3]);
  assert.equal(rows.length, 6);
  const off = rows.find((r) => r.share === 0 && r.condition === 'bilingual+translation')!;
  assert.deepEqual([off.probeAny, off.gamma, off.translationChrf, off.seeds], [20, 0.521, 18.8, 3]);
  const lines = codeSwitchSummary(rows);
  assert.equal(lines.length, 2);
  assert.match(lines[1]!, /^share 0 \(design study\): the base completes 20% of held-out el facts in any language \(gamma 0\.521\); after tuning, knowledge in el \(any language\) en-only 4\.2%, bilingual 2\.5%, bilingual\+translation 3\.3%$/);
  const fig = codeSwitchFigure(rows, 'knowledgeContainsAny', 't');
  assert.deepEqual(fig.data.map((d) => (d as { y: number[] }).y), [[5.8, 4.2], [2.5, 2.5], [1.7, 3.3]]);
  // a score not measured is a gap, not a zero
  const gap = codeSwitchFigure(rows.filter((r) => !(r.share === 0 && r.condition === 'bilingual')), 'knowledgeContainsAny', 't');
  assert.ok(Number.isNaN((gap.data[1] as { y: number[] }).y[1]));
});

test('code-switching: a malformed file is refused with its file, line and column', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-cs-'));
  try {
    const f = path.join(dir, 'cs.csv');
    const header = 'share,source,lang,baseFinalLoss,probeStrict,probeAny,probeRank,gamma,condition,seeds,translationChrf,knowledgeContains,knowledgeContainsAny,qaContains,summarizationRougeL,knowledgeEnContains';
    fs.writeFileSync(f, `# note\n${header}\n0.3,s,el,,,,,,en-only,3,4,x,,,,\n`);
    assert.throws(() => readCodeSwitchCsv(f), new RegExp(`${f.replace(/[.]/g, '\\.')}:3: column "knowledgeContains" is not a number: "x"`));
    fs.writeFileSync(f, `${header}\n0.3,s,el\n`);
    assert.throws(() => readCodeSwitchCsv(f), /cs\.csv:2: 3 fields, the header has 16/);
    fs.writeFileSync(f, 'share,source\n');
    assert.throws(() => readCodeSwitchCsv(f), /cs\.csv:1: header lacks column\(s\) lang, baseFinalLoss/);
    fs.writeFileSync(f, '# only a comment\n');
    assert.throws(() => readCodeSwitchCsv(f), /cs\.csv: no header line/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('code-switching: a grid\'s rows are means over seeds per condition; the base gives its probe and, trained in a store, its last loss', () => {
  const tune = (condition: string, seed: number, know: number): ExperimentResult => ({
    version: 1, kind: 'tune', label: '', spec: { lang: 'el', condition, seed },
    provenance: { commit: 'c', preset: 'p', configHash: `${condition}${seed}`, backend: 'cpu', seed, time: 't', command: '' },
    metrics: { knowledge: { el: { contains: know, containsAny: know + 1 }, en: { contains: 50 } }, translation: { el: { chrf: 10 } } },
    training: { steps: 1, losses: [], seconds: 0, tokensPerSec: 0 },
  });
  const base: ExperimentResult = {
    version: 1, kind: 'pretrain', label: '', spec: {}, provenance: { commit: 'c', preset: 'p', configHash: 'b', backend: 'cpu', seed: 1, time: 't', command: '' },
    metrics: { 'fact-completion': { el: { contains: 10, containsAny: 40, rank: 30 } } }, training: { steps: 3, losses: [3, 2, 1], seconds: 0, tokensPerSec: 0 },
  };
  // a seed listed twice counts once (its first result)
  const rows = codeSwitchRows([tune('en-only', 1, 0), tune('en-only', 2, 10), tune('bilingual', 1, 4), tune('en-only', 1, 99)], { share: 0.6, source: 'r', lang: 'el', base, gamma: 0.6 });
  assert.deepEqual(rows.map((r) => [r.condition, r.seeds, r.knowledgeContains, r.knowledgeContainsAny, r.knowledgeEnContains, r.qaContains]), [['en-only', 2, 5, 6, 50, null], ['bilingual', 1, 4, 5, 50, null]]);
  assert.deepEqual([rows[0]!.probeAny, rows[0]!.baseFinalLoss, rows[0]!.gamma], [40, 1, 0.6]);
  // a committed base keeps only its first losses: no final loss unless given
  const committed = { ...base, training: { ...base.training, steps: 1100 } };
  assert.equal(codeSwitchRows([tune('en-only', 1, 0)], { share: 0.3, source: 'l', lang: 'el', base: committed })[0]!.baseFinalLoss, null);
  assert.equal(codeSwitchRows([tune('en-only', 1, 0)], { share: 0.3, source: 'l', lang: 'el', base: committed, finalLoss: 0.681 })[0]!.baseFinalLoss, 0.681);
});
