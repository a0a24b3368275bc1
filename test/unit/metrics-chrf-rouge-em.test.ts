import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  chrfWords,
  containsMatch,
  corpusChrf,
  corpusChrfPlusPlus,
  corpusContains,
  corpusExactMatch,
  corpusRouge,
  exactMatch,
  lcsLength,
  normalizeAnswer,
  parseSegmentScores,
  readSegmentScores,
  readSegments,
  sentenceChrf,
  tokenizeRougeEnglish,
  tokenizeRougeMultilingual,
} from '../../src/eval/metrics';

const near = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

test('sacrebleu vectors: chrF with epsilon smoothing (beta 3)', () => {
  const c = (h: string, r: string) => corpusChrf([h], [r], { beta: 3, epsSmoothing: true }).score;
  near(c('abcdefg', 'hijklmnop'), 0, 1e-4);
  near(c('', 'reference'), 0, 1e-4);
  near(c('aa', 'ab'), 8.3333, 1e-4);
  near(c('a', 'a'), 16.6667, 1e-4);
  near(c('a b c', 'abc'), 50, 1e-4);
  near(corpusChrf(['a', 'b'], ['a', 'c'], { beta: 3, epsSmoothing: true }).score, 8.3333, 1e-4);
  near(
    c(
      ' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .',
      'risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .',
    ),
    63.36173,
    1e-4,
  );
  near(c(' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. ', 'Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'), 64.1302698, 1e-4);
  near(c('Niemand hat die Absicht, eine Mauer zu errichten', 'Niemand hat die Absicht, eine Mauer zu errichten'), 100, 1e-9);
});

test('sacrebleu vectors: chrF with effective order (its default), keep-whitespace, sentence level (Czech)', () => {
  const c = (h: string[], r: string[]) => corpusChrf(h, r, { beta: 3 }).score;
  near(c(['a'], ['a']), 100, 1e-9);
  near(c([''], ['reference']), 0, 1e-9);
  near(c(['a b c'], ['abc']), 100, 1e-9);
  near(c(['a', 'b'], ['a', 'c']), 50, 1e-9);
  near(c(['aa'], ['ab']), 25, 1e-9);
  near(
    corpusChrf(['Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.'], ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'], { beta: 3, whitespace: true }).score,
    67.3481606,
    1e-6,
  );
  const s = (h: string, r: string) => sentenceChrf(h, [r], { epsSmoothing: true }).score;
  near(s('Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.', 'Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.'), 39.14078509, 1e-6);
  near(s('Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.', 'A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.'), 31.22557079, 1e-6);
  near(s('Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.', 'Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.'), 57.15704367, 1e-6);
});

test('chrF/chrF++: identical is 100, empty hypothesis 0, Chinese and Arabic, names and signature', () => {
  assert.equal(corpusChrf(['我爱北京天安门'], ['我爱北京天安门']).score, 100);
  assert.equal(corpusChrfPlusPlus(['ذهب الولد إلى المدرسة.'], ['ذهب الولد إلى المدرسة.']).score, 100);
  assert.equal(corpusChrf([''], ['我爱北京']).score, 0);
  // Hand-computed: "ab" vs "ac": 1-grams 1/2 matched both ways; no 2-gram matches.
  // Effective order averages P = R = (1/2 + 0)/2 = 1/4 over orders 1 and 2: F = 25.
  near(corpusChrf(['ab'], ['ac']).score, 25, 1e-12);
  assert.equal(corpusChrf(['a'], ['a']).metric, 'chrF2');
  const pp = corpusChrfPlusPlus(['a'], ['a']);
  assert.equal(pp.metric, 'chrF2++');
  assert.match(pp.signature, /^nrefs:1\|case:mixed\|eff:yes\|nc:6\|nw:2\|space:no\|version:/);
  assert.deepEqual(chrfWords('(hi) there, you!'), ['(hi', ')', 'there', ',', 'you', '!']);
  assert.throws(() => corpusChrf(['a', 'b'], ['a']), /hypotheses have 2 lines, references has 1/);
});

test('ROUGE: rouge-score English tokenizer and its README example (hand-checked)', () => {
  assert.deepEqual(tokenizeRougeEnglish("The quick-brown fox's 2nd jump!"), ['the', 'quick', 'brown', 'fox', 's', '2nd', 'jump']);
  const r = corpusRouge(['The quick brown dog jumps on the log.'], ['The quick brown fox jumps over the lazy dog']);
  near(r.detail.rouge1.precision, 75, 1e-9);
  near(r.detail.rouge1.recall, 600 / 9, 1e-9);
  near(r.rouge1, 100 * (2 * 0.75 * (6 / 9)) / (0.75 + 6 / 9), 1e-9);
  near(r.rouge2, (100 * 4) / 15, 1e-9);
  near(r.detail.rougeL.precision, 62.5, 1e-9);
  near(r.rougeL, (100 * 50) / 85, 1e-9);
  assert.equal(lcsLength(['a', 'b', 'c', 'd'], ['b', 'd', 'c']), 2);
});

test('ROUGE: Chinese, Hindi and Arabic score 0 with the English tokenizer, sensibly with the multilingual one', () => {
  assert.deepEqual(tokenizeRougeEnglish('我爱北京'), []);
  assert.deepEqual(tokenizeRougeMultilingual('我爱北京，Hello!'), ['我', '爱', '北', '京', 'hello']);
  // Devanagari vowel signs stay with their letters.
  assert.deepEqual(tokenizeRougeMultilingual('भारत की राजधानी।'), ['भारत', 'की', 'राजधानी']);
  assert.equal(corpusRouge(['我爱北京'], ['我爱上海']).rouge1, 0);
  const zh = corpusRouge(['我爱北京'], ['我爱上海'], { tokenizer: 'multilingual' });
  near(zh.rouge1, 50, 1e-9);
  near(zh.rouge2, 100 / 3, 1e-9);
  const hi = corpusRouge(['भारत की राजधानी'], ['भारत की राजधानी दिल्ली है'], { tokenizer: 'multilingual' });
  near(hi.rouge1, 75, 1e-9);
  near(hi.detail.rouge1.precision, 100, 1e-9);
  const ar = corpusRouge(['ذهب الولد إلى المدرسة.'], ['ذهب الولد إلى المدرسة.'], { tokenizer: 'multilingual' });
  assert.equal(ar.rougeL, 100);
});

test('ROUGE: empty lines, identical text, mean over segments, line counts', () => {
  const r = corpusRouge(['', 'a b c'], ['a b', 'a b c']);
  near(r.rouge1, 50, 1e-9);
  near(r.rougeL, 50, 1e-9);
  assert.equal(corpusRouge(['same words here'], ['same words here']).rouge2, 100);
  assert.throws(() => corpusRouge(['a'], ['a', 'b']), /hypotheses have 1 lines, references has 2/);
});

test('exact match: MLQA-style normalisation per language', () => {
  assert.equal(normalizeAnswer('The  Eiffel Tower!'), 'eiffel tower');
  assert.equal(normalizeAnswer('theatre'), 'theatre'); // articles only as whole words
  assert.equal(exactMatch('el Museo del Prado', ['Museo del Prado'], { lang: 'es' }), 1);
  assert.equal(exactMatch('Die Mauer', ['mauer'], { lang: 'de' }), 1);
  assert.equal(exactMatch('của Hà Nội', ['Hà Nội'], { lang: 'vi' }), 1);
  assert.equal(exactMatch('الكتاب', ['كتاب'], { lang: 'ar' }), 1); // MLQA drops every "ال"
  assert.equal(exactMatch('北京。', ['北京'], { lang: 'zh' }), 1);
  assert.equal(normalizeAnswer('北京市 2008年', { lang: 'zh' }), '北 京 市 2008 年');
  assert.equal(exactMatch('भारत।', ['भारत'], { lang: 'hi' }), 1); // Devanagari danda is punctuation
  assert.equal(exactMatch('a Paris', ['Paris'], { lang: 'es' }), 0); // "a" is not a Spanish article
  assert.equal(exactMatch('the Paris', ['Paris'], { style: 'squad', lang: 'es' }), 1);
  assert.equal(exactMatch('Lyon', ['Paris', 'lyon']), 1);
});

test('contains-accuracy (the public code): lower-cased gold inside the prediction; both reported', () => {
  assert.equal(containsMatch('The answer is Paris.', ['paris']), 1);
  assert.equal(containsMatch('The answer is Paris.', ['']), 0);
  assert.equal(containsMatch('答案是北京。', ['北京']), 1);
  const hyps = ['The answer is Paris.', 'Paris', 'Lyon'];
  const golds = ['Paris', 'Paris', 'Paris'];
  const em = corpusExactMatch(hyps, golds);
  const cont = corpusContains(hyps, golds);
  near(em.score, 100 / 3, 1e-9);
  near(cont.score, 200 / 3, 1e-9);
  assert.equal(cont.correct, 2);
  assert.throws(() => corpusExactMatch(['a'], []), /hypotheses have 1 lines, references has 0/);
});

test('external scores: JSON and TSV readers for COMET, BLEURT, spBLEU', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xalign-ext-'));
  const j = path.join(dir, 'comet.json');
  writeFileSync(j, JSON.stringify({ 'hyp.txt': [{ src: 's', mt: 'm', ref: 'r', COMET: 0.8 }, { COMET: 0.9 }] }));
  const c = readSegmentScores(j, 'COMET');
  assert.deepEqual(c.scores, [0.8, 0.9]);
  near(c.mean, 0.85, 1e-12);
  assert.deepEqual(parseSegmentScores('[0.1, 0.2]', 'x'), [0.1, 0.2]);
  assert.deepEqual(parseSegmentScores('{"scores": [{"score": 3}]}', 'x'), [3]);
  assert.deepEqual(parseSegmentScores('id\thyp\tbleurt\n1\ta\t0.5\n2\tb\t0.25\n', 'x'), [0.5, 0.25]);
  assert.deepEqual(parseSegmentScores('seg\tspBLEU\tother\n1\t30\tx\n', 'x', 'spBLEU'), [30]);
  assert.deepEqual(parseSegmentScores('12.5\n13\n', 'x'), [12.5, 13]);
  assert.throws(() => parseSegmentScores('0.5\nabc\n', 'f.tsv'), /f\.tsv: line 2: expected a number/);
  assert.throws(() => parseSegmentScores('[0.5, "x"]', 'f.json'), /f\.json: \[1\] should be a number/);
  assert.throws(() => readSegmentScores(j, 'COMET', { expectLines: 3 }), /has 2 scores, expected 3/);
});

test('readSegments: one segment per line, empty lines kept, no phantom final line', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xalign-seg-'));
  const f = path.join(dir, 'h.txt');
  writeFileSync(f, 'a\n\nb\r\n');
  assert.deepEqual(readSegments(f), ['a', '', 'b']);
  writeFileSync(f, '');
  assert.deepEqual(readSegments(f), []);
});

test('an empty gold answer (padding) never matches, in EM as in contains', () => {
  assert.equal(exactMatch('', ['Paris', '']), 0);
  assert.equal(exactMatch('The.', ['Paris', '']), 0);
  assert.equal(exactMatch('paris', ['Paris', '']), 1);
  assert.equal(containsMatch('', ['Paris', '']), 0);
});
