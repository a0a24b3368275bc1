/**
 * Transduction English -> X: the miniature world's stand-in for the paper's machine
 * translation engine (Section 3.1: Alpaca is machine-translated into each language;
 * the translation task pairs English with X). English text of the grammar is parsed
 * into clauses (src/world/grammar.ts), then realised with the language's lexicon,
 * word order, adjective and adposition placement, articles and affixes.
 *
 * The reverse direction X -> English reads X text of this transduction back. It
 * recovers the English exactly except where the language loses a distinction
 * ({@link lostDistinctions}): dropped articles ('the', 'a'), and prepositions that share
 * one case suffix (Turkish-like locative for 'in' and 'at'). {@link lossyEnglish} applies
 * exactly these losses to English, so that `toEnglish(toX(e)) === lossyEnglish(e)` for
 * every sentence of the grammar (a unit test checks it for all six languages).
 *
 * This file holds the public entry points and the {@link TransducerState} both
 * directions share; the steps live in src/world/transduce-to-x.ts (English -> X) and
 * src/world/transduce-to-english.ts (X -> English).
 * Serves notebook 02 and the tasks in src/world/tasks.ts.
 */

import { ENGLISH_POS } from './english';
import { type Clause, type Complement, detokenizeEnglish, englishWords, type NounPhrase, parseEnglish, type Word } from './grammar';
import { checkLanguageSpec, type LanguageSpec } from './languages';
import { affixVariants, allSuffixes, buildLexicon, type Lexicon } from './lexicon';
import { fixArticles, readX } from './transduce-to-english';
import { headForm, joinTokens, lexForm, realizeClause } from './transduce-to-x';

/** One output token and the English word it came from (for alignment and similarity). */
export interface XToken {
  form: string;
  src?: Word;
}

export interface Transducer {
  spec: LanguageSpec;
  lexicon: Lexicon;
  /** English text of the grammar -> X text. */
  toX(english: string): string;
  /** X tokens of each sentence, with the English word each came from. */
  toXTokens(english: string): { tokens: XToken[]; english: Word[] }[];
  /** X text produced by {@link toX} -> English (see the module note on what is lost). */
  toEnglish(x: string): string;
  /** The X form of one English word in citation form (no affixes), as code-switching and answers use it. */
  word(english: string): string;
}

/**
 * What every step of the transduction reads: the language's spec and lexicon, and the
 * tables derived from them once per transducer. Read-only; each step takes it as its
 * first argument.
 */
export interface TransducerState {
  spec: LanguageSpec;
  lexicon: Lexicon;
  /** Every suffix the language attaches, longest first: the order X -> English tries to strip them in. */
  suffixes: string[];
  /** The definite prefix on nouns and their adjectives; '' unless articles.definite is 'prefix'. */
  definitePrefix: string;
  /** Latin letter -> script letter for transliterated names (empty when the script has no table). */
  transliteration: Readonly<Record<string, string>>;
  /** Script letter -> Latin letter, the inverse of {@link transliteration}. */
  untransliteration: Map<string, string>;
  /** The script's digits 0-9 when numbers are 'native'; null when numbers are shared ASCII digits. */
  digits: string[] | null;
  /** X punctuation mark -> the English mark it writes. */
  englishPunctuation: Map<string, string>;
  /** Each variant of each case suffix -> the preposition it is read back as (the first listed, where several share one). */
  casePrepositions: Map<string, string>;
  /** The variants of the object (accusative) suffix. */
  objectSuffixes: Set<string>;
}

/** Checks `spec`, builds its lexicon for world seed `seed`, and derives the tables of {@link TransducerState}. */
export function transducerState(spec: LanguageSpec, seed: number): TransducerState {
  checkLanguageSpec(spec);
  const transliteration = spec.script.transliteration ?? {};
  const casePrepositions = new Map<string, string>();
  for (const [prep, a] of Object.entries(spec.morphology.caseSuffixes ?? {})) {
    for (const v of affixVariants(a)) if (!casePrepositions.has(v)) casePrepositions.set(v, prep);
  }
  return {
    spec,
    lexicon: buildLexicon(spec, seed),
    suffixes: allSuffixes(spec).sort((a, b) => b.length - a.length),
    definitePrefix: spec.articles.definite === 'prefix' ? spec.morphology.definitePrefix ?? '' : '',
    transliteration,
    untransliteration: new Map(Object.entries(transliteration).map(([k, v]) => [v, k])),
    digits: spec.numbers === 'native' ? [...spec.script.digits!] : null,
    englishPunctuation: new Map(Object.entries(spec.punctuation).map(([en, x]) => [x, en])),
    casePrepositions,
    objectSuffixes: new Set(affixVariants(spec.morphology.objectSuffix)),
  };
}

/** Builds the transducer of `spec` for world seed `seed` (its lexicon is seeded by both). */
export function buildTransducer(spec: LanguageSpec, seed: number): Transducer {
  const state = transducerState(spec, seed);
  const toXTokens = (english: string) => transduceTokens(state, english);
  return {
    spec,
    lexicon: state.lexicon,
    toX: (english) => toXTokens(english).map((s) => joinTokens(state, s.tokens)).join(spec.separator === '' ? '' : ' '),
    toXTokens,
    toEnglish: (x) => readX(state, x),
    word: (english) => citationForm(state, english),
  };
}

/** Parses English text and realises each sentence as X tokens, beside the English words of its clause. */
function transduceTokens(state: TransducerState, english: string): { tokens: XToken[]; english: Word[] }[] {
  return parseEnglish(english).map((clause) => ({ tokens: realizeClause(state, clause), english: englishWords(clause) }));
}

/**
 * The X form of one English word without affixes: its lexicon form; a word outside the
 * English vocabulary is a number when it is all digits and a name otherwise.
 */
function citationForm(state: TransducerState, english: string): string {
  const pos = ENGLISH_POS[english];
  if (pos === undefined) return headForm(state, { text: english, pos: /^\d+$/.test(english) ? 'num' : 'name' });
  return lexForm(state, { text: english, pos });
}

/** English distinctions the language does not write, so X -> English cannot recover them. */
export function lostDistinctions(spec: LanguageSpec): string[] {
  const out: string[] = [];
  if (spec.articles.definite === 'drop') out.push("'the' is dropped");
  if (spec.articles.indefinite === 'drop') out.push("'a'/'an' is dropped");
  for (const [preps] of conflatedPrepositions(spec)) out.push(`prepositions ${preps.map((p) => `'${p}'`).join(' and ')} share one suffix`);
  return out;
}

/** Groups of prepositions realised by the same case suffix (the first of each group is what X -> English writes). */
function conflatedPrepositions(spec: LanguageSpec): [string[], string][] {
  const byAffix = new Map<string, string[]>();
  for (const [prep, a] of Object.entries(spec.morphology.caseSuffixes ?? {})) {
    const key = affixVariants(a).join('/');
    byAffix.set(key, [...(byAffix.get(key) ?? []), prep]);
  }
  return [...byAffix.entries()].filter(([, ps]) => ps.length > 1).map(([k, ps]) => [ps, k]);
}

/** English with the distinctions `spec` loses removed: what X -> English can give back. */
export function lossyEnglish(spec: LanguageSpec, english: string): string {
  const canonical = new Map<string, string>();
  for (const [preps] of conflatedPrepositions(spec)) for (const p of preps) canonical.set(p, preps[0]!);
  const dropDet = (np: NounPhrase): NounPhrase => {
    const d = np.det?.text;
    const drop = (d === 'the' && spec.articles.definite === 'drop') || ((d === 'a' || d === 'an') && spec.articles.indefinite === 'drop');
    return drop ? { ...np, det: undefined } : np;
  };
  const comp = (c: Complement): Complement =>
    c.kind === 'np'
      ? dropDet(c)
      : c.kind === 'pp'
        ? { kind: 'pp', prep: { ...c.prep, text: canonical.get(c.prep.text) ?? c.prep.text }, np: dropDet(c.np) }
        : c;
  return parseEnglish(english)
    .map((cl) => {
      const c: Clause = { ...cl, subj: cl.subj && dropDet(cl.subj), vps: cl.vps.map((vp) => ({ verbs: vp.verbs, comps: vp.comps.map(comp) })) };
      return detokenizeEnglish(fixArticles(englishWords(c)));
    })
    .join(' ');
}
