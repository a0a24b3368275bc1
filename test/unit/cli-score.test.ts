import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const BIN = path.resolve(__dirname, '../../bin/xalign.cjs');
const dir = mkdtempSync(path.join(os.tmpdir(), 'xalign-score-'));
function file(name: string, lines: string[]): string {
  const f = path.join(dir, name);
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}
function xalign(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const hyp = file('hyp.txt', ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.']);
const ref1 = file('ref1.txt', ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.']);
const ref2 = file('ref2.txt', ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.']);

test('score bleu --json: sacrebleu\'s number and signature, two references', () => {
  const r = xalign(['score', 'bleu', '--hyp', hyp, '--ref', ref1, '--ref', ref2, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  assert.equal(v.metric, 'BLEU');
  assert.equal(v.score.toFixed(2), '48.53');
  assert.match(v.signature, /^nrefs:2\|case:mixed\|eff:no\|tok:13a\|smooth:exp\|version:/);
  const t = xalign(['score', 'bleu', '--hyp', hyp, '--ref', ref1, '--ref', ref2, '--tokenize', 'intl']);
  assert.match(t.stdout, /^BLEU\|nrefs:2\|case:mixed\|eff:no\|tok:intl\|smooth:exp\|version:\S+ = 43\.92 /);
});

test('score chrf, chrf++, rouge, em, contains', () => {
  const chrf = JSON.parse(xalign(['score', 'chrf', '--hyp', hyp, '--ref', ref1, '--json']).stdout);
  assert.equal(chrf.metric, 'chrF2');
  const pp = JSON.parse(xalign(['score', 'chrf++', '--hyp', hyp, '--ref', ref1, '--json']).stdout);
  assert.equal(pp.metric, 'chrF2++');
  const rouge = JSON.parse(xalign(['score', 'rouge', '--hyp', hyp, '--ref', ref1, '--json']).stdout);
  for (const k of ['rouge1', 'rouge2', 'rougeL']) assert.ok(rouge[k] > 0 && rouge[k] <= 100, k);
  assert.equal(rouge.metric, 'ROUGE');
  const zh = file('zh.txt', ['我爱北京']);
  const zhRef = file('zhref.txt', ['我爱上海']);
  assert.equal(JSON.parse(xalign(['score', 'rouge', '--hyp', zh, '--ref', zhRef, '--json']).stdout).rouge1, 0);
  assert.equal(JSON.parse(xalign(['score', 'rouge', '--hyp', zh, '--ref', zhRef, '--lang', 'zh', '--json']).stdout).rouge1, 50);
  const ans = file('ans.txt', ['The answer is Paris.', 'Paris', 'Lyon']);
  const gold = file('gold.txt', ['Paris', 'Paris', 'Paris']);
  const em = JSON.parse(xalign(['score', 'em', '--hyp', ans, '--ref', gold, '--json']).stdout);
  assert.equal(em.correct, 1);
  const cont = xalign(['score', 'contains', '--hyp', ans, '--ref', gold]);
  assert.match(cont.stdout, /= 66\.67 \(2\/3\)/);
});

test('score comet --scores reads per-segment scores computed elsewhere', () => {
  const s = file('comet.json', [JSON.stringify([0.8, 0.9, 0.7])]);
  const v = JSON.parse(xalign(['score', 'comet', '--scores', s, '--json']).stdout);
  assert.ok(Math.abs(v.score - 0.8) < 1e-12);
});

test('score: mismatched line counts name both files and counts; bad flags are usage errors', () => {
  const short = file('short.txt', ['only one line']);
  const r = xalign(['score', 'bleu', '--hyp', hyp, '--ref', short, '--json']);
  assert.equal(r.code, 1);
  assert.match(JSON.parse(r.stdout).error.message, /hyp\.txt has 3 lines, .*short\.txt has 1/);
  assert.equal(xalign(['score', 'bleu', '--hyp', hyp, '--ref', ref1, '--tokenize', 'moses']).code, 2);
  assert.equal(xalign(['score', 'meteor', '--hyp', hyp, '--ref', ref1]).code, 2);
  assert.equal(xalign(['score', 'bleu', '--hyp', hyp]).code, 2);
  assert.equal(xalign(['score', 'bleu', '--hyp', path.join(dir, 'missing.txt'), '--ref', ref1]).code, 2);
});

test('significance --json: p-value and 95% CIs for both systems', () => {
  const refs = Array.from({ length: 40 }, (_, i) => `the cat number ${i} sat on the red mat today`);
  const r = file('sig-ref.txt', refs);
  const a = file('sig-a.txt', refs.map((x, i) => (i % 3 === 0 ? x : `a dog ${i} stood near some mat`)));
  const b = file('sig-b.txt', refs);
  const out = xalign(['significance', '--metric', 'bleu', '--hyp-a', a, '--hyp-b', b, '--ref', r, '--json']);
  assert.equal(out.code, 0, out.stderr);
  const v = JSON.parse(out.stdout);
  assert.equal(v.test, 'paired-bootstrap');
  assert.equal(v.samples, 1000);
  assert.ok(v.pValue < 0.05);
  assert.ok(v.a.lower <= v.a.score && v.a.score <= v.a.upper);
  const ar = xalign(['significance', '--metric', 'chrf', '--hyp-a', a, '--hyp-b', b, '--ref', r, '--test', 'ar', '--samples', '500']);
  assert.match(ar.stdout, /approximate randomisation, 500 trials/);
  assert.match(ar.stdout, /significant at p < 0.05/);
  assert.equal(xalign(['significance', '--metric', 'bleu', '--hyp-a', a, '--ref', r]).code, 2);
  assert.equal(xalign(['significance', '--metric', 'nope', '--hyp-a', a, '--hyp-b', b, '--ref', r]).code, 2);
});
