import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  buildLexicon, buildTransducer, checkLanguageSpec, LANGUAGES, type LanguageSpec, lossyEnglish, lostDistinctions,
} from '../../src/world';
import { transducerState } from '../../src/world/transduce';
import { analyseToken, segmentWords, splitSentences } from '../../src/world/transduce-to-english';
import { attachAffix, realizeNounPhrase } from '../../src/world/transduce-to-x';
import { allSentenceKinds } from './world-helpers';

const SENTENCES = allSentenceKinds();

/** Unicode ranges each built-in script must stay in (besides shared names, digits, loans and punctuation). */
const BLOCKS: Record<string, RegExp> = {
  ar: /^[\u0600-\u06FF]+$/u,
  el: /^[\u0370-\u03FF\u1F00-\u1FFF]+$/u,
  hi: /^[\u0900-\u097F]+$/u,
  tr: /^[a-zçğıöşü]+$/u,
  vi: /^[a-zà-ỹđăâêôơư]+$/u,
  zh: /^[\u4E00-\u9FFF]+$/u,
};

test('transduction is deterministic per seed and the lexicon depends on the seed', () => {
  for (const code of Object.keys(LANGUAGES)) {
    const a = buildTransducer(LANGUAGES[code]!, 1);
    const b = buildTransducer(LANGUAGES[code]!, 1);
    assert.deepEqual(SENTENCES.map(a.toX), SENTENCES.map(b.toX), code);
    const c = buildTransducer(LANGUAGES[code]!, 2);
    assert.notEqual(a.toX(SENTENCES[0]!), c.toX(SENTENCES[0]!), code);
  }
});

test('each lexicon is injective and its own words are in the real script block', () => {
  for (const [code, spec] of Object.entries(LANGUAGES)) {
    const lex = buildLexicon(spec, 1);
    assert.equal(new Set(lex.inverse.keys()).size, lex.inverse.size);
    assert.equal(lex.forward.get('a'), lex.forward.get('an'), `${code}: a and an share one form`);
    for (const [en, form] of lex.forward) {
      if (lex.loans.has(en)) assert.equal(form, en);
      else assert.match(form, BLOCKS[code]!, `${code}: "${en}" -> "${form}"`);
    }
  }
});

test('X -> English recovers the English exactly where the language keeps the distinction', () => {
  for (const code of Object.keys(LANGUAGES)) {
    const t = buildTransducer(LANGUAGES[code]!, 1);
    for (const e of SENTENCES) assert.equal(t.toEnglish(t.toX(e)), lossyEnglish(t.spec, e), `${code}: ${e} -> ${t.toX(e)}`);
  }
});

test('where it is not invertible is stated: Greek loses nothing, the others lose articles or a case distinction', () => {
  assert.deepEqual(lostDistinctions(LANGUAGES.el!), []);
  const el = buildTransducer(LANGUAGES.el!, 1);
  for (const e of SENTENCES) assert.equal(el.toEnglish(el.toX(e)), e);
  assert.deepEqual(lostDistinctions(LANGUAGES.ar!), ["'a'/'an' is dropped"]);
  assert.ok(lostDistinctions(LANGUAGES.tr!).some((l) => l.includes("'in' and 'at'")));
  const tr = buildTransducer(LANGUAGES.tr!, 1);
  assert.equal(tr.toEnglish(tr.toX('Tavo has a cat at home.')), 'Tavo has a cat in home.');
  const zh = buildTransducer(LANGUAGES.zh!, 1);
  assert.equal(zh.toEnglish(zh.toX('The market was busy.')), 'Market was busy.');
});

test('word order, adpositions and morphology follow the spec', () => {
  const s = 'Tavo lives in Mirel.';
  const w = (code: string, en: string) => buildTransducer(LANGUAGES[code]!, 1).word(en);
  const tr = buildTransducer(LANGUAGES.tr!, 1).toX(s);
  assert.equal(tr, `Tavo Mirel'de ${w('tr', 'lives')}.`); // SOV, locative suffix after an apostrophe
  assert.equal(buildTransducer(LANGUAGES.ar!, 1).toX(s), `${w('ar', 'lives')} Tavo ${w('ar', 'in')} Mirel.`); // VSO
  assert.equal(buildTransducer(LANGUAGES.hi!, 1).toX(s), `Tavo Mirel ${w('hi', 'in')} ${w('hi', 'lives')}।`); // SOV, postposition, danda
  assert.equal(buildTransducer(LANGUAGES.zh!, 1).toX(s), `Tavo${w('zh', 'in')} Mirel${w('zh', 'lives')}。`.replace(' ', '')); // PP before the verb, no spaces
  assert.equal(buildTransducer(LANGUAGES.el!, 1).toX('What does Tavo keep?'), `Tavo ${w('el', 'keep')} ${w('el', 'what')}ν;`);
});

test('a seventh language defined as data works, and a bad spec names its field', () => {
  const xx: LanguageSpec = {
    ...structuredClone(LANGUAGES.el!),
    code: 'xx',
    englishName: 'Runic',
    models: 'a test language: Runic letters, SOV, postpositions',
    script: { name: 'Runic', block: 'U+16A0-U+16FF', kind: 'alphabet', onsets: ['ᚠ', 'ᚢ', 'ᚦ', 'ᚱ', 'ᚲ', 'ᚷ', 'ᚹ', 'ᚺ', 'ᚾ', 'ᛁ', 'ᛃ'], nuclei: ['ᚨ', 'ᛖ', 'ᛟ'], syllables: [2, 3] },
    order: 'SOV',
    adposition: 'postposition',
  };
  const t = buildTransducer(xx, 1);
  for (const e of SENTENCES) assert.equal(t.toEnglish(t.toX(e)), lossyEnglish(xx, e));
  assert.throws(() => checkLanguageSpec({ ...xx, order: 'OSV' as never }), /field order must be SVO, SOV or VSO/);
  assert.throws(() => checkLanguageSpec({ ...xx, loanShare: 2 }), /loanShare/);
});

test('transliterated names and native digits are invertible', () => {
  const ar: LanguageSpec = { ...LANGUAGES.ar!, code: 'ar-t', names: 'transliterated', numbers: 'native' };
  const t = buildTransducer(ar, 1);
  const e = 'The market had 42 stalls. Tavo lives in Mirel.';
  const x = t.toX(e);
  assert.ok(!/[A-Za-z0-9]/.test(x), x);
  assert.ok(x.includes('٤٢'));
  assert.equal(t.toEnglish(x), lossyEnglish(ar, e));
});

test('steps English -> X: suffixes follow vowel harmony, names take them after the separator, ar prefixes the definite article', () => {
  const tr = transducerState(LANGUAGES.tr!, 1);
  const locative = LANGUAGES.tr!.morphology.caseSuffixes!.in;
  assert.equal(attachAffix(tr, { text: 'home', pos: 'noun' }, 'kapı', locative), 'kapıda');
  assert.equal(attachAffix(tr, { text: 'home', pos: 'noun' }, 'ev', locative), 'evde');
  assert.equal(attachAffix(tr, { text: 'Mirel', pos: 'name' }, 'Mirel', locative), "Mirel'de");
  const el = transducerState(LANGUAGES.el!, 1);
  assert.equal(attachAffix(el, { text: 'Tavo', pos: 'name' }, 'Tavo', 'ν'), 'Tavo', 'no separator: a name stays bare');
  const ar = transducerState(LANGUAGES.ar!, 1);
  const np = realizeNounPhrase(ar, { kind: 'np', det: { text: 'the', pos: 'det' }, adjs: [{ text: 'old', pos: 'adj' }], head: { text: 'market', pos: 'noun' } }, undefined);
  const f = (w: string) => ar.lexicon.forward.get(w)!;
  assert.deepEqual(np.map((t) => t.form), [`ال${f('market')}`, `ال${f('old')}`], 'no article word; prefix on noun and adjective; adjective after');
});

test('steps X -> English: sentences split at the language marks, logograms cut into words, tokens analysed', () => {
  const hi = transducerState(LANGUAGES.hi!, 1);
  assert.deepEqual(splitSentences(hi, 'क ख। ग?'), [{ body: 'क ख', punct: '.' }, { body: ' ग', punct: '?' }]);
  const zh = transducerState(LANGUAGES.zh!, 1);
  assert.deepEqual(segmentWords(zh, '一二三四Tavo五六'), ['一二', '三四', 'Tavo', '五六']);
  const tr = transducerState(LANGUAGES.tr!, 1);
  assert.deepEqual(analyseToken(tr, "Mirel'de", 'test'), { word: { text: 'Mirel', pos: 'name' }, definite: false, casePrep: 'in' });
  const ar = transducerState(LANGUAGES.ar!, 1);
  assert.deepEqual(analyseToken(ar, `ال${ar.lexicon.forward.get('market')}`, 'test'), { word: { text: 'market', pos: 'noun' }, definite: true });
  assert.throws(() => analyseToken(ar, 'xyz', 'here'), /here: "xyz" is not a word of language "ar"/);
});
