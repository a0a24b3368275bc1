import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  listPresets, parseDecimal, parseOverrides, presetFromEnv, PRESET_NAMES, resolvePreset, SETTINGS, SettingsError,
} from '../../src/config/presets';

test('every preset defines exactly the declared settings, each valid', () => {
  for (const p of listPresets()) {
    assert.deepEqual(Object.keys(p.settings).sort(), Object.keys(SETTINGS).sort(), p.name);
    assert.doesNotThrow(() => resolvePreset(p.name, { ...p.settings }), p.name);
  }
  assert.deepEqual(listPresets().map((p) => p.name), [...PRESET_NAMES]);
});

test('presets grow from smoke to classroom to paper', () => {
  const [smoke, classroom, paper] = PRESET_NAMES.map((n) => resolvePreset(n).settings);
  for (const k of ['modelDim', 'pretrainSteps', 'tuneSteps', 'evalExamples'] as const) {
    assert.ok(smoke![k] < classroom![k] && classroom![k] <= paper![k], k);
  }
});

test('classroom is the default and PRESET selects another', () => {
  assert.equal(presetFromEnv({}).name, 'classroom');
  assert.equal(presetFromEnv({ PRESET: 'smoke' }).name, 'smoke');
});

test('overrides apply, are typed, and change the config hash', () => {
  const base = resolvePreset('smoke');
  const r = presetFromEnv({ PRESET: 'smoke', XALIGN_SET: 'seed=7, languages=zh+ar+hi, tuneSteps=3' });
  assert.equal(r.settings.seed, 7);
  assert.deepEqual(r.settings.languages, ['zh', 'ar', 'hi']);
  assert.equal(r.settings.tuneSteps, 3);
  assert.deepEqual(r.overridden.sort(), ['languages', 'seed', 'tuneSteps']);
  assert.notEqual(r.configHash, base.configHash);
  assert.equal(resolvePreset('smoke').configHash, base.configHash);
});

test('overrides do not leak into the preset table', () => {
  resolvePreset('smoke', { languages: ['el'] });
  assert.deepEqual(resolvePreset('smoke').settings.languages, ['zh', 'tr']);
});

test('unknown presets, unknown keys and wrong types are errors naming the field', () => {
  assert.throws(() => resolvePreset('huge'), (e: unknown) => e instanceof SettingsError && /unknown preset "huge"/.test(e.message));
  assert.throws(() => resolvePreset('smoke', { sede: 1 }), (e: unknown) => e instanceof SettingsError && e.field === 'sede');
  assert.throws(() => resolvePreset('smoke', { seed: '1' }), /setting "seed" must be int/);
  assert.throws(() => resolvePreset('smoke', { seed: 1.5 }), /seed/);
  assert.throws(() => resolvePreset('smoke', { tuneSteps: -1 }), /tuneSteps/);
  assert.throws(() => resolvePreset('smoke', { languages: [] }), /languages/);
  assert.throws(() => resolvePreset('smoke', { backend: 'tpu' }), /one of auto, tensorflow/);
  assert.throws(() => parseOverrides('seed'), /expected key=value/);
  assert.throws(() => parseOverrides('seed=abc'), /got "abc"/);
  assert.throws(() => parseOverrides('seed=', 'XALIGN_SET'), /XALIGN_SET: setting "seed"/);
});

test('numbers in overrides are decimal: no hexadecimal, binary, blank or infinite values', () => {
  assert.equal(parseDecimal(' 7 '), 7);
  assert.equal(parseDecimal('-0.5'), -0.5);
  assert.equal(parseDecimal('1e3'), 1000);
  assert.equal(parseDecimal('.5'), 0.5);
  for (const t of ['0x10', '0b1', '', ' ', 'Infinity', '1_000', '5k']) assert.ok(Number.isNaN(parseDecimal(t)), t);
  assert.throws(() => parseOverrides('seed=0x10', '--set'), /--set: setting "seed" must be int .* got "0x10"/);
  assert.throws(() => parseOverrides('scalingPairs=10+0x20'), /scalingPairs/);
});

test('language lists hold language codes, each once; the laboratory\'s hold languages of the miniature world', () => {
  assert.deepEqual(parseOverrides('languages=zh+sw').languages, ['zh', 'sw']); // a language of your own data (notebook 01)
  assert.throws(() => parseOverrides('languages=7', '--set'), (e: unknown) => e instanceof SettingsError && e.field === 'languages' && /language codes/.test(e.message));
  assert.throws(() => parseOverrides('languages=ZH'), /languages/);
  assert.throws(() => parseOverrides('languages=zh+zh'), /without repeats, got \["zh","zh"\]/);
  assert.throws(() => parseOverrides('labLanguages=sw'), /labLanguages" must be string\[\] \(one of ar, el, hi, tr, vi, zh\)/);
  assert.throws(() => parseOverrides('labGridLanguages=zz'), /labGridLanguages/);
  assert.throws(() => parseOverrides('worldRelations=job+job'), /worldRelations/);
});
