import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  listPresets, parseOverrides, presetFromEnv, PRESET_NAMES, resolvePreset, SETTINGS, SettingsError,
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
