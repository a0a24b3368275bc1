import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { buildCorpus, type CorpusManifest, splitOf } from '../../src/data/corpus/build';
import { cleanPairs, isInLanguage, normaliseSegment, scriptShare } from '../../src/data/corpus/clean';
import { parseMo } from '../../src/data/corpus/mo';
import { helpSegments, udhrPairs } from '../../src/data/corpus/sources';
import { cleaningTotals, corpusStats, removedShare } from '../../src/data/corpus/stats';
import { localRegistry } from '../../src/data/registry';

/** A little-endian .mo file with the given (id, str) entries, built by hand. */
function makeMo(entries: [string, string][]): Buffer {
  const n = entries.length;
  const head = 28;
  const ids = entries.map(([k]) => Buffer.from(k, 'utf8'));
  const strs = entries.map(([, v]) => Buffer.from(v, 'utf8'));
  let off = head + 16 * n;
  const table = Buffer.alloc(16 * n);
  const blobs: Buffer[] = [];
  [ids, strs].forEach((list, t) =>
    list.forEach((b, i) => {
      table.writeUInt32LE(b.length, t * 8 * n + 8 * i);
      table.writeUInt32LE(off, t * 8 * n + 8 * i + 4);
      blobs.push(b, Buffer.from([0]));
      off += b.length + 1;
    }),
  );
  const h = Buffer.alloc(head);
  h.writeUInt32LE(0x950412de, 0);
  h.writeUInt32LE(0, 4);
  h.writeUInt32LE(n, 8);
  h.writeUInt32LE(head, 12);
  h.writeUInt32LE(head + 8 * n, 16);
  return Buffer.concat([h, table, ...blobs]);
}

test('.mo catalogues: header skipped, contexts split off, plurals keep the singular', () => {
  const mo = makeMo([
    ['', 'Content-Type: text/plain; charset=UTF-8\n'],
    ['STR_OPEN\x04~Open', '~Aç'],
    ['%d file\0%d files', '%d dosya\0%d dosya'],
    ['Untranslated', ''],
  ]);
  assert.deepEqual(parseMo(mo, 't.mo'), [
    { context: 'STR_OPEN', msgid: '~Open', msgstr: '~Aç' },
    { msgid: '%d file', msgstr: '%d dosya' },
  ]);
  assert.throws(() => parseMo(Buffer.alloc(40), 'x.mo'), /x\.mo: not a \.mo catalogue/);
});

test('normalising removes markup, placeholders and accelerators, and applies NFC', () => {
  assert.equal(normaliseSegment('_Open %s…'), 'Open…');
  assert.equal(normaliseSegment('打开(_O)'), '打开');
  assert.equal(normaliseSegment('~Save as %1$s &amp; <b>close</b>'), 'Save as & close');
  assert.equal(normaliseSegment('Welcome to %PRODUCTNAME'), 'Welcome to LibreOffice');
  assert.equal(normaliseSegment('Unable to access “%s”'), 'Unable to access');
  assert.equal(normaliseSegment('Cie\u0300n'), 'Ci\u00e8n');
  assert.equal(normaliseSegment('100%% done'), '100% done');
  assert.equal(normaliseSegment('Copy "%B" now, %NEXTVERSION $name$ $BINDING user $u {0}'), 'Copy now, user');
  assert.equal(normaliseSegment('R_eject Sa~ve', { ui: true }), 'Reject Save');
  assert.equal(normaliseSegment('file_name', {}), 'file_name');
  assert.equal(normaliseSegment('包含(I):', { ui: true }), '包含:');
  assert.equal(normaliseSegment('偏振 (V)', { ui: true }), '偏振 (V)');
  assert.equal(normaliseSegment('Tile offset in %'), 'Tile offset in %');
});

test('language checks: script share for non-Latin targets, language ID for Latin ones', () => {
  assert.equal(scriptShare('Γειά σου', 'el'), 1);
  assert.ok(!isInLanguage('Open file', 'el', null));
  const fake = { name: 'fake', predict: (t: string): [string, number][] => [[t.includes('ç') ? 'tr' : 'en', 0.9]] };
  assert.ok(isInLanguage('Dosya aç', 'tr', fake));
  assert.ok(!isInLanguage('Open file', 'tr', fake));
  const { pairs, steps } = cleanPairs(
    [
      { src: 'Open file', tgt: 'Dosya aç' },
      { src: 'Open file', tgt: 'Dosya aç' },
      { src: 'Open File', tgt: 'Dosya Aç' },
      { src: 'Save', tgt: 'Save' },
      { src: 'Close', tgt: 'Close the window' },
      { src: '%s', tgt: '%s' },
    ],
    { lang: 'tr', langId: fake },
  );
  assert.deepEqual(pairs, [{ src: 'Open file', tgt: 'Dosya aç' }]);
  assert.deepEqual(
    steps.map((s) => [s.step, s.after]),
    [
      ['raw', 6],
      ['empty', 5],
      ['untranslated', 4],
      ['language-id', 3],
      ['length', 3],
      ['length-ratio', 3],
      ['duplicates', 2],
      ['near-duplicates', 1],
    ],
  );
});

test('help pages pair by element id', () => {
  const seg = helpSegments('<h1 id="hd_id1" dir="auto">Find <b>bar</b></h1><p id="par_id22" class="x">Use &lt;Ctrl&gt;.</p><p>none</p>');
  assert.deepEqual([...seg], [
    ['hd_id1', 'Find bar'],
    ['par_id22', 'Use <Ctrl>.'],
  ]);
});

test('UDHR: 50-60 aligned paragraphs per language, article 1 aligned', () => {
  for (const l of ['ar', 'el', 'hi', 'tr', 'vi', 'zh']) {
    const p = udhrPairs(l);
    assert.ok(p.length >= 50 && p.length <= 60, `${l}: ${p.length}`);
    assert.ok(p.some((x) => x.src.startsWith('All human beings are born free')), l);
  }
});

test('the split is a deterministic function of the English side', () => {
  const p = { src: 'Open the file.', tgt: 'x' };
  assert.equal(splitOf(p), splitOf({ src: 'open the FILE', tgt: 'y' }));
  const counts = { train: 0, dev: 0, test: 0 };
  for (let i = 0; i < 4000; i++) counts[splitOf({ src: `sentence ${i} ${String.fromCharCode(97 + (i % 26))}${i}`, tgt: '' })]++;
  assert.ok(counts.dev > 40 && counts.test > 40 && counts.train > 3500, JSON.stringify(counts));
});

test('without apt the build writes the UDHR sets, says how to use OPUS, and is incremental', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-corpus-'));
  const lines: string[] = [];
  const m = await buildCorpus({ root, languages: ['zh', 'tr'], apt: false, log: (l) => lines.push(l) });
  assert.equal(m.languages.zh!.splits.udhr, 51);
  assert.equal(m.languages.tr!.splits.train, 0);
  assert.match(m.notes.join('\n'), /OPUS/);
  assert.ok(fs.existsSync(path.join(root, 'cache', 'corpus', 'en-zh', 'udhr.zh')));
  assert.ok(localRegistry(root).has('udhr_en-tr'));
  const s = corpusStats(root);
  assert.equal(s.built, true);
  assert.equal(s.languages.zh!.udhr!.pairs, 51);
  const again = await buildCorpus({ root, languages: ['zh', 'tr'], apt: false, log: (l) => lines.push(l) });
  assert.equal(again.built, m.built);
  assert.ok(lines.some((l) => /up to date/.test(l)));
});

test('a language outside the six: built on its own (UDHR found by its code, script checked), with its manifest in its folder', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-corpus-extra-'));
  const m = await buildCorpus({ root, languages: ['ka'], apt: false });
  assert.equal(m.languages.ka!.splits.udhr, udhrPairs('ka').length);
  assert.ok(m.languages.ka!.splits.udhr >= 40, 'the Georgian declaration aligns with the English one');
  assert.match(fs.readFileSync(path.join(root, 'cache', 'corpus', 'en-ka', 'udhr.ka'), 'utf8'), /[\u10D0-\u10FF]/);
  assert.ok(fs.existsSync(path.join(root, 'cache', 'corpus', 'en-ka', 'manifest.json')));
  assert.ok(!fs.existsSync(path.join(root, 'cache', 'corpus', 'manifest.json')), 'the manifest of the six is not written');
  assert.equal(corpusStats(root).languages.ka!.udhr!.pairs, m.languages.ka!.splits.udhr);
  const lines: string[] = [];
  await buildCorpus({ root, languages: ['ka'], apt: false, log: (l) => lines.push(l) });
  assert.ok(lines.some((l) => /up to date/.test(l)));
  await assert.rejects(buildCorpus({ root, languages: ['zh', 'ka'], apt: false }), /outside the six \(ka\) on their own/);
  await assert.rejects(buildCorpus({ root, languages: ['english'], apt: false }), /unknown corpus language "english"/);
  assert.equal(scriptShare('ფაილი შენახულია', 'ka'), 1);
  assert.ok(!isInLanguage('The file was saved', 'ka', null), 'an English fall-back is not Georgian');
  assert.deepEqual(udhrPairs('qq'), [], 'a code the declarations lack has no UDHR set');
});

test('tokenizer fertility: LLaMA spends more tokens per character on Chinese than on English', () => {
  const { tokenizerFertility } = require('../../src/data/fertility') as typeof import('../../src/data/fertility');
  const en = tokenizerFertility(['All human beings are born free and equal in dignity and rights.']);
  const zh = tokenizerFertility(['人人生而自由，在尊严和权利上一律平等。']);
  assert.ok(en.tokensPerChar < 0.4, String(en.tokensPerChar));
  assert.ok(zh.tokensPerChar > en.tokensPerChar * 2, String(zh.tokensPerChar));
  assert.equal(en.bytesPerChar, 1);
  assert.equal(zh.bytesPerChar, 3);
});

test('cleaning totals: raw and kept per source, removals per step summed over sources, cross-source duplicates last', () => {
  const source = (name: string, raw: number, afterEmpty: number, afterDup: number) => ({
    source: name,
    packages: ['p1', 'p2'],
    steps: [
      { step: 'raw', before: raw, after: raw },
      { step: 'empty', before: raw, after: afterEmpty },
      { step: 'duplicates', before: afterEmpty, after: afterDup },
    ],
  });
  const report = (lang: string, sources: ReturnType<typeof source>[], merged: [number, number]) => ({
    lang, sources, merged: { step: 'cross-source duplicates', before: merged[0], after: merged[1] }, splits: { train: 0, dev: 0, test: 0, udhr: 0 },
  });
  const manifest = {
    languages: {
      zh: report('zh', [source('help', 100, 90, 60), source('ui', 50, 50, 40)], [100, 95]),
      tr: report('tr', [source('ui', 10, 8, 8)], [8, 8]),
    },
  } as unknown as CorpusManifest;
  const t = cleaningTotals(manifest, ['zh', 'tr', 'vi']);
  assert.deepEqual(t.sources.map((s) => [s.language, s.source, s.packages, s.raw, s.kept, s.keptShare]), [
    ['zh', 'help', 2, 100, 60, 0.6],
    ['zh', 'ui', 2, 50, 40, 0.8],
    ['tr', 'ui', 2, 10, 8, 0.8],
  ]);
  assert.deepEqual(t.raw, { zh: 150, tr: 10 });
  assert.deepEqual(t.removed, { empty: { zh: 10, tr: 2 }, duplicates: { zh: 40, tr: 0 }, 'cross-source duplicates': { zh: 5, tr: 0 } });
  assert.deepEqual(Object.keys(t.removed), ['empty', 'duplicates', 'cross-source duplicates']);
  assert.equal(removedShare(t, 'duplicates', 'zh'), 40 / 150);
  assert.equal(removedShare(t, 'empty', 'vi'), 0, 'a language without a report removed nothing');
});
