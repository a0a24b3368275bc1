import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';

const BIN = path.resolve(__dirname, '../../bin/xalign.cjs');

function xalign(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, PRESET: 'smoke' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('world describe --json on smoke: sizes, languages with measured similarity, corpus bytes', () => {
  const r = xalign(['world', 'describe', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  assert.equal(v.preset, 'smoke');
  assert.equal(v.people, 20);
  assert.deepEqual(v.languages.map((l: { code: string }) => l.code), ['zh', 'tr']);
  assert.ok(v.languages.every((l: { similarity: { sharedTokenShare: number } }) => l.similarity.sharedTokenShare > 0));
  const en = v.corpus.byLanguage.find((l: { lang: string }) => l.lang === 'en');
  assert.ok(en.byteShare > 0.4);
});

test('world sample prints records; misuse is a usage error', () => {
  const r = xalign(['world', 'sample', '--lang', 'tr', '--task', 'knowledge', '-n', '2', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  assert.equal(v.length, 2);
  assert.ok(v.every((e: { heldOut: boolean }) => e.heldOut));
  const text = xalign(['world', 'sample', '--lang', 'zh', '--task', 'qa', '-n', '1']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /instruction: /);
  assert.equal(xalign(['world', 'sample', '--lang', 'ar', '--task', 'qa']).code, 2); // ar is not in smoke
  assert.equal(xalign(['world', 'sample', '--lang', 'tr', '--task', 'poetry']).code, 2);
  assert.equal(xalign(['world', 'frobnicate']).code, 2);
});
