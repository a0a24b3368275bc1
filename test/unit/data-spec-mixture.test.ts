import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { buildMixture, recordsFromSpec, translationInstruction, TRANSLATION_TEMPLATES, writeMixture } from '../../src/data/mixture';
import { writeParallel } from '../../src/data/parallel';
import { readAlpaca, writeAlpaca } from '../../src/data/records';
import { localRegistry, resolveDatasetSpec } from '../../src/data/registry';
import { parseDatasetSpec, sliceBounds, SpecError } from '../../src/data/spec';

test('specs parse into names and slices', () => {
  assert.deepEqual(parseDatasetSpec('alpaca_en+alpaca_zh+translation_ncwm_en-zh[0:100000]'), [
    { name: 'alpaca_en', offset: 0 },
    { name: 'alpaca_zh', offset: 10 },
    { name: 'translation_ncwm_en-zh', offset: 20, start: 0, end: 100000 },
  ]);
  assert.deepEqual(parseDatasetSpec('x[:5]+y[-3:]'), [
    { name: 'x', offset: 0, end: 5 },
    { name: 'y', offset: 6, start: -3 },
  ]);
  assert.deepEqual(sliceBounds({ start: -3 }, 10), [7, 10]);
  assert.deepEqual(sliceBounds({ end: 50 }, 10), [0, 10]);
});

test('parse errors show the spec and a caret under the character', () => {
  const cases: [string, number][] = [
    ['alpaca_en++alpaca_zh', 10],
    ['alpaca_en[0-5]', 11],
    ['alpaca_en[0:5', 13],
    ['alpaca en', 6],
    ['', 0],
  ];
  for (const [spec, col] of cases) {
    assert.throws(
      () => parseDatasetSpec(spec),
      (e: Error) => {
        assert.ok(e instanceof SpecError, spec);
        assert.equal(e.column, col, spec);
        const lines = e.message.split('\n');
        assert.equal(lines[1], `  ${spec}`);
        assert.equal(lines[2], `  ${' '.repeat(col)}^`);
        return true;
      },
    );
  }
});

function fixtureRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-reg-'));
  writeParallel(path.join(root, 'opus', 'WikiMatrix.en-zh'), 'en', 'zh', [
    { src: 'wm one', tgt: '一' },
    { src: 'wm two', tgt: '二' },
  ]);
  writeParallel(path.join(root, 'opus', 'News-Commentary.en-zh'), 'en', 'zh', [{ src: 'nc one', tgt: '甲' }]);
  writeParallel(path.join(root, 'cache', 'corpus', 'en-tr', 'train'), 'en', 'tr', [{ src: 'Open', tgt: 'Aç' }]);
  writeAlpaca(path.join(root, 'alpaca', 'alpaca_en.json'), [
    { instruction: 'Say hi.', input: '', output: 'Hi.' },
    { instruction: 'Count.', input: '', output: '1 2 3' },
  ]);
  return root;
}

test('the registry finds OPUS files, the built corpus and Alpaca files; ncwm concatenates', () => {
  const reg = localRegistry(fixtureRoot());
  assert.deepEqual([...reg.keys()].sort(), [
    'alpaca_en',
    'translation_ncwm_en-zh',
    'translation_newscommentary_en-zh',
    'translation_wikimatrix_en-zh',
    'translation_xalign_en-tr',
  ]);
  const recs = recordsFromSpec('alpaca_en[1:]+translation_ncwm_en-zh[0:2]', reg);
  assert.deepEqual(
    recs.map((r) => [r.instruction, r.input, r.output]),
    [
      ['Count.', '', '1 2 3'],
      ['Translate the following sentences from English to Chinese.', 'nc one', '甲'],
      [translationInstruction('en', 'zh', 1), 'wm one', '一'],
    ],
  );
  assert.throws(
    () => resolveDatasetSpec('alpaca_en+alpaca_xx', reg),
    (e: Error) => /unknown dataset "alpaca_xx"/.test(e.message) && e.message.split('\n')[2] === `  ${' '.repeat(10)}^`,
  );
});

test('mixtures: first template is the plain one, cycled; sizes per language; seeded shuffle; Alpaca output', () => {
  assert.equal(translationInstruction('en', 'zh'), 'Translate the following sentences from English to Chinese.');
  assert.equal(translationInstruction('en', 'zh', TRANSLATION_TEMPLATES.length), translationInstruction('en', 'zh', 0));
  const pairs = Array.from({ length: 10 }, (_, i) => ({ src: `s${i}`, tgt: `t${i}` }));
  const ins = (l: string) => Array.from({ length: 5 }, (_, i) => ({ instruction: `${l} q${i}`, input: '', output: `${l} a${i}` }));
  const input = {
    languages: ['zh', 'tr'],
    translation: { zh: pairs, tr: pairs },
    instructions: { en: ins('en'), zh: ins('zh'), tr: ins('tr') },
    translationSizes: { zh: 4, tr: 2 },
    instructionSizes: { en: 3, zh: 2, tr: 1 },
    seed: 7,
  };
  const a = buildMixture(input);
  assert.equal(a.records.length, 12);
  assert.deepEqual(a.manifest.translation, { zh: { asked: 4, used: 4 }, tr: { asked: 2, used: 2 } });
  assert.deepEqual(buildMixture(input).records, a.records, 'same seed, same order');
  assert.notDeepEqual(buildMixture({ ...input, seed: 8 }).records, a.records);
  const zh0 = a.records.find((r) => r.id === 'translation_en-zh_0')!;
  assert.equal(zh0.instruction, 'Translate the following sentences from English to Chinese.');
  assert.equal(zh0.input, 's0');
  assert.throws(() => buildMixture({ ...input, translationSizes: { zh: 11, tr: 1 } }), /en-zh: asked for 11 records but only 10/);
  assert.equal(buildMixture({ ...input, translationSizes: 11, onShort: 'cap' }).manifest.translation.zh!.used, 10);
  const fromAllocation = buildMixture({ ...input, translationSizes: { languages: ['tr', 'zh'], x: [1.4, 2.6] } });
  assert.deepEqual(fromAllocation.manifest.translation, { zh: { asked: 3, used: 3 }, tr: { asked: 1, used: 1 } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-mix-'));
  const file = writeMixture(dir, 'mix', a);
  const back = readAlpaca(file);
  assert.deepEqual(back, a.records);
  assert.deepEqual(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8'))[0]), ['id', 'instruction', 'input', 'output']);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'mix.manifest.json'), 'utf8')).seed, 7);
});
