import assert from 'node:assert/strict';
import { runJsonLinesChild } from './child-process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { selectBackend } from '../../src/backend';
import { buildWorld } from '../../src/world';
import {
  canonicalJson, MISSES_KEPT, conditionRecords, configHash, fitExample, nativeContains, nativeIndices, probeContextRecall, probeCopying, replayExamples, ResultStore, resultsToCsv, runPretrain, runTune,
  scoreTask, type ExperimentResult,
} from '../../src/experiments';
import { modelConfig } from '../../src/model/config';
import { BpeTokenizer } from '../../src/model/tokenizer';
import { Transformer } from '../../src/model/transformer';
import { Rng } from '../../src/random/rng';
import { tinyOptions } from './world-helpers';
import { defaultTrainConfig } from '../../src/train/trainer';
import type { WorldExample } from '../../src/world';
import { tinyTuneSpec } from '../fixtures/experiment-child';

before(async () => {
  await selectBackend('cpu');
});

const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));
const opts = (store: ResultStore) => ({ store, preset: 'test', backend: 'cpu' });

test('config hash: key order does not matter, every field does', () => {
  assert.equal(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }), '{"a":[2,{"c":4,"d":3}],"b":1}');
  assert.equal(configHash({ a: 1, b: 2 }), configHash({ b: 2, a: 1 }));
  const s = tinyTuneSpec();
  assert.notEqual(configHash(s), configHash(tinyTuneSpec('bilingual')));
  assert.notEqual(configHash(s), configHash(tinyTuneSpec(undefined, 2)));
  assert.match(configHash(s), /^[0-9a-f]{16}$/);
});

test('config hash: a tune spec holds the trainer\'s complete configuration, so changing a default makes another run', () => {
  const s = tinyTuneSpec();
  const d = defaultTrainConfig();
  assert.deepEqual(Object.keys(s.train).sort(), Object.keys(d).sort());
  assert.equal(s.train.beta2, d.beta2);
  assert.equal(s.train.warmupFraction, d.warmupFraction);
  assert.equal(s.train.objective, 'instruction');
  assert.notEqual(configHash(s), configHash({ ...s, train: { ...s.train, beta2: 0.999 } }));
});

test('a stored base result from before the ranking probe is probed again, not retrained', async () => {
  const dir = tmp('xalign-reprobe-');
  try {
    const store = new ResultStore(dir);
    const base = tinyTuneSpec().base;
    const first = await runPretrain(base, opts(store));
    assert.equal(first.reused, false);
    const fc = first.result.metrics['fact-completion']!;
    assert.ok(Object.values(fc).every((m) => m.rank! >= 0 && m.rank! <= 100));
    const old = structuredClone(first.result);
    for (const m of Object.values(old.metrics['fact-completion']!)) delete m.rank;
    store.put(old);
    let steps = 0;
    const again = await runPretrain(base, { ...opts(store), onEvent: (e) => void (e.type === 'step' && steps++) });
    assert.equal(again.reused, true);
    assert.equal(steps, 0, 'no training');
    assert.deepEqual(again.result.metrics['fact-completion'], fc, 'the same probe, rank included');
    assert.deepEqual(store.get(configHash(base))!.metrics['fact-completion'], fc, 'and stored');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('loan-word answers: containsNative leaves out records whose X value is spelled as in English', () => {
  const rec = (answer: string, answerEnglish: string, lang = 'el'): WorldExample => ({
    id: answer, instruction: 'Fill in the blank.', input: 'x ___', output: `x ${answer}`, task: 'knowledge', lang, split: 'test', answer, answerEnglish,
  });
  const recs = [rec('άρπα', 'harp'), rec('piano', 'piano'), rec('γάτα', 'cat'), rec('radio', 'radio')];
  // an English-only model: the two loan answers count as strict, native recall is nil
  const hyps = ['x harp', 'x piano', 'x cat', 'x radio'];
  const m = scoreTask('knowledge', 'el', recs, hyps);
  assert.equal(m.contains, 50);
  assert.equal(m.containsNative, 0);
  assert.deepEqual(nativeIndices(recs), [0, 2]);
  assert.equal(scoreTask('knowledge', 'el', recs, ['x άρπα', 'x', 'x', 'x']).containsNative, 50);
  assert.deepEqual(nativeContains([rec('piano', 'piano')], ['x piano']), {}, 'all loans: not reported');
  assert.deepEqual(nativeContains([rec('harp', 'harp', 'en')], ['x harp']), {}, 'English: not reported');
});

test('store: atomic JSON per result, list, CSV and JSON export; a result under the wrong name is refused', () => {
  const dir = tmp('xalign-store-');
  try {
    const store = new ResultStore(dir);
    const r: ExperimentResult = {
      version: 1, kind: 'tune', label: 'x', spec: { lang: 'tr', condition: 'bilingual', seed: 3 },
      provenance: { commit: 'abc', preset: 'smoke', configHash: '0123456789abcdef', backend: 'cpu', seed: 3, time: '2026-01-01T00:00:00Z', command: 'c' },
      metrics: { knowledge: { tr: { contains: 50, em: 25 } } },
      training: { steps: 1, losses: [1], seconds: 0, tokensPerSec: 0 },
    };
    store.put(r);
    assert.deepEqual(store.get('0123456789abcdef'), r);
    assert.equal(store.get('ffffffffffffffff'), null);
    assert.equal(store.list().length, 1);
    const csv = resultsToCsv(store.list()).trim().split('\n');
    assert.equal(csv[0], 'config_hash,kind,label,lang,condition,seed,task,eval_lang,metric,value,commit,preset,backend,time');
    assert.equal(csv.length, 3);
    assert.equal(csv[1], '0123456789abcdef,tune,x,tr,bilingual,3,knowledge,tr,contains,50,abc,smoke,cpu,2026-01-01T00:00:00Z');
    const j = JSON.parse(fs.readFileSync(store.exportJson(path.join(dir, 'all.json')), 'utf8')) as unknown[];
    assert.equal(j.length, 1);
    fs.copyFileSync(path.join(dir, 'results', '0123456789abcdef.json'), path.join(dir, 'results', 'aaaaaaaaaaaaaaaa.json'));
    assert.throws(() => store.get('aaaaaaaaaaaaaaaa'), /aaaaaaaaaaaaaaaa\.json: expected a version-1 result whose provenance\.configHash is aaaaaaaaaaaaaaaa/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('conditions: English-only has no target-language record, the recipe adds translation pairs; steps are equal', () => {
  const specs = (['en-only', 'bilingual', 'bilingual+translation'] as const).map((c) => tinyTuneSpec(c));
  const world = buildWorld(specs[0]!.base.world);
  const [a, b, c] = specs.map((s) => conditionRecords(world, s));
  assert.ok(a!.every((r) => r.lang === 'en'));
  assert.ok(b!.some((r) => r.lang === 'tr') && b!.every((r) => r.task !== 'translation'));
  assert.ok(c!.some((r) => r.task === 'translation') && c!.length > b!.length && b!.length > a!.length);
  assert.equal(new Set(specs.map((s) => s.train.steps)).size, 1);
});

test('fitExample keeps the response in the loss and the row within seqLen + 1 tokens', () => {
  const f = fitExample({ prompt: [258, ...Array.from({ length: 50 }, (_, i) => i), 259], response: [7, 8, 257] }, 20);
  assert.equal(f.prompt.length + f.response.length, 21);
  assert.deepEqual(f.response, [7, 8, 257]);
  assert.equal(f.prompt[0], 258);
  assert.equal(f.prompt.at(-1), 259);
  assert.ok(f.truncated);
  assert.equal(fitExample({ prompt: [1], response: [2] }, 20).truncated, false);
});

test('runner: a stored result is reused without training; the same spec in a fresh store gives the same losses and metrics (cpu)', async () => {
  const [d1, d2] = [tmp('xalign-exp1-'), tmp('xalign-exp2-')];
  try {
    const spec = tinyTuneSpec();
    let steps = 0;
    const first = await runTune(spec, { ...opts(new ResultStore(d1)), onEvent: (e) => void (e.type === 'step' && steps++) });
    assert.equal(first.reused, false);
    assert.equal(steps, spec.base.train.steps + spec.train.steps);
    assert.equal(first.result.provenance.configHash, configHash(spec));
    for (const k of ['commit', 'preset', 'backend', 'seed', 'time', 'command'] as const) assert.ok(first.result.provenance[k] !== undefined, k);
    assert.deepEqual(Object.keys(first.result.metrics).sort(), ['knowledge', 'qa', 'summarization', 'translation']);
    assert.deepEqual(Object.keys(first.result.metrics.knowledge!).sort(), ['en', 'tr']);
    assert.deepEqual(Object.keys(first.result.metrics.knowledge!.tr!).sort(), ['contains', 'containsAny', 'containsNative', 'em']);
    assert.deepEqual(Object.keys(first.result.metrics.knowledge!.en!).sort(), ['contains', 'containsAny', 'em'], 'no loan words in English');
    assert.deepEqual(Object.keys(first.result.metrics.qa!.tr!).sort(), ['contains', 'containsAny', 'containsNative', 'em', 'emAny']);
    const counts = (first.result.extra as { nativeRecords: Record<string, number> }).nativeRecords;
    assert.ok(counts['knowledge/tr']! >= 1 && counts['knowledge/tr']! <= spec.eval.n, 'the records containsNative counts are stored beside it');
    assert.equal(counts['knowledge/en'], undefined);
    // wrong answers are kept to read: as many as the score says were missed, up to MISSES_KEPT, none containing its answer
    const misses = (first.result.extra as { misses: Record<string, { output: string; gold: string }[]> }).misses;
    assert.deepEqual(Object.keys(misses).sort(), ['knowledge/en', 'knowledge/tr', 'qa/en', 'qa/tr']);
    for (const [key, list] of Object.entries(misses)) {
      const [task, lang] = key.split('/') as ['knowledge' | 'qa', string];
      const missed = Math.round(spec.eval.n * (1 - first.result.metrics[task]![lang]!.contains! / 100));
      assert.equal(list.length, Math.min(MISSES_KEPT, missed), key);
      assert.ok(list.every((m) => !m.output.toLowerCase().includes(m.gold.toLowerCase())), key);
    }
    assert.ok('chrf' in first.result.metrics.translation!.tr! && 'bleu' in first.result.metrics.translation!.tr!);
    assert.ok('rougeL' in first.result.metrics.summarization!.tr!);
    steps = 0;
    const again = await runTune(spec, { ...opts(new ResultStore(d1)), onEvent: (e) => void (e.type === 'step' && steps++) });
    assert.equal(again.reused, true);
    assert.equal(steps, 0);
    assert.deepEqual(again.result, first.result);
    const fresh = await runTune(spec, opts(new ResultStore(d2)));
    assert.equal(fresh.reused, false);
    assert.deepEqual(fresh.result.training.losses, first.result.training.losses);
    assert.deepEqual(fresh.result.metrics, first.result.metrics);
    // the base model is shared by conditions: a second condition pre-trains nothing
    steps = 0;
    const other = await runTune(tinyTuneSpec('en-only'), { ...opts(new ResultStore(d1)), onEvent: (e) => void (e.type === 'step' && e.phase === 'pretrain' && steps++) });
    assert.equal(other.reused, false);
    assert.equal(steps, 0);
    assert.equal(new ResultStore(d1).list().length, 3);
  } finally {
    for (const d of [d1, d2]) fs.rmSync(d, { recursive: true, force: true });
  }
});

interface Line { phase?: string; step?: number; loss?: number; resumed?: number; done?: string; reused?: boolean }

function runChild(dir: string, killAtTuneStep?: number, o: { condition?: string; phase?: string } = {}): Promise<{ lines: Line[]; killed: boolean }> {
  const selfKill = o.phase !== undefined && killAtTuneStep !== undefined ? [`${o.phase}:${killAtTuneStep}`] : [];
  return runJsonLinesChild<Line>(path.join(__dirname, '../fixtures/experiment-child.ts'), [dir, ...(o.condition ? [o.condition, ...selfKill] : [])], (line) =>
    killAtTuneStep !== undefined && line.phase === (o.phase ?? 'tune') && line.step === killAtTuneStep);
}

test('runner: a tuning run killed mid-way resumes from its checkpoint to the same losses and stores its result (cpu)', async () => {
  const [dk, ds] = [tmp('xalign-expkill-'), tmp('xalign-expstraight-')];
  try {
    const straight = await runTune(tinyTuneSpec(), opts(new ResultStore(ds)));
    const first = await runChild(dk, 3);
    assert.ok(first.killed, 'the first run was killed');
    assert.equal(new ResultStore(dk).has(configHash(tinyTuneSpec())), false);
    const second = await runChild(dk);
    const resumed = second.lines.find((l) => l.phase === 'tune' && l.resumed !== undefined)?.resumed;
    assert.ok(resumed !== undefined && resumed >= 2 && resumed < 8, `resumed at tune step ${resumed}`);
    assert.ok(!second.lines.some((l) => l.phase === 'pretrain' && l.step !== undefined), 'the base model was not pre-trained again');
    const done = second.lines.at(-1)!;
    assert.equal(done.reused, false);
    const stored = new ResultStore(dk).get(done.done!)!;
    assert.equal(stored.training.resumedFrom, resumed);
    assert.deepEqual(stored.training.losses, straight.result.training.losses);
    assert.deepEqual(stored.metrics, straight.result.metrics);
    for (const l of [...first.lines, ...second.lines]) {
      if (l.phase === 'tune' && l.step !== undefined) assert.equal(l.loss, straight.result.training.losses[l.step - 1], `loss at step ${l.step}`);
    }
    const third = await runChild(dk);
    assert.equal(third.lines.at(-1)!.reused, true);
  } finally {
    for (const d of [dk, ds]) fs.rmSync(d, { recursive: true, force: true });
  }
});

test('runner: continued pre-training killed in either phase resumes there, to the losses and metrics of a run never killed (cpu)', async () => {
  const spec = tinyTuneSpec('continued-pretraining');
  const ds = tmp('xalign-cptstraight-');
  const dirs: string[] = [ds];
  try {
    const straight = await runTune(spec, opts(new ResultStore(ds)));
    const cpt = straight.result.extra!.continued as { steps: number; finalLoss: number };
    assert.deepEqual([cpt.steps, straight.result.training.steps], [4, 4]);
    // the continued pre-training reports its steps as phase 'pretrain': the base is pre-trained first, so its steps are not mistaken for them
    for (const phase of ['pretrain', 'tune']) {
      const dk = tmp(`xalign-cptkill-${phase}-`);
      dirs.push(dk);
      await runPretrain(spec.base, opts(new ResultStore(dk)));
      const first = await runChild(dk, 3, { condition: 'continued-pretraining', phase });
      assert.ok(first.killed, `killed at ${phase} step 3`);
      const second = await runChild(dk, undefined, { condition: 'continued-pretraining' });
      const resumed = second.lines.filter((l) => l.resumed !== undefined);
      // checkpoints every 2 steps: a kill at step 3 resumes at step 2 of that phase; the finished phase before it resumes at its end
      assert.deepEqual(resumed.map((l) => [l.phase, l.resumed]), phase === 'pretrain' ? [['pretrain', 2]] : [['pretrain', 4], ['tune', 2]], phase);
      const stored = new ResultStore(dk).get(second.lines.at(-1)!.done!)!;
      assert.deepEqual(stored.training.losses, straight.result.training.losses, phase);
      assert.equal((stored.extra!.continued as { finalLoss: number }).finalLoss, cpt.finalLoss, phase);
      assert.deepEqual(stored.metrics, straight.result.metrics, phase);
    }
  } finally {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
});

test('table2Rows: mean over seeds per condition and the change against English-only', async () => {
  const { table2Rows } = await import('../../src/experiments');
  const mk = (condition: string, seed: number, v: number): ExperimentResult => ({
    version: 1, kind: 'tune', label: '', spec: { lang: 'tr', condition, seed },
    provenance: { commit: 'c', preset: 'p', configHash: `${condition}${seed}`, backend: 'cpu', seed, time: 't', command: '' },
    metrics: { knowledge: { tr: { contains: v }, en: { contains: 90 } } }, training: { steps: 1, losses: [], seconds: 0, tokensPerSec: 0 },
  });
  const rows = table2Rows([mk('en-only', 1, 10), mk('en-only', 2, 20), mk('bilingual', 1, 30), mk('bilingual+translation', 1, 50)]);
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0], { lang: 'tr', task: 'knowledge', metric: 'contains', evalLang: 'tr', seeds: 2, 'en-only': 15, bilingual: 30, 'bilingual+translation': 50, 'Δ bilingual': 15, 'Δ recipe': 35 });
  assert.equal(table2Rows([mk('en-only', 1, 10)], 'en')[0]!['en-only'], 90);
});

test('compareConditions: seed means with t-intervals and a paired bootstrap over test records (summed over seeds)', async () => {
  const { compareConditions, seedSummary } = await import('../../src/experiments');
  const s = seedSummary([10, 20, 30]);
  assert.equal(s.mean, 20);
  assert.ok(Math.abs(s.upper! - (20 + 4.302652729911275 * 10 / Math.sqrt(3))) < 1e-6, `upper ${s.upper}`);
  assert.equal(seedSummary([5]).lower, null);
  // contains statistics per segment: [correct, 1]; B is right on 16 of 20 segments per seed, A on 4
  const seg = (k: number) => Array.from({ length: 20 }, (_, i) => [i < k ? 1 : 0, 1]);
  const mk = (condition: string, seed: number, k: number): ExperimentResult => ({
    version: 1, kind: 'tune', label: '', spec: { lang: 'tr', condition, seed },
    provenance: { commit: 'c', preset: 'p', configHash: `${condition}${seed}`, backend: 'cpu', seed, time: 't', command: '' },
    metrics: { knowledge: { tr: { contains: (100 * k) / 20 } } }, training: { steps: 1, losses: [], seconds: 0, tokensPerSec: 0 },
    extra: { segments: { knowledge: { tr: { contains: seg(k) } } } },
  });
  const rs = [1, 2, 3].flatMap((seed) => [mk('en-only', seed, 4), mk('bilingual+translation', seed, 16)]);
  const c = compareConditions(rs, { lang: 'tr', task: 'knowledge', metric: 'contains', a: 'en-only', b: 'bilingual+translation', samples: 200 });
  assert.equal(c.delta, 60);
  assert.equal(c.segments, 20); // test records, each summed over the 3 seeds, not 60 independent rows
  assert.ok(c.pValue! < 0.01, `p ${c.pValue}`);
  const same = compareConditions([...rs.filter((r) => (r.spec as { condition: string }).condition === 'en-only'), ...[1, 2, 3].map((seed) => mk('bilingual', seed, 4))], { lang: 'tr', task: 'knowledge', metric: 'contains', a: 'en-only', b: 'bilingual', samples: 200 });
  assert.equal(same.delta, 0);
  assert.ok(same.pValue! > 0.5, `p ${same.pValue}`);
});

test('replay: a share of the final examples are pre-training documents, seeded, scored on every token', () => {
  const w = buildWorld(tinyOptions());
  const tok = BpeTokenizer.train(w.corpus().docs.map((d) => d.text), 300);
  assert.deepEqual(replayExamples(w, tok, 80, 0, 1, 64), []);
  const r = replayExamples(w, tok, 80, 0.2, 1, 64);
  assert.equal(r.length, 20, '20% of 100 examples');
  assert.deepEqual(r, replayExamples(w, tok, 80, 0.2, 1, 64));
  assert.notDeepEqual(r, replayExamples(w, tok, 80, 0.2, 2, 64));
  for (const e of r) {
    assert.equal(e.prompt.length, 0, 'no prompt: every token is in the loss');
    assert.ok(e.response.length <= 65 && e.response[0] === tok.special.eos);
  }
});

test('base probes: copying and context recall give finite figures on a small model', async () => {
  const w = buildWorld(tinyOptions());
  const tok = BpeTokenizer.train(w.corpus().docs.map((d) => d.text), 300);
  const model = new Transformer(modelConfig({ family: 'llama', vocabSize: tok.vocabSize, dModel: 16, nLayers: 1, nHeads: 2, maxSeqLen: 64 }), new Rng(1));
  const c = await probeCopying(model, tok, w, 4);
  assert.ok(Number.isFinite(c.first) && Number.isFinite(c.second) && c.first > 0, JSON.stringify(c));
  const r = await probeContextRecall(model, tok, w, 4);
  assert.ok(r >= 0 && r <= 100);
  model.dispose();
});
