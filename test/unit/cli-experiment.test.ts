import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { resolvePreset } from '../../src/config/presets';
import { baseSpecFromSettings, committedBaseDir, configHash, readManifest } from '../../src/experiments';

const BIN = path.resolve(__dirname, '../../bin/xalign.cjs');

function xalign(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, PRESET: 'smoke', XALIGN_BACKEND: 'cpu', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TINY = 'pretrainSteps=3,tuneSteps=2,modelDim=16,evalExamples=2,worldCorpusSentences=200,worldTaskTrain=4,worldTranslationPairs=4,instructionsPerLanguage=4,worldBpeVocab=300';

test('world pretrain writes a base checkpoint with its manifest; experiment run uses it; list and export', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-expcli-'));
  try {
    const base = path.join(dir, 'base');
    const p = xalign(['world', 'pretrain', '--set', TINY, '--store', path.join(dir, 's1'), '--out', base, '--json']);
    assert.equal(p.code, 0, p.stderr);
    const v = JSON.parse(p.stdout);
    assert.equal(v.reused, false);
    for (const f of ['model.safetensors', 'config.json', 'tokenizer.json', 'manifest.json']) assert.ok(fs.existsSync(path.join(base, f)), f);
    const m = readManifest(base)!;
    assert.match(m.command, /^npx xalign world pretrain --preset smoke --set .*pretrainSteps=3.* --out /);
    assert.equal(m.backend, 'cpu');
    assert.equal(m.seed, 1);
    assert.equal(m.firstLosses.length, 3);
    assert.match(m.sha256['model.safetensors']!, /^[0-9a-f]{64}$/);
    assert.ok(m.machine.cpus >= 1 && m.machine.platform);
    const again = JSON.parse(xalign(['world', 'pretrain', '--set', TINY, '--store', path.join(dir, 's1'), '--json']).stdout);
    assert.equal(again.reused, true);
    // a tuning run in a fresh store starts from --base instead of pre-training again
    const r = xalign(['experiment', 'run', '--set', TINY, '--condition', 'bilingual+translation', '--lang', 'tr', '--base', base, '--store', path.join(dir, 's2'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const t = JSON.parse(r.stdout);
    assert.equal(t.reused, false);
    assert.equal(t.result.extra.baseConfigHash, m.configHash);
    assert.ok(!/pretrain \[/.test(r.stderr), 'no pre-training steps');
    assert.ok(t.result.metrics.knowledge.tr.containsAny !== undefined);
    const list = JSON.parse(xalign(['experiment', 'list', '--store', path.join(dir, 's2'), '--json']).stdout);
    // the tuning result, and the probe of the --base checkpoint (stored when first used)
    assert.equal(list.length, 2);
    const e = xalign(['experiment', 'export', '--store', path.join(dir, 's2')]);
    assert.equal(e.code, 0, e.stderr);
    const csv = fs.readFileSync(path.join(dir, 's2', 'results.csv'), 'utf8').trim().split('\n');
    assert.ok(csv.length > 10 && csv.slice(1).every((l) => l.startsWith(t.result.provenance.configHash) || l.startsWith(m.configHash)));
    assert.ok(csv.slice(1).some((l) => l.startsWith(m.configHash) && l.includes('fact-completion')), 'the base probe is exported');
    assert.ok(csv.slice(1).some((l) => l.startsWith(m.configHash) && l.includes('fact-completion') && l.includes('rank')), 'with its likelihood-ranking score');
    const bad = xalign(['experiment', 'run', '--condition', 'trilingual', '--store', path.join(dir, 's3')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--condition must be one of en-only, bilingual, bilingual\+translation, translation-only, x-to-en, both-directions, continued-pretraining, multilingual or all/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * A committed base checkpoint: its manifest exists, describes the preset's current base
 * spec, and its files are under 10 MB and match their sha256.
 */
function checkCommittedBase(preset: string, family: 'llama' | 'neox' = 'llama'): NonNullable<ReturnType<typeof readManifest>> {
  const dir = committedBaseDir(preset, family);
  const m = readManifest(dir);
  assert.ok(m, `${dir}/manifest.json is committed (regenerate: npx xalign world pretrain --preset ${preset}${family === 'llama' ? '' : ` --set modelFamily=${family}`} --out ${path.relative(process.cwd(), dir)})`);
  assert.equal(m.configHash, configHash(baseSpecFromSettings(resolvePreset(preset, { modelFamily: family }).settings)), `the ${preset} preset changed: regenerate the committed base with its command`);
  for (const f of ['model.safetensors', 'config.json', 'tokenizer.json']) {
    const file = path.join(dir, f);
    assert.ok(fs.statSync(file).size < 10 * 1024 * 1024, `${f} under 10 MB`);
    assert.equal(createHash('sha256').update(fs.readFileSync(file)).digest('hex'), m.sha256[f], `${f} matches its sha256 in the manifest`);
  }
  return m;
}

/** Re-runs the smoke base's whole command (fresh store) and compares its manifest's first losses with the committed base's. */
function reproduceSmokeBase(family: 'llama' | 'neox'): void {
  const m = checkCommittedBase('smoke', family);
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-repro-'));
  try {
    const r = xalign(['world', 'pretrain', '--preset', 'smoke', ...(family === 'llama' ? [] : ['--set', `modelFamily=${family}`]), '--store', store, '--json'], { XALIGN_BACKEND: m.backend });
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout);
    assert.equal(v.manifest.configHash, m.configHash);
    v.manifest.firstLosses.forEach((l: number, i: number) => assert.ok(Math.abs(l - m.firstLosses[i]!) < 1e-4, `loss at step ${i + 1}: ${l} vs committed ${m.firstLosses[i]}`));
  } finally {
    fs.rmSync(store, { recursive: true, force: true });
  }
}

test('the committed smoke base checkpoint matches the smoke preset and its command reproduces the first losses', () => {
  reproduceSmokeBase('llama');
});

test('the committed NeoX smoke base matches the smoke preset with modelFamily=neox, and its command reproduces the first losses', () => {
  const m = checkCommittedBase('smoke', 'neox');
  assert.equal(m.spec.model.family, 'neox');
  assert.match(m.command, /--set modelFamily="?neox"? --out data\/world\/base-smoke-neox/);
  reproduceSmokeBase('neox');
});

test('experiment run --condition continued-pretraining: the X text first, then English instructions; a result with both phases', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-cpt-'));
  try {
    const r = xalign(['experiment', 'run', '--set', TINY, '--condition', 'continued-pretraining', '--lang', 'tr', '--store', dir, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout);
    assert.equal(v.result.spec.condition, 'continued-pretraining');
    assert.deepEqual(v.result.spec.data.instructionLangs, ['en']);
    // tuneSteps=2: one step on the text, one on the instructions
    assert.deepEqual(v.result.spec.data.continued, { texts: { tr: 4 }, steps: 1 });
    assert.deepEqual([v.result.extra.continued.steps, v.result.extra.continued.texts], [1, 4]);
    assert.equal(v.result.training.steps, 1);
    assert.ok(Number.isFinite(v.result.metrics.translation.tr.chrf));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the committed classroom base checkpoint matches the classroom preset; its command reproduces its first two losses', () => {
  // The whole run takes about 37 minutes on one core; --first-steps re-runs its first
  // steps (same world, BPE, initialisation, data order and schedule) and writes nothing.
  const m = checkCommittedBase('classroom');
  const r = xalign(['world', 'pretrain', '--preset', 'classroom', '--first-steps', '2', '--json'], { XALIGN_BACKEND: m.backend });
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  assert.equal(v.configHash, m.configHash);
  assert.equal(v.losses.length, 2);
  v.losses.forEach((l: number, i: number) => assert.ok(Math.abs(l - m.firstLosses[i]!) < 1e-4, `loss at step ${i + 1}: ${l} vs committed ${m.firstLosses[i]}`));
});

test('the committed NeoX classroom base matches the classroom preset with modelFamily=neox; its command reproduces its first two losses', () => {
  const m = checkCommittedBase('classroom', 'neox');
  const r = xalign(['world', 'pretrain', '--preset', 'classroom', '--set', 'modelFamily=neox', '--first-steps', '2', '--json'], { XALIGN_BACKEND: m.backend });
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  assert.equal(v.configHash, m.configHash);
  v.losses.forEach((l: number, i: number) => assert.ok(Math.abs(l - m.firstLosses[i]!) < 1e-4, `loss at step ${i + 1}: ${l} vs committed ${m.firstLosses[i]}`));
  assert.deepEqual(v.committed, m.firstLosses.slice(0, 2), 'the first-steps check finds the committed NeoX base');
});

test('experiment run --condition multilingual: one model scored in every preset language and English; --lang is refused', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-multi-'));
  try {
    const r = xalign(['experiment', 'run', '--set', TINY, '--condition', 'multilingual', '--store', dir, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout);
    const langs = resolvePreset('smoke').settings.languages;
    assert.equal(v.result.spec.lang, 'all');
    for (const task of ['qa', 'knowledge', 'summarization']) assert.deepEqual(Object.keys(v.result.metrics[task]).sort(), [...langs, 'en'].sort(), task);
    assert.deepEqual(Object.keys(v.result.metrics.translation).sort(), [...langs].sort());
    assert.match(v.result.provenance.command, /--lang all --condition multilingual/);
    const bad = xalign(['experiment', 'run', '--set', TINY, '--condition', 'multilingual', '--lang', 'tr', '--store', dir]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--condition multilingual trains one model for every preset language; leave --lang out/);
    const alloc = xalign(['experiment', 'run', '--set', TINY, '--condition', 'multilingual', '--pairs', `${langs[0]}=3,${langs[1]}=0`, '--store', dir, '--json']);
    assert.equal(alloc.code, 0, alloc.stderr);
    assert.deepEqual(JSON.parse(alloc.stdout).result.spec.data.translation, { [langs[0]!]: 3 });
    const malformed = xalign(['experiment', 'run', '--set', TINY, '--condition', 'multilingual', '--pairs', 'zh=3,tr=-1', '--store', dir]);
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /--pairs must be a positive integer or LANG=N,LANG=N .*"tr=-1"/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
