import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { selectBackend } from '../../src/backend';
import { parseOverrides, resolvePreset } from '../../src/config/presets';
import {
  comparisonVerdict, configHash, type ConditionComparison, modelSimilarity, pairsToReach, pointsCsv, ResultStore, runTunePool,
  scalingEvidence, scalingPoints, scalingSpecs, scalingVerdict, similarityEvidence, similarityProbe, similarityVerdict, spearman,
  poolProcesses, tuneCommand, tuneSpecFromSettings, type ExperimentResult, analyseLab, readRecordedRun, splitLabResults, labPlan, targetPairs, runLab, runLabel, recordedRunDirs, recordedRunHeader, recordedSettings,
} from '../../src/experiments';
import { modelConfig } from '../../src/model/config';
import { BpeTokenizer } from '../../src/model/tokenizer';
import { Transformer } from '../../src/model/transformer';
import { Rng } from '../../src/random/rng';
import { parsePointsCsv } from '../../src/scaling/points-csv';
import { buildWorld } from '../../src/world';
import { tinyTuneSpec } from '../fixtures/experiment-child';

before(async () => {
  await selectBackend('cpu');
});

const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));

test('settings: int[] lists parse from --set with "+" and are checked', () => {
  assert.deepEqual(parseOverrides('scalingPairs=10+30+100').scalingPairs, [10, 30, 100]);
  assert.throws(() => parseOverrides('scalingPairs=10+x'), /setting "scalingPairs" must be int\[\]/);
  assert.throws(() => parseOverrides('scalingPairs=0+5'), /scalingPairs/);
  assert.throws(() => resolvePreset('smoke', { scalingPairs: [1.5] }), /scalingPairs/);
});

test('scaling specs differ only in the pairs; translation pools are nested; the command names --pairs', () => {
  const s = resolvePreset('smoke').settings;
  const specs = scalingSpecs(s, ['tr'], [20, 50]);
  assert.equal(specs.length, 2);
  const strip = (x: (typeof specs)[number]) => JSON.stringify({ ...x, data: { ...x.data, translation: {} } });
  assert.equal(strip(specs[0]!), strip(specs[1]!));
  assert.notEqual(configHash(specs[0]!), configHash(specs[1]!));
  // the other conditions do not depend on the pair count at all
  assert.equal(configHash(tuneSpecFromSettings(s, { lang: 'tr', condition: 'bilingual', translationPairs: 20 })), configHash(tuneSpecFromSettings(s, { lang: 'tr', condition: 'bilingual', translationPairs: 50 })));
  const world = buildWorld(specs[0]!.base.world);
  const small = world.examples('translation', 'tr', 'train', 20).map((r) => r.input);
  const large = world.examples('translation', 'tr', 'train', 50).map((r) => r.input);
  assert.deepEqual(large.slice(0, 20), small);
  const preset = { name: 'smoke', settings: s, overridden: [] as string[] };
  assert.match(tuneCommand(preset, specs[0]!), /--condition bilingual\+translation --seed 1 --pairs 20$/);
  assert.doesNotMatch(tuneCommand(preset, tuneSpecFromSettings(s, { lang: 'tr', condition: 'bilingual+translation' })), /--pairs/);
  assert.match(tuneCommand({ ...preset, settings: { ...s, tuneSteps: 7 }, overridden: ['tuneSteps'] }, specs[0]!), /--preset smoke --set tuneSteps=7 --lang tr/);
});

test('scaling points: mean over runs at the same size, CSV that xalign fit reads back, provenance as comments', () => {
  const mk = (lang: string, pairs: number, seed: number, chrf: number): ExperimentResult => ({
    version: 1, kind: 'tune', label: 'x',
    spec: { kind: 'tune', version: 5, lang, condition: 'bilingual+translation', seed, data: { translation: { [lang]: pairs } } },
    provenance: { commit: 'c', preset: 'p', configHash: `${lang}${pairs}${seed}`, backend: 'cpu', seed, time: 't', command: 'c' },
    metrics: { translation: { [lang]: { chrf } } }, training: { steps: 1, losses: [1], seconds: 0, tokensPerSec: 0 },
  });
  const results = [mk('tr', 100, 1, 20), mk('tr', 100, 2, 30), mk('tr', 10, 1, 5), mk('zh', 10, 1, 7)];
  const pts = scalingPoints(results, { tr: 0.6, zh: 0.55 }, 'translation', 'chrf');
  assert.deepEqual(pts, [{ language: 'tr', gamma: 0.6, x: 10, score: 5 }, { language: 'tr', gamma: 0.6, x: 100, score: 25 }, { language: 'zh', gamma: 0.55, x: 10, score: 7 }]);
  const back = parsePointsCsv(pointsCsv(pts, ['made by a test', 'second line']), 'pts.csv');
  assert.deepEqual(back.map(({ language, gamma, x, score }) => ({ language, gamma, x, score })), pts);
  assert.throws(() => scalingPoints(results, { tr: 0.6 }, 'translation', 'chrf'), /no gamma for language "zh"/);
  assert.throws(() => scalingPoints(results, { tr: 0.6, zh: 0.5 }, 'translation', 'bleu'), /has no translation\/tr\/bleu/);
});

test('verdicts: Spearman, interpolated pairs to reach a score, and the rules of claims 1-4', () => {
  assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  assert.ok(Number.isNaN(spearman([1, 2, 3], [5, 5, 5])));
  const pts = (lang: string, gamma: number, scores: number[]) => scores.map((score, i) => ({ language: lang, gamma, x: 10 ** (i + 1), score }));
  assert.equal(pairsToReach(pts('a', 1, [10, 20, 30]), 20), 100);
  assert.ok(Math.abs(pairsToReach(pts('a', 1, [10, 20, 30]), 15) - 10 ** 1.5) < 1e-9);
  assert.equal(pairsToReach(pts('a', 1, [10, 20, 30]), 31), Infinity);
  // more similar (larger gamma) needs fewer pairs: negative correlation
  const ev = similarityEvidence([...pts('hi', 0.9, [20, 40, 50]), ...pts('mid', 0.7, [10, 30, 45]), ...pts('lo', 0.5, [5, 15, 40])]);
  assert.equal(ev.target, 40);
  assert.equal(ev.rho, -1);
  assert.equal(similarityVerdict(ev).verdict, 'partly'); // three languages: a direction only
  const cmp = (delta: number, p: number, seeds = 3): ConditionComparison => ({
    lang: 'x', task: 't', metric: 'm', evalLang: 'x', a: 'en-only', b: 'bilingual+translation', delta, pValue: p, segments: 10, pairedSeeds: seeds,
    seedsA: { seeds, mean: 0, lower: null, upper: null }, seedsB: { seeds, mean: delta, lower: null, upper: null },
  });
  assert.equal(comparisonVerdict(1, [cmp(5, 0.01), cmp(3, 0.02), cmp(1, 0.5)]).verdict, 'reproduced');
  assert.equal(comparisonVerdict(1, [cmp(5, 0.01), cmp(-3, 0.3), cmp(1, 0.5)]).verdict, 'partly');
  assert.equal(comparisonVerdict(1, [cmp(5, 0.01), cmp(-3, 0.01), cmp(-1, 0.01)]).verdict, 'not reproduced');
  assert.equal(comparisonVerdict(1, [cmp(5, 0.01, 2)]).verdict, 'not assessed');
  const rising = scalingEvidence('a', pts('a', 1, [10, 30, 40, 45, 47]), 0.95, { k: pts('a', 1, [1, 2, 3, 4, 5]) });
  assert.ok(rising.lowerGain > rising.upperGain);
  assert.equal(scalingVerdict([rising]).verdict, 'reproduced');
  assert.equal(scalingVerdict([{ ...rising, r2: 0.3 }]).verdict, 'partly');
  assert.equal(scalingVerdict([{ ...rising, translationRho: 0.2 }]).verdict, 'not reproduced');
});

test('gamma: the probe shares one name across sentences; a model gives one retrieval score per hidden state', async () => {
  const spec = tinyTuneSpec();
  const world = buildWorld(spec.base.world);
  const probe = similarityProbe(world, 'tr');
  assert.equal(probe.english.length, world.kb.options.relations.length * world.kb.options.valuesPerRelation);
  const name = probe.english[0]!.split(' ')[0]!;
  assert.ok(probe.english.every((e) => e.startsWith(`${name} `)) && probe.other.every((x) => x.includes(name)));
  assert.equal(new Set(probe.other).size, probe.other.length);
  const tok = BpeTokenizer.train([...probe.english, ...probe.other], 300);
  const model = new Transformer(modelConfig({ family: 'llama', dModel: 16, nLayers: 2, nHeads: 2, maxSeqLen: 64, vocabSize: tok.vocabSize }), new Rng(1).fork('init'));
  try {
    const sim = await modelSimilarity(model, tok, world, 'tr');
    assert.equal(sim.layers.length, 3);
    assert.equal(sim.gamma, sim.layers[2]!.similarity);
    assert.ok(sim.gamma > 0 && sim.gamma <= 1);
    assert.equal(sim.n, probe.english.length);
  } finally {
    model.dispose();
  }
});

test('pool: two worker processes, each taking several runs, give the results of one in-process run; a failing worker names its run', async () => {
  const [d1, d2] = [tmp('xalign-pool1-'), tmp('xalign-pool2-')];
  try {
    const specs = [tinyTuneSpec('en-only'), tinyTuneSpec('bilingual'), tinyTuneSpec('bilingual', 3), tinyTuneSpec('bilingual', 4)];
    const inProcess = await runTunePool(specs, { store: new ResultStore(d1), preset: 'test', backend: 'cpu', workers: 1 });
    const events: string[] = [];
    const pooled = await runTunePool(specs, { store: new ResultStore(d2), preset: 'test', backend: 'cpu', workers: 2, onProgress: (i, e) => events.push(`${i}:${e.type}`) });
    assert.equal(pooled.trained, 4);
    assert.ok([0, 1, 2, 3].every((i) => events.includes(`${i}:done`)) && events.some((e) => e.endsWith(':step')));
    // each run's events reach its own index: every run reports steps, none after it is done
    for (let i = 0; i < 4; i++) assert.ok(events.includes(`${i}:step`) && events.lastIndexOf(`${i}:step`) < events.indexOf(`${i}:done`), `run ${i}'s events`);
    for (let i = 0; i < 4; i++) {
      assert.deepEqual(pooled.results[i]!.training.losses, inProcess.results[i]!.training.losses);
      assert.deepEqual(pooled.results[i]!.metrics, inProcess.results[i]!.metrics);
    }
    const again = await runTunePool(specs, { store: new ResultStore(d2), preset: 'test', backend: 'cpu', workers: 2 });
    assert.equal(again.trained, 0);
    // a spec listed twice is trained once and reported in both places
    const twice = [tinyTuneSpec('bilingual', 5), tinyTuneSpec('en-only', 5), tinyTuneSpec('bilingual', 5)];
    const dup = await runTunePool(twice, { store: new ResultStore(d2), preset: 'test', backend: 'cpu', workers: 2 });
    assert.equal(dup.trained, 2);
    assert.equal(dup.results.length, 3);
    assert.deepEqual(dup.results[2], dup.results[0]);
    const bad = { ...tinyTuneSpec('bilingual', 7), eval: { ...tinyTuneSpec().eval, tasks: ['nonsense' as never] } };
    await assert.rejects(runTunePool([bad, tinyTuneSpec('bilingual', 8)], { store: new ResultStore(d2), preset: 'test', backend: 'cpu', workers: 2 }), /experiment worker for tr bilingual seed 7/);
  } finally {
    for (const d of [d1, d2]) fs.rmSync(d, { recursive: true, force: true });
  }
});

test('pool: one pool may mix model families; it asks for each spec\'s base folder', async () => {
  const d = tmp('xalign-pool-families-');
  try {
    const llama = tinyTuneSpec('en-only');
    const neox: typeof llama = { ...llama, base: { ...llama.base, model: { ...llama.base.model, family: 'neox' } } };
    const asked: string[] = [];
    const out = await runTunePool([llama, neox], {
      store: new ResultStore(d), preset: 'test', backend: 'cpu', workers: 2,
      baseDir: (spec) => void asked.push(spec.base.model.family),
    });
    assert.equal(out.trained, 2);
    // each family's folder is asked for (whether its base is ready, to make it, for its run)
    assert.deepEqual([...new Set(asked)].sort(), ['llama', 'neox']);
    assert.equal(asked.filter((f) => f === 'llama').length, asked.filter((f) => f === 'neox').length);
    assert.notEqual(out.results[0]!.extra!.baseConfigHash, out.results[1]!.extra!.baseConfigHash);
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});

test('pool: a base still to be made is made while the workers train runs of a ready base; a base that cannot be made fails the pool by its folder', async () => {
  const d = tmp('xalign-pool-bases-');
  const broken = tmp('xalign-pool-broken-');
  try {
    const store = new ResultStore(d);
    const llama = (seed: number) => tinyTuneSpec('en-only', seed);
    // a NeoX base pre-trained for more than one step, so the parent yields to the workers while making it
    const neox = (seed: number, steps = 40) => {
      const s = llama(seed);
      return { ...s, base: { ...s.base, model: { ...s.base.model, family: 'neox' as const }, train: { ...s.base.train, steps } } };
    };
    // the LLaMA base is made (and stored) first; the NeoX base is made during the next pool
    await runTunePool([llama(1)], { store, preset: 'test', backend: 'cpu', workers: 1 });
    // commandFor is asked as a run is handed to a worker: note whether the NeoX base existed then
    const handedOut: string[] = [];
    const specs = [llama(2), llama(3), neox(1)];
    const out = await runTunePool(specs, {
      store, preset: 'test', backend: 'cpu', workers: 2,
      commandFor: (spec) => {
        handedOut.push(`${spec.base.model.family} ${store.has(configHash(neox(1).base)) ? 'after' : 'before'} the NeoX base`);
        return 'test';
      },
    });
    assert.equal(out.trained, 3);
    assert.deepEqual(out.results.map((r) => r.spec.base.model.family), ['llama', 'llama', 'neox']);
    // both LLaMA runs went to the workers while the parent was still pre-training the NeoX base
    assert.deepEqual(handedOut, ['llama before the NeoX base', 'llama before the NeoX base', 'neox after the NeoX base']);
    // a base not in the store whose folder's manifest matches but holds no model: the pool fails naming the folder
    const other = neox(2, 5);
    fs.writeFileSync(path.join(broken, 'manifest.json'), JSON.stringify({ configHash: configHash(other.base) }));
    await assert.rejects(
      runTunePool([llama(4), other], { store, preset: 'test', backend: 'cpu', workers: 2, baseDir: (spec) => (spec.base.model.family === 'neox' ? broken : undefined) }),
      (err: Error) => err.message.includes(broken),
    );
  } finally {
    for (const x of [d, broken]) fs.rmSync(x, { recursive: true, force: true });
  }
});

test('a pool on webgpu trains in gpuWorkers processes (default 1: they share one GPU), on a CPU backend in workers, and says so', async () => {
  assert.equal(poolProcesses({ workers: 4, backend: 'wasm' }), 4);
  assert.equal(poolProcesses({ workers: 4, gpuWorkers: 3, backend: 'cpu' }), 4);
  assert.equal(poolProcesses({ workers: 8, backend: 'webgpu' }), 1);
  assert.equal(poolProcesses({ workers: 1, gpuWorkers: 3, backend: 'webgpu' }), 3);
  assert.throws(() => poolProcesses({ workers: 2, gpuWorkers: 0, backend: 'webgpu' }), /gpuWorkers must be a positive integer, got 0/);
  assert.throws(() => poolProcesses({ workers: 1.5, backend: 'wasm' }), /workers must be a positive integer, got 1.5/);
  const dir = tmp('xalign-gpu-pool-');
  try {
    const lines: string[] = [];
    const out = await runTunePool([], { store: new ResultStore(dir), preset: 'test', backend: 'webgpu', workers: 8, log: (l) => lines.push(l) });
    assert.equal(out.results.length, 0);
    assert.deepEqual(lines, ['1 process on the GPU (gpuWorkers), in place of 8 (workers)']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('recorded run: read back from its folder, split into grid and series, analysed like a live one', async () => {
  const dir = tmp('xalign-recorded-');
  try {
    const store = new ResultStore(dir);
    const grid = (['en-only', 'bilingual', 'bilingual+translation'] as const).map((c) => tinyTuneSpec(c));
    const series = [3, 12].map((pairs) => ({ ...tinyTuneSpec(), data: { ...tinyTuneSpec().data, translation: { tr: pairs } } }));
    const out = await runTunePool([...grid, ...series], { store, preset: 'test', backend: 'cpu', workers: 1 });
    assert.equal(readRecordedRun(dir), null);
    const meta = { command: 'test', commit: 'c', preset: 'smoke', overrides: {}, backend: 'cpu', backendDetail: '', machine: { platform: 'linux', arch: 'x64', cpus: 1, cpuModel: 'm', node: 'v', gpu: null }, started: 't', seconds: 1, workers: 1, gamma: { tr: 0.6 }, specs: 5, finished: out.results.map((r) => r.provenance.configHash), missing: [] };
    fs.writeFileSync(path.join(dir, 'recorded.json'), JSON.stringify(meta));
    const rec = readRecordedRun(dir)!;
    assert.equal(rec.results.length, 5);
    assert.deepEqual(recordedRunDirs(path.dirname(dir)).filter((d) => d === dir), [dir]);
    assert.deepEqual(recordedRunDirs(path.join(dir, 'absent')), []);
    assert.match(recordedRunHeader(dir, rec.meta), /not computed by this notebook[\s\S]*5 of 5 runs finished\n- command: `test`$/);
    const smoke = resolvePreset('smoke').settings;
    const classroom = resolvePreset('classroom').settings;
    // a record without settings: its own preset (not the notebook's) with its overrides
    assert.equal(recordedSettings({ ...rec.meta, preset: 'classroom', overrides: { tuneSteps: 200 } }).tuneSteps, 200);
    assert.equal(recordedSettings({ ...rec.meta, preset: 'classroom', overrides: {} }).worldTranslationPairs, classroom.worldTranslationPairs);
    assert.equal(recordedSettings({ ...rec.meta, settings: { ...smoke, tuneSteps: 3 } }).tuneSteps, 3);
    assert.throws(() => recordedSettings({ ...rec.meta, preset: 'classroom', overrides: { bogus: 1 } }), /bogus/);
    assert.equal(rec.settings.tuneSteps, smoke.tuneSteps, 'the settings come with the record');
    fs.writeFileSync(path.join(dir, 'recorded.json'), JSON.stringify({ ...meta, overrides: { bogus: 1 } }));
    assert.throws(() => readRecordedRun(dir), /recorded\.json: field "overrides".*bogus/);
    fs.writeFileSync(path.join(dir, 'recorded.json'), JSON.stringify(meta));
    const split = splitLabResults(rec.results, targetPairs(tinyTuneSpec()), 1);
    assert.equal(split.grid.length, 3);
    assert.deepEqual(split.series.map((r) => targetPairs(r.spec)).sort((a, b) => a - b), [3, 6, 12]);
    const a = analyseLab(split.grid, split.series, meta.gamma, { samples: 50, seed: 1 });
    assert.deepEqual(a.langs, ['tr']);
    assert.equal(a.comparisons.length, 18);
    assert.deepEqual(a.verdicts.map((v) => v.claim), [1, 2, 3, 4]);
    assert.equal(a.verdicts[0]!.verdict, 'not assessed'); // one seed
    assert.equal(a.chrfPoints.length, 3);
    fs.writeFileSync(path.join(dir, 'recorded.json'), JSON.stringify({ ...meta, finished: [...meta.finished, 'ffffffffffffffff'] }));
    assert.throws(() => readRecordedRun(dir), /lists 1 finished run\(s\) with no result in/);
    // the one-file form that lab.cjs writes is read the same way
    fs.writeFileSync(path.join(dir, 'recorded.json'), JSON.stringify(meta));
    store.exportJson(path.join(dir, 'results.json'));
    fs.rmSync(path.join(dir, 'results'), { recursive: true });
    assert.equal(readRecordedRun(dir)!.results.length, 5);
    fs.writeFileSync(path.join(dir, 'results.json'), '[{"kind":');
    assert.throws(() => readRecordedRun(dir), /results\.json: not valid JSON/);
    fs.writeFileSync(path.join(dir, 'recorded.json'), JSON.stringify({ ...meta, finished: 'all' }));
    assert.throws(() => readRecordedRun(dir), /recorded\.json: field "finished" must be a list/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('run lab: one pool, results handed back split as the plan is; run labels name the pairs', async () => {
  const dir = tmp('xalign-runlab-');
  try {
    const [a, b] = [tinyTuneSpec('en-only'), tinyTuneSpec('bilingual+translation')];
    const c = { ...b, data: { ...b.data, translation: { tr: 3 } } };
    assert.deepEqual([runLabel(a), runLabel(c)], ['tr en-only seed 1', 'tr bilingual+translation seed 1 3 pairs']);
    const lab = await runLab({ grid: [a, b], scaling: [c, b], real: null, all: [a, b, c, b] }, { store: new ResultStore(dir), preset: 'test', backend: 'cpu', workers: 1 });
    assert.deepEqual(lab.grid.map((r) => r.provenance.configHash), [a, b].map((s) => configHash(s)));
    assert.deepEqual(lab.series.map((r) => targetPairs(r.spec)), [3, 6]);
    assert.equal(lab.real, null);
    assert.equal(lab.trained, 3, 'a spec listed twice is trained once');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('lab plan: the paired grid in labGridLanguages, the scaling series in every labLanguages; misplaced languages are refused', () => {
  const s = resolvePreset('classroom').settings;
  const plan = labPlan(s);
  assert.equal(plan.grid.length, s.labGridLanguages.length * s.seeds * 3);
  assert.ok(plan.grid.every((g) => s.labGridLanguages.includes(g.lang)));
  assert.equal(plan.scaling.length, s.labLanguages.length * s.scalingPairs.length);
  assert.deepEqual([...new Set(plan.scaling.map((g) => g.lang))], s.labLanguages);
  assert.equal(plan.all.length, plan.grid.length + plan.scaling.length + (plan.real ? 1 : 0));
  assert.ok(plan.real ? plan.real.lang === s.labGridLanguages[0] : plan.realSkipped);
  assert.throws(() => labPlan(resolvePreset('classroom', parseOverrides('labGridLanguages=tr')).settings), /labGridLanguages: "tr" is not among labLanguages/);
  assert.throws(() => labPlan(resolvePreset('smoke', parseOverrides('labLanguages=el,labGridLanguages=el')).settings), /labLanguages: "el" is not among languages/);
});
