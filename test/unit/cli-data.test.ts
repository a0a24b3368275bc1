import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { writeParallel } from '../../src/data/parallel';
import { writeAlpaca } from '../../src/data/records';

const BIN = path.resolve(__dirname, '../../bin/xalign.cjs');

function xalign(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('data: stats without a corpus says how to build it; summarise streams a pair; spec errors show a caret', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-cli-data-'));
  const env = { XALIGN_DATA_DIR: root };
  const s = xalign(['data', 'stats'], env);
  assert.equal(s.code, 1);
  assert.match(s.stdout, /no corpus built .*xalign data build/);
  const [a, b] = writeParallel(path.join(root, 'opus', 'WikiMatrix.en-zh'), 'en', 'zh', [
    { src: 'one two', tgt: '一二' },
    { src: 'three', tgt: '三' },
  ]);
  const sum = xalign(['data', 'summarise', a, b, '--json'], env);
  assert.equal(sum.code, 0, sum.stderr);
  assert.equal(JSON.parse(sum.stdout).pairs, 2);
  const list = xalign(['data', 'list', '--json'], env);
  assert.deepEqual(
    JSON.parse(list.stdout).map((d: { name: string }) => d.name),
    ['translation_wikimatrix_en-zh', 'translation_ncwm_en-zh'],
  );
  const out = path.join(root, 'spec.json');
  const ok = xalign(['data', 'spec', 'translation_ncwm_en-zh[1:]', '--out', out], env);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(fs.readFileSync(out, 'utf8'))[0].input, 'three');
  const bad = xalign(['data', 'spec', 'translation_ncwm_en-zh[1:', '--out', out], env);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /expected "\]" to close the slice, found the end at character 26\n  translation_ncwm_en-zh\[1:\n {27}\^/);
  fs.writeFileSync(b, '一二\n');
  const mismatch = xalign(['data', 'summarise', a, b], env);
  assert.equal(mismatch.code, 1);
  assert.match(mismatch.stderr, /WikiMatrix\.en-zh\.en has 2 lines, .*WikiMatrix\.en-zh\.zh has 1/);
  assert.equal(xalign(['data', 'frobnicate'], env).code, 2);
});

test('data mix: translation pairs from the built corpus plus instruction records from a spec', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-cli-mix-'));
  const env = { XALIGN_DATA_DIR: root };
  writeParallel(path.join(root, 'cache', 'corpus', 'en-zh', 'train'), 'en', 'zh', [
    { src: 'Open', tgt: '打开' },
    { src: 'Close', tgt: '关闭' },
    { src: 'Save', tgt: '保存' },
  ]);
  writeAlpaca(path.join(root, 'alpaca', 'alpaca_en.json'), [{ instruction: 'Say hi.', input: '', output: 'Hi.' }]);
  writeAlpaca(path.join(root, 'alpaca', 'alpaca_zh.json'), [{ instruction: '问好。', input: '', output: '你好。' }]);
  const out = path.join(root, 'mix');
  const r = xalign(['data', 'mix', '--lang', 'zh', '--pairs', '2', '--instructions', 'alpaca_en+alpaca_zh', '--per-lang', '1', '--out', out, '--name', 'm', '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  const recs = JSON.parse(fs.readFileSync(path.join(out, 'm.json'), 'utf8')) as { id: string; instruction: string }[];
  assert.equal(recs.length, 4);
  assert.equal(recs.find((x) => x.id === 'translation_en-zh_0')!.instruction, 'Translate the following sentences from English to Chinese.');
  const man = JSON.parse(fs.readFileSync(path.join(out, 'm.manifest.json'), 'utf8'));
  assert.deepEqual(man.instructions, { en: { asked: 1, used: 1 }, zh: { asked: 1, used: 1 } });
});
