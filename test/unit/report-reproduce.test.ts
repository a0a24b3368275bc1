/**
 * The headless runner against real Jupyter: a notebook whose cell throws, and one whose
 * cell outlives its time-out, must make `xalign reproduce` exit non-zero, print the
 * cell's source and its real error, and still write the executed notebook and page.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { findJupyterPython } from '../../src/report/reproduce';

const ROOT = path.resolve(__dirname, '../..');
let jupyter = true;
try {
  findJupyterPython();
} catch {
  jupyter = false;
}
const skip = jupyter ? false : 'Jupyter (nbclient) is not installed: run `npm run setup`';

function reproduce(fixture: string) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-runner-'));
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'bin/xalign.cjs'), 'reproduce', '--preset', 'smoke', '--out', out, '--only', path.join(ROOT, 'test/fixtures', fixture)],
    { encoding: 'utf8', timeout: 120_000 },
  );
  return { code: r.status, output: r.stdout + r.stderr, out };
}

test('a failing cell fails the run and its real error reaches the terminal', { skip }, () => {
  const r = reproduce('failing.ipynb');
  assert.equal(r.code, 1);
  assert.match(r.output, /failing\.ipynb: cell 2 failed \(error\)/);
  assert.match(r.output, /--- cell source ---\nfunction explode/);
  assert.match(r.output, /RangeError: fixture failure: deliberate error number 42/);
  assert.doesNotMatch(r.output, /this cell must never run\n/);
  const executed = JSON.parse(fs.readFileSync(path.join(r.out, 'failing.ipynb'), 'utf8'));
  assert.match(JSON.stringify(executed.cells[1].outputs), /before the failure: 42/);
  assert.ok(fs.existsSync(path.join(r.out, 'failing.html')));
  const index = JSON.parse(fs.readFileSync(path.join(r.out, 'index.json'), 'utf8'));
  assert.equal(index.results[0].ok, false);
  assert.equal(index.results[0].failedCell, 2);
});

test('a cell past the time-out in its metadata is stopped and reported', { skip }, () => {
  const r = reproduce('timeout.ipynb');
  assert.equal(r.code, 1);
  assert.match(r.output, /timeout\.ipynb: cell 2 failed \(timeout\)/);
  assert.match(r.output, /time-out of 3 s/);
  const index = JSON.parse(fs.readFileSync(path.join(r.out, 'index.json'), 'utf8'));
  assert.equal(index.results[0].failure, 'timeout');
});

test('a notebook whose metadata skips the preset is reported as skipped, and runs when forced', { skip }, async () => {
  const { reproduce } = await import('../../src/report/reproduce');
  const fixture = path.join(ROOT, 'test/fixtures/skip-smoke.ipynb');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-skip-'));
  const quiet = () => undefined;
  const skipped = await reproduce({ notebooks: [fixture], preset: 'smoke', outDir: out, log: quiet });
  assert.equal(skipped.ok, true);
  assert.equal(skipped.results[0]!.skipped, 'fixture: too slow for smoke');
  assert.equal(skipped.results[0]!.html, null);
  assert.match(fs.readFileSync(path.join(out, 'index.html'), 'utf8'), /skipped: fixture: too slow for smoke/);
  const forced = await reproduce({ notebooks: [fixture], preset: 'smoke', outDir: out, log: quiet, force: true });
  assert.equal(forced.ok, true);
  assert.equal(forced.results[0]!.skipped ?? null, null);
  assert.match(fs.readFileSync(path.join(out, 'skip-smoke.ipynb'), 'utf8'), /the skip fixture ran/);
});
