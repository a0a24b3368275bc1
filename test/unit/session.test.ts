import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { writeJsonAtomic } from '../../src/io/atomic';
import { indexPageHtml } from '../../src/report/index-page';
import { createSession } from '../../src/session';

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
