/** Conditions as values (src/experiments/conditions.ts) and the tune spec built from them (src/experiments/spec.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolvePreset } from '../../src/config/presets';
import {
  ALL_LANGUAGES, CONDITION_DEFS, CONDITIONS, conditionDef, pairsFor, conditionRecords, configHash, isCondition, targetPairs, tuneCommand, tuneSpecFromSettings, upgradeTuneSpec, type TuneSpec,
} from '../../src/experiments';
import { buildWorld } from '../../src/world';
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
  for (const d of Object.values(CONDITION_DEFS)) assert.equal(d.translates, Object.keys(d.resolve(c).translation).length > 0, d.id);
  assert.ok(isCondition('bilingual') && isCondition('multilingual') && !isCondition('toString') && !isCondition('trilingual'));
  assert.throws(() => conditionDef('trilingual'), /unknown condition "trilingual"; known: en-only, bilingual, bilingual\+translation, multilingual/);
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
  assert.throws(() => tuneSpecFromSettings(s, { lang: 'tr', condition: 'en-only', real: true }), /needs a one-language condition with translation pairs \(bilingual\+translation\), not en-only/);
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
