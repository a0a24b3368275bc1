import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';

const BIN = path.resolve(__dirname, '../../bin/xalign.cjs');

function xalign(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--help lists the commands; no command is a usage error', () => {
  const r = xalign(['--help']);
  assert.equal(r.code, 0);
  for (const c of ['version', 'presets', 'backend', 'reproduce', 'lab', 'notebooks', 'data']) assert.match(r.stdout, new RegExp(`\\n  ${c} `));
  assert.equal(xalign([]).code, 2);
});

test('version --json prints one JSON document with the versions', () => {
  const r = xalign(['version', '--json']);
  assert.equal(r.code, 0);
  const v = JSON.parse(r.stdout);
  assert.equal(v.xalign, require('../../package.json').version);
  assert.equal(v.node, process.versions.node);
  assert.match(v.tfjs, /^\d+\.\d+\.\d+$/);
});

test('presets NAME --set shows typed overrides; bad values fail with the field named', () => {
  const ok = xalign(['presets', 'smoke', '--set', 'seed=9', '--set', 'languages=vi+zh', '--json']);
  assert.equal(ok.code, 0);
  const v = JSON.parse(ok.stdout);
  assert.equal(v.settings.seed, 9);
  assert.deepEqual(v.settings.languages, ['vi', 'zh']);
  const bad = xalign(['presets', 'smoke', '--set', 'seed=-3', '--json']);
  assert.equal(bad.code, 1);
  assert.match(JSON.parse(bad.stdout).error.message, /setting "seed" must be int/);
  assert.match(bad.stderr, /seed/);
});

test('unknown commands and flags are usage errors (exit 2)', () => {
  const r = xalign(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
  const f = xalign(['version', '--nope']);
  assert.equal(f.code, 2);
  assert.match(f.stderr, /--nope/);
});

test('subcommand --help prints its usage', () => {
  const r = xalign(['reproduce', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--cell-timeout/);
});

test('backend honours XALIGN_BACKEND and fails clearly for an unknown one', () => {
  const r = xalign(['backend', '--json'], { XALIGN_BACKEND: 'cpu' });
  assert.equal(r.code, 0);
  assert.equal(JSON.parse(r.stdout).name, 'cpu');
  const bad = xalign(['backend'], { XALIGN_BACKEND: 'quantum' });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /unknown backend "quantum" \(from XALIGN_BACKEND\)/);
});

test('reproduce refuses an unknown notebook and a bad preset before starting any kernel', () => {
  const r = xalign(['reproduce', '--only', 'no-such-notebook']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no notebook "no-such-notebook"; known: 00-setup/);
  const p = xalign(['reproduce', '--preset', 'galactic']);
  assert.equal(p.code, 1);
  assert.match(p.stderr, /unknown preset "galactic"/);
});
