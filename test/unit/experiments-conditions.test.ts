/** Conditions as values (src/experiments/conditions.ts) and the tune spec built from them (src/experiments/spec.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolvePreset } from '../../src/config/presets';
import {
  ablationSpecs, familyGridSpecs, labPlan, otherFamily, tableFiveVerdict, type ConditionComparison,
  ABLATION_CONDITIONS, ALL_LANGUAGES, CONDITION_DEFS, CONDITIONS, type Condition, type ConditionData, conditionDef, continuedExamples, pairsFor, conditionRecords, configHash, isCondition, targetPairs, tuneCommand, tuneSpecFromSettings, upgradeTuneSpec, type TuneSpec,
} from '../../src/experiments';
import { BpeTokenizer } from '../../src/model/tokenizer';
import { buildWorld, worldTranslationInstruction } from '../../src/world';
import { tinyTuneSpec } from '../fixtures/experiment-child';

test('conditions: the paired grid\'s three resolve to their languages and pairs; multilingual to every language', () => {
  assert.deepEqual(CONDITIONS, ['en-only', 'bilingual', 'bilingual+translation']);
  const c = { lang: 'tr', languages: ['zh', 'tr'], pairs: 30 };
  assert.deepEqual(conditionDef('en-only').resolve(c), { instructionLangs: ['en'], tasks: ['alpaca', 'qa', 'knowledge', 'summarization'], translation: {}, evalLangs: ['tr', 'en'] });
  assert.deepEqual(conditionDef('bilingual').resolve(c).instructionLangs, ['en', 'tr']);
  assert.deepEqual(conditionDef('bilingual').resolve(c).translation, {});
  assert.deepEqual(conditionDef('bilingual+translation').resolve(c).translation, { tr: 30 });
  const multi = conditionDef('multilingual').resolve({ ...c, lang: ALL_LANGUAGES });
  assert.deepEqual([multi.instructionLangs, multi.translation, multi.evalLangs], [['en', 'zh', 'tr'], { zh: 30, tr: 30 }, ['zh', 'tr', 'en']]);
  for (const d of Object.values(CONDITION_DEFS)) {
    const r: ConditionData = d.resolve(c);
    assert.equal(d.translates, [r.translation, r.reverse ?? {}, r.continued ?? {}].some((t) => Object.keys(t).length > 0), d.id);
  }
  assert.ok(isCondition('bilingual') && isCondition('multilingual') && !isCondition('toString') && !isCondition('trilingual'));
  assert.throws(() => conditionDef('trilingual'), /unknown condition "trilingual"; known: en-only, bilingual, bilingual\+translation, translation-only, x-to-en, both-directions, continued-pretraining, multilingual/);
});

test('multilingual spec: one run named "all", every preset language in its pool and its tests', () => {
  const s = resolvePreset('smoke').settings;
  const spec = tuneSpecFromSettings(s, { lang: ALL_LANGUAGES, condition: 'multilingual', translationPairs: 5 });
  assert.deepEqual(spec.data.instructionLangs, ['en', ...s.languages]);
  assert.deepEqual(spec.data.translation, Object.fromEntries(s.languages.map((l) => [l, 5])));
  assert.deepEqual(spec.eval.langs, [...s.languages, 'en']);
  assert.equal(targetPairs(spec), 0, 'no single target language');
  assert.throws(() => tuneSpecFromSettings(s, { lang: 'tr', condition: 'multilingual' }), /covers every preset language; its language is "all", not "tr"/);
  assert.throws(() => tuneSpecFromSettings(s, { lang: ALL_LANGUAGES, condition: 'bilingual' }), /language "all" is not in the preset's languages/);
  assert.throws(() => tuneSpecFromSettings(s, { lang: ALL_LANGUAGES, condition: 'multilingual', real: true }), /one-language condition/);
  const world = buildWorld(spec.base.world);
  const recs = conditionRecords(world, spec);
  for (const l of s.languages) assert.equal(recs.filter((r) => r.task === 'translation' && r.lang === l).length, 5, l);
  // an allocation of a budget: pairs per language, a language with none gets no pairs
  const [a0, a1] = s.languages as [string, string];
  const alloc = tuneSpecFromSettings(s, { lang: ALL_LANGUAGES, condition: 'multilingual', translationPairs: { [a0]: 7, [a1]: 0 } });
  assert.deepEqual(alloc.data.translation, { [a0]: 7 });
  assert.equal(conditionRecords(world, alloc).filter((r) => r.task === 'translation').length, 7);
  assert.throws(() => tuneSpecFromSettings(s, { lang: ALL_LANGUAGES, condition: 'multilingual', translationPairs: { el: 3 } }), /names "el", which is not among the run's languages/);
  assert.throws(() => tuneSpecFromSettings(s, { lang: ALL_LANGUAGES, condition: 'multilingual', translationPairs: { [a0]: 1.5 } }), /translationPairs\.\w+ must be an integer >= 0, got 1.5/);
  assert.throws(() => tuneSpecFromSettings(s, { lang: ALL_LANGUAGES, condition: 'multilingual', translationPairs: { [a0]: 0 } }), /gives no language any pairs/);
  assert.equal(pairsFor({ [a0]: 7 }, a1), 0);
  const preset = { name: 'smoke', settings: s, overridden: [] as string[] };
  assert.match(tuneCommand(preset, alloc), new RegExp(`--lang all --condition multilingual --seed 1 --pairs ${a0}=7,${a1}=0$`));
  assert.match(tuneCommand(preset, tuneSpecFromSettings(s, { lang: ALL_LANGUAGES, condition: 'multilingual' })), /--condition multilingual --seed 1$/);
  assert.deepEqual([...new Set(recs.filter((r) => r.task !== 'translation').map((r) => r.lang))], ['en', ...s.languages]);
});

test('tune spec: the condition is resolved into its data, and the records follow the data, not the name', () => {
  const s = resolvePreset('smoke').settings;
  const spec = tuneSpecFromSettings(s, { lang: 'tr', condition: 'bilingual+translation', translationPairs: 12 });
  assert.deepEqual(spec.data.instructionLangs, ['en', 'tr']);
  assert.deepEqual(spec.data.translation, { tr: 12 });
  assert.equal(targetPairs(spec), 12);
  assert.equal(targetPairs(tuneSpecFromSettings(s, { lang: 'tr', condition: 'bilingual' })), 0);
  assert.throws(() => tuneSpecFromSettings(s, { lang: 'tr', condition: 'en-only', real: true }), /needs a one-language condition with translation pairs \(bilingual\+translation, translation-only, x-to-en, both-directions, continued-pretraining\), not en-only/);
  // a condition that is only data: English instructions plus pairs in two languages
  const tiny = tinyTuneSpec();
  const world = buildWorld(tiny.base.world);
  const custom: TuneSpec = { ...tiny, data: { ...tiny.data, instructionLangs: ['en'], translation: { tr: 4 } } };
  const recs = conditionRecords(world, custom);
  assert.equal(recs.filter((r) => r.task === 'translation').length, 4);
  assert.ok(recs.filter((r) => r.task !== 'translation').every((r) => r.lang === 'en'));
  assert.notEqual(configHash(custom), configHash(tiny));
});

test('tune spec: a version-4 spec is read in today\'s shape, and only read', () => {
  const now = tinyTuneSpec();
  const { objective, batching, accumulate, warmupFraction, minLrRatio, weightDecay, beta1, beta2, eps, clipNorm, evalEvery, earlyStopPatience, ...train } = now.train;
  const { instructionLangs: _i, translation: _t, ...data } = now.data;
  const v4 = {
    ...now, version: 4, train, trainer: { objective, batching, accumulate, warmupFraction, minLrRatio, weightDecay, beta1, beta2, eps, clipNorm, evalEvery, earlyStopPatience },
    data: { ...data, translationPairs: targetPairs(now) },
  };
  const up = upgradeTuneSpec(v4 as unknown as TuneSpec);
  assert.deepEqual({ ...up, version: 5 }, now);
  assert.equal(up.version, 4, 'an upgraded spec keeps its version: it is never reused for a new run');
  assert.equal(upgradeTuneSpec(now), now);
  const enOnly = upgradeTuneSpec({ ...v4, condition: 'en-only', data: { ...v4.data, translationPairs: 0 } } as unknown as TuneSpec);
  assert.deepEqual([enOnly.data.instructionLangs, enOnly.data.translation], [['en'], {}]);
});

test('ablations: each is one change of data, at the steps of every other condition; the grid\'s specs are unchanged', () => {
  const s = resolvePreset('smoke').settings;
  const world = buildWorld(tuneSpecFromSettings(s, { lang: 'tr', condition: 'en-only' }).base.world);
  const spec = (condition: Condition, steps?: number) => tuneSpecFromSettings(s, { lang: 'tr', condition, translationPairs: 12, steps });
  const recipe = spec('bilingual+translation');
  const preset = resolvePreset('smoke');
  assert.deepEqual(ABLATION_CONDITIONS, ['continued-pretraining', 'translation-only', 'x-to-en', 'both-directions']);
  assert.ok(!('reverse' in recipe.data) && !('continued' in recipe.data), 'the paper\'s conditions keep their hashes: no new keys');
  const pairs = (sp: TuneSpec) => conditionRecords(world, sp).filter((r) => r.task === 'translation');
  // translation-only: the recipe's pairs without the X instructions
  const only = spec('translation-only');
  assert.deepEqual(only.data.instructionLangs, ['en']);
  assert.deepEqual(pairs(only).map((r) => r.id), pairs(recipe).map((r) => r.id));
  // x-to-en: the same pairs the other way round
  const back = pairs(spec('x-to-en'));
  assert.equal(back.length, 12);
  back.forEach((r, i) => {
    assert.equal(r.input, pairs(recipe)[i]!.output);
    assert.equal(r.output, pairs(recipe)[i]!.input);
    assert.equal(r.instruction, worldTranslationInstruction('English', i, 'Turkish'));
  });
  assert.equal(pairs(spec('both-directions')).length, 24);
  // continued pre-training: no pairs in the tuning; the X side of the same 12 pairs as text for the first half of the
  // run's steps, the English instructions for the rest: as many steps in all as the recipe
  const cpt = spec('continued-pretraining');
  assert.deepEqual(cpt.data.instructionLangs, ['en']);
  assert.equal(pairs(cpt).length, 0);
  assert.deepEqual(cpt.data.continued, { texts: { tr: 12 }, steps: Math.floor(recipe.train.steps / 2) });
  assert.equal(cpt.data.continued!.steps + cpt.train.steps, recipe.train.steps, 'equal steps in all');
  assert.ok(cpt.train.steps >= cpt.data.continued!.steps);
  const tok = BpeTokenizer.train(pairs(recipe).map((r) => r.output), 300);
  const text = continuedExamples(world, tok, cpt);
  // 12 short sentences are less than one batch: repeated whole until they fill one
  assert.equal(text.length % 12, 0);
  assert.ok(text.reduce((t, e) => t + e.response.length, 0) >= cpt.train.batchSize * (cpt.train.seqLen + 1));
  assert.deepEqual(text.slice(12, 24), text.slice(0, 12));
  assert.equal(tok.decode(text[0]!.response, { skipSpecial: true }).trim(), pairs(recipe)[0]!.output);
  assert.ok(text.every((e) => e.prompt.length === 0), 'language-model text: every token is scored');
  for (const c of ABLATION_CONDITIONS) assert.equal(spec(c).train.steps + (spec(c).data.continued?.steps ?? 0), recipe.train.steps, `${c}: equal steps`);
  // an odd count: the tuning gets the extra step
  assert.deepEqual([spec('continued-pretraining', 7).data.continued!.steps, spec('continued-pretraining', 7).train.steps], [3, 4]);
  assert.deepEqual([spec('continued-pretraining', 1).data.continued!.steps, spec('continued-pretraining', 1).train.steps], [1, 1], 'one step cannot be split: one of each');
  assert.doesNotMatch(tuneCommand(preset, cpt), /--steps/, 'the split is not a --steps of its own');
  assert.match(tuneCommand(preset, spec('continued-pretraining', 7)), /--steps 7( |$)/);
  assert.equal(targetPairs(cpt), 12);
  assert.equal(targetPairs(spec('x-to-en')), 12);
});

test('notebook 07: the ablation runs reuse notebook 02\'s grid; the other family\'s grid differs only in its base; claim 10\'s rule', () => {
  const s = resolvePreset('classroom').settings;
  const specs = ablationSpecs(s);
  assert.equal(specs.length, s.seeds * 7);
  const grid = new Set(labPlan(s).grid.map((x) => configHash(x)));
  assert.equal(specs.filter((x) => grid.has(configHash(x))).length, s.seeds * 3, 'the three grid conditions are notebook 02\'s runs');
  const neox = familyGridSpecs(otherFamily(s));
  assert.ok(neox.every((x) => x.base.model.family === 'neox'));
  assert.deepEqual(neox.map((x) => ({ ...x, base: null })), familyGridSpecs(s).map((x) => ({ ...x, base: null })));
  const comp = (task: string, delta: number, p: number | null, seeds = 3): ConditionComparison => ({
    lang: 'el', task, metric: 'm', evalLang: 'el', a: 'continued-pretraining', b: 'bilingual+translation',
    seedsA: { seeds, mean: 10, lower: null, upper: null }, seedsB: { seeds, mean: 10 + delta, lower: null, upper: null }, delta, pairedSeeds: seeds, pValue: p, segments: 10,
  });
  const others = [comp('translation', 5, 0.01), comp('qa', 2, 0.02), comp('summarization', 3, 0.03)];
  assert.equal(tableFiveVerdict([...others, comp('knowledge', -1, 0.5)]).verdict, 'reproduced');
  assert.equal(tableFiveVerdict([...others, comp('knowledge', 4, 0.01)]).verdict, 'partly', 'the recipe also wins on knowledge: not the paper\'s pattern');
  assert.equal(tableFiveVerdict([comp('translation', 5, 0.01), comp('qa', -2, 0.02), comp('summarization', 3, 0.5), comp('knowledge', 0, 1)]).verdict, 'not reproduced');
  assert.equal(tableFiveVerdict([comp('translation', 5, 0.01, 2), comp('knowledge', 0, 1, 2)]).verdict, 'not assessed');
  assert.equal(tableFiveVerdict([comp('translation', 5, null)]).verdict, 'not assessed');
  assert.equal(tableFiveVerdict(others).verdict, 'not assessed', 'no knowledge comparison: the exception cannot be judged');
});
