/** Notebook 05's arms and allocations (src/experiments/multilingual.ts), its verdict rules (claims 5-7) and the training hash that lets identical trainings share one model. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { selectBackend } from '../../src/backend';
import { allocateOptimal, allocateUniform, allocateUniMax, ALLOCATION_METHODS, allocateBy, type AllocationLaw, wholePairs } from '../../src/allocation';
import { resolvePreset } from '../../src/config/presets';
import {
  ALL_LANGUAGES, allocationArmId, allocationEvidence, allocationVerdict, type ConditionComparison, configHash, labAllocations, labAvailablePairs, labLaws, multilingualPlan,
  multilingualVerdict, ResultStore, runTune, steepnessEvidence, steepnessVerdict, trainingHash, tuneCommand, tuneSpecFromSettings,
  analyseRecordedMultilingual, armScoresFigure, scalingPoints, scalingSpecs, type ExperimentResult, type TuneSpec,
} from '../../src/experiments';
import { fitLawsByLanguage } from '../../src/scaling/fit';
import type { LawFit } from '../../src/scaling/fit';
import { tinyTuneSpec } from '../fixtures/experiment-child';

before(async () => {
  await selectBackend('cpu');
});

const classroom = () => resolvePreset('classroom').settings;
const law = (language: string, alpha: number, beta: number, gamma: number, max: number): AllocationLaw => ({ language, alpha, beta, gamma, max });
const LAWS = [law('el', 80, 0.3, 0.7, 2041), law('zh', 90, 0.2, 0.5, 3000), law('hi', 95, 0.5, 0.4, 770)];

test('whole pairs: every method\'s allocation rounds to integers that sum to the pairs used and respect each cap', () => {
  for (const budget of [0, 1, 7, 1000, 3000, 5811, 9000]) {
    for (const method of ALLOCATION_METHODS) {
      const a = allocateBy(method, LAWS, budget);
      const pairs = wholePairs(a, LAWS);
      const values = LAWS.map((l) => pairs[l.language]!);
      assert.ok(values.every((v) => Number.isInteger(v) && v >= 0), `${method} ${budget}: ${values}`);
      assert.equal(values.reduce((x, y) => x + y, 0), Math.round(a.used), `${method} ${budget}`);
      LAWS.forEach((l, i) => assert.ok(values[i]! <= l.max, `${method} ${budget}: ${l.language} ${values[i]} > ${l.max}`));
      LAWS.forEach((l, i) => assert.ok(Math.abs(values[i]! - a.x[i]!) < 1 + 1e-9, `${method} ${budget}: ${l.language} rounded by more than one pair`));
    }
  }
  assert.deepEqual(allocateBy('uniform', LAWS, 3000).x, allocateUniform(LAWS, 3000).x);
  assert.deepEqual(allocateBy('unimax', LAWS, 3000).x, allocateUniMax(LAWS, 3000).x);
  assert.deepEqual(allocateBy('optimal', LAWS, 3000).x, allocateOptimal(LAWS, 3000).x);
});

test('available pairs: the pool scaled by Table 1, the least-resourced lab language at the pool; the uniform split is Figure 3\'s multilingual model', () => {
  const s = classroom();
  const a = labAvailablePairs(s);
  assert.deepEqual(Object.keys(a), s.labLanguages);
  assert.equal(a.hi, s.worldTranslationPairs);
  assert.equal(a.el, Math.round((s.worldTranslationPairs * 620_800) / 234_300));
  assert.equal(a.zh, Math.round((s.worldTranslationPairs * 912_500) / 234_300));
  // the preset's uniform share is what the least-resourced language has (it reaches its cap, the others do not)
  const uniform = s.allocationBudget / s.labLanguages.length;
  assert.equal(Math.min(...Object.values(a)), uniform);
  assert.ok(Object.values(a).some((m) => m > uniform));
  const [u] = labAllocations(LAWS.map((l) => ({ ...l, max: a[l.language]! })), s.allocationBudget, ['uniform']);
  const plan = multilingualPlan(s, [u!]);
  assert.deepEqual(plan.arms.find((x) => x.id === 'multilingual')!.specs.map(configHash), plan.arms.find((x) => x.id === allocationArmId('uniform'))!.specs.map(configHash));
});

test('laboratory laws: one per language from the fits, capped at the available pairs; a missing fit is named', () => {
  const fit = (alpha: number, beta: number, gamma: number) => ({ alpha, beta, gamma } as LawFit);
  const fits = new Map([['el', fit(80, 0.3, 0.7)], ['zh', fit(90, 0.2, 0.5)]]);
  assert.deepEqual(labLaws(fits, { el: 10, zh: 20 }, ['zh', 'el']), [law('zh', 90, 0.2, 0.5, 20), law('el', 80, 0.3, 0.7, 10)]);
  assert.throws(() => labLaws(fits, { el: 10, zh: 20, hi: 5 }, ['el', 'hi']), /no fitted law for "hi" \(fitted: el, zh\)/);
  const allocations = labAllocations(LAWS, 3000, ['uniform', 'optimal']);
  assert.ok(allocations[1]!.predictedMean >= allocations[0]!.predictedMean);
  assert.throws(() => labAllocations(LAWS, 3000, ['best']), /allocation method "best" is unknown/);
});

test('multilingual spec: covers the lab languages; steps can be set and the regenerating command says so', () => {
  const p = resolvePreset('classroom');
  const spec = tuneSpecFromSettings(p.settings, { lang: ALL_LANGUAGES, condition: 'multilingual', steps: 300, translationPairs: { el: 5, zh: 0, hi: 7 } });
  assert.deepEqual(spec.data.instructionLangs, ['en', ...p.settings.labLanguages]);
  assert.deepEqual(spec.data.translation, { el: 5, hi: 7 });
  assert.equal(spec.train.steps, 300);
  assert.match(tuneCommand(p, spec), /--lang all --condition multilingual --seed 1 --pairs el=5,zh=0,hi=7 --steps 300$/);
  assert.doesNotMatch(tuneCommand(p, tuneSpecFromSettings(p.settings, { lang: 'el', condition: 'en-only' })), /--steps/);
  assert.throws(() => tuneSpecFromSettings(p.settings, { lang: ALL_LANGUAGES, condition: 'multilingual', translationPairs: { ar: 5 } }), /names "ar", which is not among the run's languages \(el, zh, hi\)/);
  assert.throws(() => tuneSpecFromSettings(p.settings, { lang: 'el', condition: 'en-only', steps: 0 }), /steps must be a positive integer/);
});

test('training hash: the English-only runs of two languages train the same model; the recipe\'s do not', () => {
  const s = classroom();
  const spec = (lang: string, condition: 'en-only' | 'bilingual+translation', seed = 1) => tuneSpecFromSettings(s, { lang, condition, seed });
  assert.notEqual(configHash(spec('el', 'en-only')), configHash(spec('zh', 'en-only')));
  assert.equal(trainingHash(spec('el', 'en-only')), trainingHash(spec('zh', 'en-only')));
  assert.notEqual(trainingHash(spec('el', 'en-only')), trainingHash(spec('el', 'en-only', 2)));
  assert.notEqual(trainingHash(spec('el', 'bilingual+translation')), trainingHash(spec('zh', 'bilingual+translation')));
});

test('a run whose training matches a stored run\'s is tested on that model, not trained again', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-twin-'));
  try {
    const store = new ResultStore(dir);
    const first = tinyTuneSpec('en-only');
    const a = await runTune(first, { store, preset: 'test', backend: 'cpu' });
    // other tests (fewer records), same training
    const second = { ...first, eval: { ...first.eval, n: 2 } };
    assert.equal(trainingHash(second), trainingHash(first));
    let steps = 0;
    const b = await runTune(second, { store, preset: 'test', backend: 'cpu', onEvent: (e) => void (e.type === 'step' && e.phase === 'tune' && steps++) });
    assert.equal(steps, 0);
    assert.equal(b.reused, false);
    assert.equal(b.result.extra?.trainedBy, a.result.provenance.configHash);
    assert.deepEqual(b.result.training, a.result.training);
    assert.equal(b.modelDir, a.modelDir);
    assert.ok(b.result.metrics.translation?.tr && b.result.provenance.configHash !== a.result.provenance.configHash);
    // a different seed trains
    const c = await runTune(tinyTuneSpec('en-only', 2), { store, preset: 'test', backend: 'cpu', onEvent: (e) => void (e.type === 'step' && e.phase === 'tune' && steps++) });
    assert.ok(steps > 0 && c.result.extra?.trainedBy === undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('notebook 05\'s plan: Figure 3\'s arms and one arm per allocation, every spec once, the longest first', () => {
  const s = classroom();
  const allocations = labAllocations(LAWS, s.allocationBudget, s.allocationMethods);
  const plan = multilingualPlan(s, allocations);
  const arm = (id: string) => plan.arms.find((a) => a.id === id)!;
  const [L, seeds] = [s.labLanguages.length, s.seeds];
  assert.deepEqual(plan.arms.map((a) => a.id), ['en-only', 'bilingual+translation', 'multilingual', 'multilingual-summed', ...s.allocationMethods.map(allocationArmId)]);
  assert.equal(arm('en-only').specs.length, L * seeds);
  assert.equal(arm('multilingual').specs.length, seeds);
  assert.equal(arm('multilingual-summed').specs.length, s.labSummedSeeds);
  assert.ok(arm('multilingual-summed').specs.every((x) => x.train.steps === s.tuneSteps * L));
  for (const a of allocations) {
    const specs = arm(allocationArmId(a.method)).specs;
    assert.equal(specs.length, seeds);
    assert.ok(specs.every((x) => x.lang === ALL_LANGUAGES && x.train.steps === s.tuneSteps));
    assert.deepEqual(specs[0]!.data.translation, Object.fromEntries(Object.entries(a.pairs).filter(([, n]) => n > 0)));
  }
  const hashes = plan.all.map(configHash);
  assert.equal(new Set(hashes).size, hashes.length);
  assert.equal(plan.all.length, new Set(plan.arms.flatMap((a) => a.specs.map(configHash))).size);
  assert.equal(plan.all[0]!.train.steps, s.tuneSteps * L);
  assert.ok(plan.all.every((x, i) => i === 0 || x.train.steps <= plan.all[i - 1]!.train.steps));
  // notebook 02's recipe runs at the default pairs are the same specs (reused from the store)
  assert.equal(configHash(arm('bilingual+translation').specs[0]!), configHash(tuneSpecFromSettings(s, { lang: s.labLanguages[0]!, condition: 'bilingual+translation', seed: s.seed })));
});

const cmp = (delta: number, p: number, seeds = 3, a = 'en-only', b = 'multilingual'): ConditionComparison => ({
  lang: 'x', task: 't', metric: 'm', evalLang: 'x', a, b, delta, pValue: p, segments: 10, pairedSeeds: seeds,
  seedsA: { seeds, mean: 0, lower: null, upper: null }, seedsB: { seeds, mean: delta, lower: null, upper: null },
});

test('claim 5: beats the baseline, on par with the bilingual models, keeps English; each part can fail', () => {
  const good = { arm: 'm', vsBaseline: [cmp(5, 0.01), cmp(2, 0.3)], vsBilingual: [cmp(-1, 0.4), cmp(1, 0.01)], english: [cmp(-0.5, 0.6)] };
  assert.equal(multilingualVerdict(good).verdict, 'reproduced');
  assert.equal(multilingualVerdict({ ...good, vsBilingual: [cmp(-4, 0.01)] }).verdict, 'partly');
  assert.equal(multilingualVerdict({ ...good, english: [cmp(-4, 0.01)] }).verdict, 'partly');
  assert.equal(multilingualVerdict({ ...good, vsBaseline: [cmp(1, 0.5), cmp(1, 0.5)], vsBilingual: [cmp(-4, 0.01)], english: [cmp(-4, 0.01)] }).verdict, 'not reproduced');
  assert.equal(multilingualVerdict({ ...good, vsBaseline: [cmp(5, 0.01, 1)] }).verdict, 'not assessed');
  assert.match(multilingualVerdict(good).reason, /beats the baseline, on par with the bilingual models, keeps English/);
});

test('claim 6: the mean translation gain over languages, paired by seed; its interval decides', () => {
  const scores = (gains: number[]) => ({
    optimal: Object.fromEntries(gains.map((g, i) => [i + 1, { el: 20 + g, zh: 10 + g }])),
    uniform: Object.fromEntries(gains.map((_, i) => [i + 1, { el: 20, zh: 10 }])),
  });
  const e = (gains: number[]) => allocationEvidence('optimal', 'uniform', scores(gains), [cmp(1, 0.01)], [cmp(-1, 0.01)]);
  assert.deepEqual(e([1, 2, 3]).seedGains, [1, 2, 3]);
  assert.equal(allocationVerdict(e([1, 1.2, 0.9])).verdict, 'reproduced');
  assert.equal(allocationVerdict(e([3, -1, 0.5])).verdict, 'partly');
  assert.equal(allocationVerdict(e([-1, -2, 0.5])).verdict, 'not reproduced');
  assert.equal(allocationVerdict(e([1, 2])).verdict, 'not assessed');
  assert.match(allocationVerdict(e([1, 1.2, 0.9])).reason, /zero-shot 0 of 1 better, 1 worse/);
  assert.throws(() => allocationEvidence('optimal', 'uniform', { optimal: { 1: { el: 1 } }, uniform: { 2: { el: 1 } } }, [], []), /no seed has both optimal and uniform/);
});

test('claim 7: the optimum gives more to the languages steeper at C/n; laws that barely differ do not move it', () => {
  const laws = [law('a', 90, 0.6, 0.5, 1e9), law('b', 90, 0.4, 0.5, 1e9), law('c', 90, 0.2, 0.5, 1e9), law('d', 90, 0.1, 0.5, 1e9)];
  const e = steepnessEvidence(laws, 4000);
  assert.equal(e.uniform, 1000);
  assert.ok(Math.abs(e.rows.reduce((t, r) => t + r.shift, 0)) < 1e-6);
  assert.equal(e.rho, 1);
  assert.equal(steepnessVerdict(e).verdict, 'reproduced');
  assert.equal(steepnessVerdict(steepnessEvidence(laws.slice(0, 3), 3000)).verdict, 'partly');
  const flat = [law('a', 90, 0.3, 0.5, 1e9), law('b', 90, 0.3001, 0.5, 1e9), law('c', 90, 0.3002, 0.5, 1e9), law('d', 90, 0.3003, 0.5, 1e9)];
  assert.match(steepnessVerdict(steepnessEvidence(flat, 4000)).verdict, /not reproduced/);
});

test('analysis: Figure 3 scores, Table 3 rows and the verdicts of claims 5-7 from a (synthetic) recorded run; none without a multilingual run', () => {
  const s = resolvePreset('smoke', { seeds: 3 }).settings;
  const gamma = { zh: 0.6, tr: 0.5 };
  // measured chrF rises with the pairs (the scaling series), multilingual models score a bit above the rest
  const chrf = (spec: TuneSpec, lang: string) => 10 + 4 * Math.log10(1 + (spec.data.translation[lang] ?? 0)) + (spec.lang === ALL_LANGUAGES ? 1 : 0) + spec.seed * 0.1;
  const result = (spec: TuneSpec): ExperimentResult<TuneSpec> => ({
    version: 1, kind: 'tune', label: 'synthetic', spec,
    provenance: { commit: 'test', preset: 'smoke', configHash: configHash(spec), backend: 'cpu', seed: spec.seed, time: '', command: '' },
    metrics: Object.fromEntries([['translation', 'chrf'], ['qa', 'contains'], ['knowledge', 'contains'], ['summarization', 'rougeL']].map(([task, metric]) => [task!,
      Object.fromEntries(spec.eval.langs.map((l) => [l, { [metric!]: task === 'translation' ? chrf(spec, l) : 20 + spec.seed }]))])),
    training: { steps: spec.train.steps, losses: [], seconds: 0, tokensPerSec: 0 },
  });
  const series = scalingSpecs(s, s.labLanguages).map(result);
  const laws = labLaws(fitLawsByLanguage(scalingPoints(series, gamma, 'translation', 'chrf')), labAvailablePairs(s), s.labLanguages);
  const plan = multilingualPlan(s, labAllocations(laws, s.allocationBudget, s.allocationMethods));
  const results = [...series, ...plan.all.map(result)];
  assert.equal(analyseRecordedMultilingual({ settings: s, gamma, results: results.filter((r) => r.spec.condition !== 'multilingual') }), null);
  const a = analyseRecordedMultilingual({ settings: s, gamma, results })!;
  assert.deepEqual(a.verdicts.map((v) => v.claim), [5, 5, 6, 7]);
  // no per-record statistics: no paired test, so claim 5 is not assessed (never passed for want of evidence)
  assert.equal(a.verdicts[0]!.verdict, 'not assessed');
  assert.match(a.verdicts[0]!.reason, /comparisons have no paired test/);
  assert.equal(a.verdicts[1]!.verdict, 'not assessed');
  assert.match(a.verdicts[2]!.reason, /optimal against uniform \(400 against 400 pairs\): mean translation gain over the languages -?\d/);
  assert.equal(a.table3.length, s.allocationMethods.length * s.labLanguages.length);
  const zh = a.scores.find((x) => x.arm === 'multilingual' && x.lang === 'zh' && x.task === 'translation')!;
  assert.equal(zh.summary.seeds, 3);
  assert.ok(Math.abs(zh.summary.mean - (10 + 4 * Math.log10(1 + s.worldTranslationPairs) + 1 + 0.2)) < 1e-9);
  assert.ok(a.english.some((x) => x.arm === 'en-only') && a.english.every((x) => x.lang === 'en'));
  const fig = armScoresFigure(a, 'translation', 'chrf', [{ id: 'en-only', name: 'A' }, { id: 'multilingual', name: 'B' }, { id: 'nothing', name: 'C' }], 't');
  assert.deepEqual(fig.data.map((t) => t.name), ['A', 'B']);
});
