import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { DataError } from '../../src/data/errors';
import { firstInvalidUtf8, readAllLines } from '../../src/data/lines';
import { readParallel, writeParallel, type Pair } from '../../src/data/parallel';
import { readAlpaca, readJsonl, readTsv, renderAlpacaPrompt, writeAlpaca, writeJsonl, writeTsv } from '../../src/data/records';
import { readFlores, writeFlores } from '../../src/data/flores';
import { countTokens, summariseParallel } from '../../src/data/summary';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-data-'));
const PAIRS: Pair[] = [
  { src: 'Hello, world.', tgt: '你好，世界。' },
  { src: 'Tab\there \\ back', tgt: 'Γειά σου' },
  { src: '', tgt: 'boş' },
  { src: 'Xin chào', tgt: 'नमस्ते' },
];

test('parallel text round-trips, files are named prefix.lang', () => {
  const d = tmp();
  const [a, b] = writeParallel(path.join(d, 'train'), 'en', 'zh', PAIRS);
  assert.equal(path.basename(a), 'train.en');
  assert.equal(path.basename(b), 'train.zh');
  assert.deepEqual(readParallel(a, b), PAIRS);
  assert.deepEqual(fs.readdirSync(d).sort(), ['train.en', 'train.zh']);
});

test('line counts that differ name both files and both counts', () => {
  const d = tmp();
  fs.writeFileSync(path.join(d, 'a.en'), 'one\ntwo\nthree\n');
  fs.writeFileSync(path.join(d, 'a.zh'), '一\n二\n');
  assert.throws(
    () => readParallel(path.join(d, 'a.en'), path.join(d, 'a.zh')),
    (e: Error) => e instanceof DataError && /a\.en has 3 lines/.test(e.message) && /a\.zh has 2/.test(e.message),
  );
});

test('BOM and CRLF are handled; a missing final newline is fine', () => {
  const d = tmp();
  fs.writeFileSync(path.join(d, 'x'), '\ufeffalpha\r\nbeta\r\ngamma');
  assert.deepEqual(readAllLines(path.join(d, 'x')), ['alpha', 'beta', 'gamma']);
  fs.writeFileSync(path.join(d, 'bom-only'), '\ufeff');
  assert.deepEqual(readAllLines(path.join(d, 'bom-only')), []);
  fs.writeFileSync(path.join(d, 'bom-short'), '\ufeffa');
  assert.deepEqual(readAllLines(path.join(d, 'bom-short'), { chunkBytes: 2 }), ['a']);
  fs.writeFileSync(path.join(d, 'a.json'), '\ufeff[{"instruction":"i","input":"","output":"o"}]\r\n');
  assert.deepEqual(readAlpaca(path.join(d, 'a.json')), [{ instruction: 'i', input: '', output: 'o' }]);
  fs.writeFileSync(path.join(d, 'b.json'), Buffer.concat([Buffer.from('[{"instruction":"'), Buffer.from([0xc3]), Buffer.from('"}]')]));
  assert.throws(() => readAlpaca(path.join(d, 'b.json')), /b\.json: invalid UTF-8 at byte offset 17/);
});

test('invalid UTF-8 names file and byte offset, or is skipped with a count', () => {
  const d = tmp();
  const a = path.join(d, 'bad.en');
  const b = path.join(d, 'bad.zh');
  fs.writeFileSync(a, Buffer.concat([Buffer.from('ok\nab'), Buffer.from([0xff, 0x41]), Buffer.from('\nfine\n')]));
  fs.writeFileSync(b, 'x\ny\nz\n');
  assert.throws(
    () => readParallel(a, b),
    (e: Error) => e instanceof DataError && e.message.includes('bad.en') && /byte offset 5\b/.test(e.message),
  );
  const pairs: Pair[] = readParallel(a, b, { invalid: 'skip' });
  assert.deepEqual(pairs, [
    { src: 'ok', tgt: 'x' },
    { src: 'fine', tgt: 'z' },
  ]);
  assert.equal(summariseParallel(a, b, { invalid: 'skip' }).skippedInvalid, 1);
});

test('the UTF-8 validator finds overlongs, surrogates and truncated sequences', () => {
  assert.equal(firstInvalidUtf8(Buffer.from('héllo 你好 😀')), -1);
  assert.equal(firstInvalidUtf8(Buffer.from([0x41, 0xc0, 0x80])), 1);
  assert.equal(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80])), 0);
  assert.equal(firstInvalidUtf8(Buffer.from([0x41, 0xe4, 0xbd])), 1);
});

test('an empty file is an error unless allowed', () => {
  const d = tmp();
  fs.writeFileSync(path.join(d, 'e.en'), '');
  fs.writeFileSync(path.join(d, 'e.zh'), '');
  assert.throws(() => readParallel(path.join(d, 'e.en'), path.join(d, 'e.zh')), /empty/);
  assert.deepEqual(readParallel(path.join(d, 'e.en'), path.join(d, 'e.zh'), { allowEmpty: true }), []);
  fs.writeFileSync(path.join(d, 'e.json'), '');
  assert.throws(() => readAlpaca(path.join(d, 'e.json')), /e\.json: the file is empty/);
  assert.throws(() => readTsv(path.join(d, 'e.en')), /empty/);
});

test('a segment with a line break is refused and nothing is written', () => {
  const d = tmp();
  assert.throws(() => writeParallel(path.join(d, 'w'), 'en', 'zh', [{ src: 'a', tgt: 'b' }, { src: 'c\nd', tgt: 'e' }]), /pair 1/);
  assert.deepEqual(fs.readdirSync(d), []);
});

test('small chunks: lines and multi-byte characters split across reads', () => {
  const d = tmp();
  const lines = Array.from({ length: 300 }, (_, i) => `行 ${i} — ${'é'.repeat(i % 7)}`);
  fs.writeFileSync(path.join(d, 'c'), lines.join('\n') + '\n');
  assert.deepEqual(readAllLines(path.join(d, 'c'), { chunkBytes: 7 }), lines);
});

test('TSV round-trips tabs, newlines and backslashes; a bad line names file and line', () => {
  const d = tmp();
  const f = path.join(d, 'p.tsv');
  const pairs = [...PAIRS, { src: 'two\nlines', tgt: 'x' }];
  writeTsv(f, pairs);
  assert.deepEqual(readTsv(f), pairs);
  fs.writeFileSync(f, 'a\tb\nonly-one-column\n');
  assert.throws(() => readTsv(f), /p\.tsv:2: expected 2 tab-separated columns/);
});

test('JSONL round-trips; a bad line names file and line', () => {
  const d = tmp();
  const f = path.join(d, 'r.jsonl');
  writeJsonl(f, [{ a: 1 }, { b: 'ü' }]);
  assert.deepEqual(readJsonl(f), [{ a: 1 }, { b: 'ü' }]);
  fs.appendFileSync(f, '{oops\n');
  assert.throws(() => readJsonl(f), /r\.jsonl:3: not valid JSON/);
});

test('Alpaca JSON round-trips with optional id; a missing field names file and record index', () => {
  const d = tmp();
  const f = path.join(d, 'alpaca_en.json');
  const recs = [
    { id: 'a-0', instruction: 'Say hi.', input: '', output: 'Hi!' },
    { instruction: 'Translate.', input: 'Hello', output: '你好' },
  ];
  writeAlpaca(f, recs);
  assert.deepEqual(readAlpaca(f), recs);
  fs.writeFileSync(f, JSON.stringify([recs[0], { instruction: 'x', output: 'y' }]));
  assert.throws(
    () => readAlpaca(f),
    (e: Error) => e instanceof DataError && /alpaca_en\.json: record 1 has no "input" field/.test(e.message),
  );
});

test('Alpaca prompt template with and without input', () => {
  const withInput = renderAlpacaPrompt({ instruction: 'Translate.', input: 'Hello' });
  assert.match(withInput, /### Instruction:\nTranslate\.\n\n### Input:\nHello\n\n### Response:\n$/);
  const without = renderAlpacaPrompt({ instruction: 'Say hi.', input: '' });
  assert.ok(!without.includes('### Input:'));
  assert.match(without, /### Instruction:\nSay hi\.\n\n### Response:\n$/);
});

test('FLORES dev/devtest files round-trip under FLORES-200 names', () => {
  const d = tmp();
  writeFlores(d, 'devtest', 'en', 'zh', PAIRS);
  assert.ok(fs.existsSync(path.join(d, 'devtest', 'eng_Latn.devtest')));
  assert.ok(fs.existsSync(path.join(d, 'devtest', 'zho_Hans.devtest')));
  assert.deepEqual(readFlores(d, 'devtest', 'en', 'zh'), PAIRS);
  assert.throws(() => readFlores(d, 'dev', 'en', 'zh'), /no FLORES dev file for "en"/);
});

test('summary counts pairs, tokens and scripts', () => {
  const d = tmp();
  const [a, b] = writeParallel(path.join(d, 's'), 'en', 'el', [
    { src: 'a b c', tgt: 'α β' },
    { src: 'd', tgt: 'γ' },
  ]);
  const s = summariseParallel(a, b);
  assert.equal(s.pairs, 2);
  assert.equal(s.src.tokens, 4);
  assert.equal(s.tgt.tokens, 3);
  assert.deepEqual(Object.keys(s.tgtScripts), ['Greek']);
  assert.equal(countTokens('  x  y '), 2);
});

test('a 1M-line pair streams through the summary (WikiMatrix size), counting every pair', () => {
  const d = tmp();
  const n = 1_000_000;
  const en = Buffer.from('a b\n'.repeat(n));
  const zh = Buffer.from('甲\n'.repeat(n));
  fs.writeFileSync(path.join(d, 'big.en'), en);
  fs.writeFileSync(path.join(d, 'big.zh'), zh);
  const s = summariseParallel(path.join(d, 'big.en'), path.join(d, 'big.zh'));
  assert.equal(s.pairs, n);
  assert.equal(s.src.tokens, 2 * n);
  assert.equal(s.bytes, en.length + zh.length);
  fs.rmSync(d, { recursive: true, force: true });
});
