import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { computeBleu, corpusBleu, sentenceBleu, tokenize13a, tokenizeChar, tokenizeIntl, tokenizeZh } from '../../src/eval/metrics';

const near = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

// Published sacrebleu test vectors (inputs and expected scores from its test suite).
const REFS = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const HYPS = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];

test('sacrebleu vectors: corpus BLEU with two references, per tokenizer and max order', () => {
  near(corpusBleu(HYPS, REFS).score, 48.530827, 1e-6, 'default');
  near(corpusBleu(HYPS, REFS, { tokenize: '13a' }).score, 48.530827, 1e-6, '13a');
  near(corpusBleu(HYPS, REFS, { tokenize: 'none' }).score, 49.1919566, 1e-6, 'none');
  near(corpusBleu(HYPS, REFS, { tokenize: 'intl' }).score, 43.91623493, 1e-6, 'intl');
  near(corpusBleu(HYPS, REFS, { smoothMethod: 'none' }).score, 48.530827, 1e-6, 'no smoothing');
  const byOrder: [number, string][] = [[1, '77.65'], [2, '60.50'], [3, '53.93'], [4, '48.53'], [5, '46.14'], [6, '43.28']];
  for (const [o, want] of byOrder) assert.equal(corpusBleu(HYPS, REFS, { maxNgramOrder: o }).score.toFixed(2), want);
});

test('sacrebleu vectors: empty hypotheses are kept and score 0', () => {
  assert.equal(corpusBleu(['', '', ''], REFS).score, 0);
});

test('sacrebleu vectors: compute_bleu from statistics, degenerate statistics', () => {
  near(computeBleu([9, 7, 5, 3], [10, 8, 6, 4], 11, 11).score / 100, 0.8375922397, 1e-8);
  const floor = (c: number[], t: number[], s: number, r: number, v: number) => computeBleu(c, t, s, r, { smoothMethod: 'floor', smoothValue: v }).score;
  assert.equal(floor([0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0), 0);
  assert.equal(floor([0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0), 0);
  assert.equal(floor([0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0), 0);
  assert.equal(floor([6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0), 0);
  assert.equal(floor([0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01), 0);
});

test('sacrebleu vectors: raw BLEU (floor smoothing, effective order, no tokenization)', () => {
  const raw = (h: string[], r: string[], v?: number) =>
    corpusBleu(h, r, { tokenize: 'none', smoothMethod: 'floor', smoothValue: v, effectiveOrder: true }).score / 100;
  near(raw(['this is a test', 'another test'], ['ref1', 'ref2'], 0.01), 0, 1e-8);
  near(raw(['this is a test'], ['this is a test'], 0.01), 1, 1e-8);
  near(raw(['this is a fest'], ['this is a test'], 0.01), 0.223606797749979, 1e-8);
  near(raw(['test'], ['a test'], 0.01), 0.3678794411714425, 1e-8);
  near(raw(['a test'], ['a test'], 0.01), 1, 1e-8);
  near(raw(['a little test'], ['a test'], 0.01), 0.03218297948685433, 1e-8);
  near(raw(['am I am a character sequence'], ['I am a symbol string sequence a a']), 0.1555722182, 1e-8);
  near(raw(['am I am a character sequence'], ['I am a symbol string sequence a a'], 0), 0, 1e-8);
  const s = corpusBleu(['am I am a character sequence'], ['I am a symbol string sequence a a'], { tokenize: 'none' });
  assert.deepEqual(s.counts, [4, 2, 1, 0]);
  assert.deepEqual(s.totals, [6, 5, 4, 3]);
});

test('sacrebleu vectors: sentence BLEU per smoothing, tokenizer and case (Romanian, diacritics)', () => {
  const REF = 'producţia de zahăr brut se exprimă în zahăr alb;';
  const SYS = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';
  const cases: [Parameters<typeof sentenceBleu>[2], number][] = [
    [{ smoothMethod: 'exp' }, 8.493],
    [{ smoothMethod: 'none' }, 0],
    [{ smoothMethod: 'floor' }, 4.51688],
    [{ smoothMethod: 'floor', smoothValue: 0.5 }, 10.1],
    [{ smoothMethod: 'add-k' }, 14.882],
    [{ smoothMethod: 'add-k', smoothValue: 2 }, 21.389],
    [{ tokenize: 'none' }, 7.347],
    [{ tokenize: 'intl' }, 8.493],
    [{ tokenize: 'char' }, 40.8759],
    [{ tokenize: 'char', lowercase: true }, 42.0267],
  ];
  for (const [opts, want] of cases) near(sentenceBleu(SYS, [REF], opts).score, want, 1e-3, JSON.stringify(opts));
  for (const smoothMethod of ['exp', 'none', 'floor', 'add-k'] as const) {
    assert.equal(sentenceBleu('this is a cat', ['okay thanks'], { smoothMethod }).score, 0);
  }
});

test('hand-computed: one-sentence corpus, identical hypothesis and reference', () => {
  // 5/6, 3/5, 2/4, 1/3 matched; equal lengths: BLEU = (1/12)^(1/4).
  const s = corpusBleu(['the cat sat on the mat'], ['the cat sat on a mat']);
  assert.deepEqual(s.counts, [5, 3, 2, 1]);
  assert.deepEqual(s.totals, [6, 5, 4, 3]);
  near(s.score, 100 * Math.pow(1 / 12, 0.25), 1e-9);
  assert.equal(s.score.toFixed(2), '53.73');
  // Identical: exp(log 100) in floating point, 100.00000000000004 in sacrebleu too.
  near(corpusBleu(['the cat sat on the mat .'], ['the cat sat on the mat .']).score, 100, 1e-9);
  near(sentenceBleu('Hello, world!', ['Hello, world!']).score, 100, 1e-9);
  near(corpusBleu(['我爱北京天安门。'], ['我爱北京天安门。'], { tokenize: 'zh' }).score, 100, 1e-9);
});

test('hand-computed: Chinese needs the zh tokenizer (13a sees one token per unspaced sentence)', () => {
  assert.equal(tokenizeZh('我爱北京。'), '我 爱 北 京 。');
  // zh: 5/5, 3/4, 2/3, 1/2 matched; BP = exp(1 - 8/5).
  const s = corpusBleu(['我爱北京。'], ['我爱北京天安门。'], { tokenize: 'zh' });
  near(s.score, 100 * Math.pow(1 / 4, 0.25) * Math.exp(1 - 8 / 5), 1e-9);
  assert.equal(s.score.toFixed(2), '38.81');
  assert.equal(corpusBleu(['我爱北京。'], ['我爱北京天安门。']).score, 0);
  // --lang zh picks the zh tokenizer, as sacrebleu's -tok default for a Chinese target.
  assert.equal(corpusBleu(['我爱北京。'], ['我爱北京天安门。'], { lang: 'zh' }).signature.split('|')[3], 'tok:zh');
  // sacrebleu's ranges, as written, also split curly quotes and dashes (U+2001..U+2A6D).
  assert.equal(tokenizeZh('“你好”—abc'), '“ 你 好 ” — abc');
  assert.equal(tokenizeZh('GPU 3.5，很快'), 'GPU 3.5 ， 很 快');
});

test('hand-computed: Arabic with 13a and intl', () => {
  assert.equal(tokenize13a('ذهب الولد إلى المدرسة.'), 'ذهب الولد إلى المدرسة .');
  near(corpusBleu(['ذهب الولد إلى المدرسة.'], ['ذهب الولد إلى المدرسة.']).score, 100, 1e-9);
  // 4/5, 2/4, 1/3, 0/2 (exp smoothing: 1/(2*2)).
  const s = corpusBleu(['ذهب الولد إلى البيت.'], ['ذهب الولد إلى المدرسة.']);
  near(s.score, 100 * Math.pow(0.8 * 0.5 * (1 / 3) * 0.25, 0.25), 1e-9);
  // 13a leaves the Arabic comma and question mark attached; intl splits them off.
  assert.equal(tokenize13a('نعم، لماذا؟'), 'نعم، لماذا؟');
  assert.equal(tokenizeIntl('نعم، لماذا؟'), 'نعم ، لماذا ؟');
});

test('tokenizers: 13a entities and numbers, intl decimals, char code points', () => {
  assert.equal(tokenize13a('It costs $1,000.50 &amp; more&quot;'), 'It costs $ 1,000.50 & more "');
  assert.equal(tokenize13a('pages 3-4, e-mail.'), 'pages 3 - 4 , e-mail .');
  assert.equal(tokenizeIntl('It rose 3.5% in 2024.'), 'It rose 3.5 % in 2024.'); // mteval-v14 keeps a final "2024."
  assert.equal(tokenizeIntl('In 2024, 1,000 rose.'), 'In 2024 , 1,000 rose .');
  assert.equal(tokenizeChar('a😀b'), 'a 😀 b');
});

test('empty lines: empty references and hypotheses are handled as sacrebleu does', () => {
  assert.equal(corpusBleu([''], ['']).score, 0);
  // No trigrams in the corpus: without effective order BLEU is 0, as sacrebleu's corpus_bleu.
  assert.equal(corpusBleu(['', 'the cat'], ['a b', 'the cat']).score, 0);
  const s = corpusBleu(['', 'the cat sat on the mat'], ['a b', 'the cat sat on the mat']);
  assert.equal(s.sysLen, 6);
  assert.equal(s.refLen, 8);
  near(s.bp, Math.exp(1 - 8 / 6), 1e-12);
});

test('mismatched line counts are an error naming both counts', () => {
  assert.throws(() => corpusBleu(['a', 'b', 'c'], ['a', 'b']), /hypotheses have 3 lines, references has 2/);
  assert.throws(() => corpusBleu(['a'], [['a'], ['a', 'b']]), /reference stream 2 has 2/);
});

test('Unicode: no normalisation by default (as sacrebleu); NFC on request', () => {
  const nfd = 'Tiếng Việt'.normalize('NFD');
  const nfc = 'Tiếng Việt'.normalize('NFC');
  assert.ok(corpusBleu([nfd + ' rất hay'], [nfc + ' rất hay']).score < 100);
  near(corpusBleu([nfd + ' rất hay'], [nfc + ' rất hay'], { normalization: 'nfc' }).score, 100, 1e-9);
  assert.match(corpusBleu(['a'], ['a'], { normalization: 'nfc' }).signature, /norm:nfc/);
});

test('signature in sacrebleu form; verbose line', () => {
  const s = corpusBleu(HYPS, REFS);
  assert.match(s.signature, /^nrefs:2\|case:mixed\|eff:no\|tok:13a\|smooth:exp\|version:xalign-/);
  assert.match(corpusBleu(['a'], ['a'], { smoothMethod: 'floor' }).signature, /smooth:floor\[0\.10\]/);
  assert.match(s.verbose, /^\d+\.\d\/\d+\.\d\/\d+\.\d\/\d+\.\d \(BP = \d\.\d{3} ratio = \d\.\d{3} hyp_len = \d+ ref_len = \d+\)$/);
});
