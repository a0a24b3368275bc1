import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { writeJsonAtomic } from '../../src/io/atomic';
import { indexPageHtml } from '../../src/report/index-page';
import { createSession, presetFromFlags, sessionFromFlags } from '../../src/session';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-session-'));

test('createSession resolves the preset, seeds the Rng, and writes the provenance file', async () => {
  const file = path.join(tmp(), 'sub', 'p.json');
  const s = await createSession('unit', {
    env: { PRESET: 'smoke', XALIGN_SET: 'seed=12', XALIGN_PROVENANCE_FILE: file },
  });
  assert.equal(s.preset.name, 'smoke');
  assert.equal(s.rng.seed, 12);
  assert.equal(s.provenance.seed, 12);
  assert.equal(s.provenance.command, 'PRESET=smoke npx xalign reproduce --only unit');
  const written = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(written.notebook, 'unit');
  assert.equal(written.backend, s.backend.name);
  assert.deepEqual(written.overridden, ['seed']);
  assert.match(written.commit, /^([0-9a-f]{7,}(\+dirty)?|unknown)$/);
});

test('presetFromFlags: --preset wins over PRESET; XALIGN_SET applies under any preset, then --set; each error names its source', () => {
  const env = { PRESET: 'paper', XALIGN_SET: 'seed=7,tuneSteps=3' };
  const p = presetFromFlags({ preset: 'smoke', set: ['seed=9'] }, env);
  assert.equal(p.name, 'smoke');
  assert.equal(p.settings.seed, 9); // --set wins over XALIGN_SET
  assert.equal(p.settings.tuneSteps, 3); // XALIGN_SET still applies when a preset is named
  assert.deepEqual(p.overridden.sort(), ['seed', 'tuneSteps']);
  assert.equal(presetFromFlags({}, env).name, 'paper');
  assert.equal(presetFromFlags({}, {}).name, 'classroom');
  assert.throws(() => presetFromFlags({ preset: 'smoke' }, { XALIGN_SET: 'bogus=1' }), /^SettingsError: XALIGN_SET: unknown setting "bogus"/);
  assert.throws(() => presetFromFlags({ preset: 'smoke', set: ['seed=x'] }, {}), /--set: setting "seed"/);
  assert.throws(() => presetFromFlags({ preset: 'huge' }, {}), /--preset: unknown preset "huge"/);
  assert.throws(() => presetFromFlags({}, { PRESET: 'huge' }), /PRESET: unknown preset "huge"/);
  assert.throws(() => presetFromFlags({ preset: 'huge', presetSource: 'presets NAME' }, {}), /presets NAME: unknown preset "huge"/);
});

test('sessionFromFlags: the preset of presetFromFlags, the backend asked for, and no provenance file', async () => {
  const file = path.join(tmp(), 'p.json');
  const s = await sessionFromFlags('unit', { preset: 'smoke', set: ['seed=5'], backend: 'cpu' }, { env: { XALIGN_SET: 'tuneSteps=2', XALIGN_PROVENANCE_FILE: file } });
  assert.equal(s.preset.name, 'smoke');
  assert.equal(s.rng.seed, 5);
  assert.equal(s.settings.tuneSteps, 2);
  assert.equal(s.provenance.command, 'npx xalign unit --preset smoke --set tuneSteps=2,seed=5');
  assert.equal(fs.existsSync(file), false, 'a command run inside a notebook leaves the notebook\'s provenance alone');
});

test('every CLI command resolves its preset and backend through src/session.ts', () => {
  const dir = path.resolve(__dirname, '../../src/cli');
  const sources = (d: string): string[] =>
    fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(d, e.name)) : e.name.endsWith('.ts') ? [path.join(d, e.name)] : []));
  const offenders = sources(dir).filter((f) => /\b(resolvePreset|presetFromEnv|selectBackend|parseOverrides)\s*\(/.test(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(offenders.map((f) => path.relative(dir, f)), []);
});

test('writeJsonAtomic leaves no temporary file behind and replaces the old content whole', () => {
  const dir = tmp();
  const file = path.join(dir, 'r.json');
  writeJsonAtomic(file, { a: 1 });
  writeJsonAtomic(file, { b: 2 });
  assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { b: 2 });
  assert.deepEqual(fs.readdirSync(dir), ['r.json']);
});

test('the index page links each notebook with status, time, preset and backend', () => {
  const html = indexPageHtml(
    [
      { notebook: '00-setup', ok: true, seconds: 4.2, cells: 6, failedCell: null, failure: null, preset: 'smoke', backend: 'wasm', seed: 1, commit: 'abc', html: '00-setup.html' },
      { notebook: '01-<data>', ok: false, seconds: 75, cells: 9, failedCell: 3, failure: 'timeout', preset: 'smoke', backend: 'cpu', seed: 1, commit: 'abc', html: null },
    ],
    { preset: 'smoke', overridden: ['seed'], totalSeconds: 80 },
  );
  assert.match(html, /<a href="00-setup.html">00-setup<\/a>/);
  assert.match(html, /failed at cell 3 \(timeout\)/);
  assert.match(html, /01-&lt;data&gt;/);
  assert.match(html, /1 min 15 s/);
  assert.match(html, /1 of 2 notebooks ran without error/);
  assert.match(html, /overridden: seed/);
  assert.match(html, /<td>wasm<\/td>/);
});
