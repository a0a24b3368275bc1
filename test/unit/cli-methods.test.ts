import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { writeNpy } from '../../src/similarity';

const BIN = path.resolve(__dirname, '../../bin/xalign.cjs');
const EXAMPLES = path.resolve(__dirname, '../../data/examples');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-cli-'));

function xalign(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('fit --json has exactly the documented shape', () => {
  const r = xalign(['fit', '--points', path.join(EXAMPLES, 'scaling-points.csv'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(v), ['laws']);
  assert.equal(v.laws.length, 6);
  assert.deepEqual(Object.keys(v.laws[0]), ['language', 'alpha', 'beta', 'gamma', 'sse', 'r2', 'alphaStdErr', 'betaStdErr']);
  assert.ok(v.laws.every((l: { r2: number }) => l.r2 > 0.99));
});

test('fit: a bad CSV fails naming file and line', () => {
  const file = path.join(dir, 'bad.csv');
  fs.writeFileSync(file, 'language,gamma,x,score\nzh,0.5,100,40\nzh,0.5,-3,45\n');
  const r = xalign(['fit', '--points', file]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad\.csv line 3: x \(number of pairs\) must be > 0/);
  assert.equal(xalign(['fit']).code, 2);
});

test('similarity --json gives similarity, top1, mrr, n', () => {
  const a = path.join(dir, 'a.npy');
  const b = path.join(dir, 'b.npy');
  writeNpy(a, [1, 0, 0, 1, 1, 1], [3, 2], 'float32');
  writeNpy(b, [0, 1, 0, 1, 1, 1], [3, 2], 'float16');
  const r = xalign(['similarity', '--en', a, '--x', b, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(v), ['similarity', 'top1', 'mrr', 'n']);
  assert.equal(v.n, 3);
  assert.ok(Math.abs(v.similarity - 2 / 3) < 1e-12);
  const flat = path.join(dir, 'flat.npy');
  writeNpy(flat, [1, 2, 3], [3], 'float64');
  const e = xalign(['similarity', '--en', flat, '--x', b]);
  assert.equal(e.code, 1);
  assert.match(e.stderr, /flat\.npy: expected a 2-D array/);
});

test('allocate --json: every method, the documented shape, degenerate cases reported', () => {
  const laws = path.join(EXAMPLES, 'laws.json');
  for (const method of ['optimal', 'uniform', 'proportional', 'temperature', 'unimax']) {
    const r = xalign(['allocate', '--laws', laws, '--budget', '1.2M', '--method', method, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(v), ['method', 'allocation', 'objective', 'marginal']);
    assert.equal(v.method, method);
    assert.deepEqual(Object.keys(v.allocation), ['ar', 'el', 'hi', 'tr', 'vi', 'zh']);
    const used = Object.values(v.allocation as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.ok(used <= 1.2e6 + 1e-6);
  }
  const t = JSON.parse(xalign(['allocate', '--laws', laws, '--budget', '1.2M', '--method', 'temperature', '--tau', '1', '--json']).stdout);
  const p = JSON.parse(xalign(['allocate', '--laws', laws, '--budget', '1.2M', '--method', 'proportional', '--json']).stdout);
  assert.ok(Math.abs(t.allocation.ar - p.allocation.ar) < 1e-6);
  const over = xalign(['allocate', '--laws', laws, '--budget', '9M']);
  assert.equal(over.code, 0);
  assert.match(over.stderr, /every language is capped/);
  assert.equal(xalign(['allocate', '--laws', laws, '--budget', 'lots']).code, 2);
  assert.equal(xalign(['allocate', '--laws', laws, '--budget', '1M', '--method', 'magic']).code, 2);
  const badLaws = path.join(dir, 'laws.json');
  fs.writeFileSync(badLaws, JSON.stringify([{ language: 'zh', alpha: 1, beta: -1, gamma: 0.5, max: 10 }]));
  const bad = xalign(['allocate', '--laws', badLaws, '--budget', '5']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /laws\.json\[0\]\.beta: must be > 0/);
});
