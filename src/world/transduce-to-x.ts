/**
 * English -> X, step by step: each English word gets its X form (lexicon, names,
 * numbers), affixes are attached (object and case suffixes, vowel harmony, the definite
 * prefix), noun phrases place their articles and adjectives, prepositional phrases
 * become prepositions, postpositions or case suffixes, each verb group is put in the
 * language's word order, and the tokens are written out with the script's spacing and
 * punctuation. {@link realizeClause} and {@link joinTokens} are what
 * `buildTransducer` (src/world/transduce.ts) calls; the others are its steps.
 * Serves the transduction, and so notebook 02 and the tasks in src/world/tasks.ts.
 */

import { type Clause, type Complement, GrammarError, type NounPhrase, type VerbGroup, type Word } from './grammar';
import type { Affix, LanguageSpec } from './languages';
import type { TransducerState, XToken } from './transduce';

/** English verbs after which a noun phrase is a predicate ("is a baker"), not a direct object. */
const COPULAS = new Set(['is', 'was']);
/** Parts of speech that head a noun phrase able to take the object suffix (and, read back, a noun phrase's head). */
export const OBJECT_HEADS = new Set(['noun', 'pron', 'name', 'wh', 'blank']);

// ------------------------------------------------------------ word mapping

/** The lexicon's X form of an English word; a word the lexicon lacks is an error naming the language. */
export function lexForm(state: TransducerState, w: Word): string {
  const f = state.lexicon.forward.get(w.text);
  if (f === undefined) throw new GrammarError(`${state.spec.code}: no word for English "${w.text}" in the lexicon`);
  return f;
}

/**
 * The X form of a noun phrase's head before affixes: a name as in English or
 * transliterated letter by letter (letters without an entry stay), a number in ASCII or
 * the script's digits, the cloze gap as is, any other word through the lexicon.
 */
export function headForm(state: TransducerState, w: Word): string {
  if (w.pos === 'name') {
    if (state.spec.names === 'shared') return w.text;
    return [...w.text.toLowerCase()].map((ch) => state.transliteration[ch] ?? ch).join('');
  }
  if (w.pos === 'num') return state.digits ? [...w.text].map((d) => state.digits![Number(d)]!).join('') : w.text;
  if (w.pos === 'blank') return w.text;
  return lexForm(state, w);
}

// ------------------------------------------------------------ morphology

/**
 * The vowel-harmony class of a stem: the class of its last vowel that belongs to one
 * (the spec's harmony classes, else Turkish's), 'back' when none does.
 */
function lastVowelClass(spec: LanguageSpec, stem: string): 'back' | 'front' {
  const h = spec.script.harmony;
  const back = new Set(h?.back ?? ['a', 'ı', 'o', 'u']);
  const front = new Set(h?.front ?? ['e', 'i', 'ö', 'ü']);
  const chars = [...stem.toLowerCase()];
  for (let i = chars.length - 1; i >= 0; i--) {
    if (back.has(chars[i]!)) return 'back';
    if (front.has(chars[i]!)) return 'front';
  }
  return 'back';
}

/** The variant of affix `a` that fits `stem`: the affix itself, or its harmony variant. */
function chooseAffix(spec: LanguageSpec, a: Affix, stem: string): string {
  return typeof a === 'string' ? a : a[lastVowelClass(spec, stem)];
}

/**
 * `form` (the X form of `head`) with `affix` attached. A name, number or cloze gap takes
 * a suffix only after the language's name-suffix separator (Mirel'de); without one it
 * stays bare.
 */
export function attachAffix(state: TransducerState, head: Word, form: string, affix: Affix | undefined): string {
  if (affix === undefined) return form;
  const suffix = chooseAffix(state.spec, affix, form);
  if (head.pos === 'name' || head.pos === 'blank' || head.pos === 'num') {
    const sep = state.spec.morphology.nameSuffixSeparator;
    return sep === undefined ? form : form + sep + suffix;
  }
  return form + suffix;
}

// ------------------------------------------------------------ phrases

/** Whether the language writes determiner `det` as a word of its own (otherwise it is dropped or a prefix). */
function writesDeterminer(spec: LanguageSpec, det: string): boolean {
  const drop = (det === 'the' && spec.articles.definite !== 'word') || ((det === 'a' || det === 'an') && spec.articles.indefinite === 'drop');
  return !drop;
}

/**
 * A noun phrase in X: the determiner as a word when the language writes it, the head
 * with `affix` (the object or a case suffix), the adjectives before or after the head,
 * and the definite prefix on the head and each adjective for 'the' where definiteness
 * is a prefix.
 */
export function realizeNounPhrase(state: TransducerState, np: NounPhrase, affix: Affix | undefined): XToken[] {
  const { spec } = state;
  const out: XToken[] = [];
  const d = np.det?.text;
  const prefix = d === 'the' && spec.articles.definite === 'prefix' ? state.definitePrefix : '';
  if (np.det && writesDeterminer(spec, d!)) out.push({ form: lexForm(state, np.det), src: np.det });
  const headTok: XToken = { form: prefix + attachAffix(state, np.head, headForm(state, np.head), affix), src: np.head };
  const adjToks = np.adjs.map((a) => ({ form: prefix + lexForm(state, a), src: a }));
  if (spec.adjective === 'before') out.push(...adjToks, headTok);
  else out.push(headTok, ...adjToks);
  return out;
}

/**
 * A complement in X: a bare conjunction as its word; a noun phrase, with the object
 * suffix when it is the direct object; a prepositional phrase as a case suffix on its
 * noun phrase when the language has one for the preposition, else as an adposition word
 * before or after the noun phrase.
 */
export function realizeComplement(state: TransducerState, c: Complement, isObject: boolean): XToken[] {
  const { spec } = state;
  if (c.kind === 'conj') return [{ form: lexForm(state, c.word), src: c.word }];
  if (c.kind === 'np') return realizeNounPhrase(state, c, isObject ? spec.morphology.objectSuffix : undefined);
  const caseAffix = spec.morphology.caseSuffixes?.[c.prep.text];
  if (caseAffix !== undefined) return realizeNounPhrase(state, c.np, caseAffix);
  const p: XToken = { form: lexForm(state, c.prep), src: c.prep };
  const np = realizeNounPhrase(state, c.np, undefined);
  return spec.adposition === 'preposition' ? [p, ...np] : [...np, p];
}

/**
 * The complements of a verb group, each realised, marking as direct object the first
 * noun phrase with a nominal head when the verbs are not a copula and no noun phrase came
 * before it.
 */
function realizeComplements(state: TransducerState, vp: VerbGroup): { c: Complement; toks: XToken[] }[] {
  const copula = vp.verbs.some((v) => COPULAS.has(v.text));
  let objectGiven = false;
  return vp.comps.map((c) => {
    const isObject = !copula && !objectGiven && c.kind === 'np' && OBJECT_HEADS.has(c.head.pos);
    if (c.kind === 'np') objectGiven = true;
    return { c, toks: realizeComplement(state, c, isObject) };
  });
}

// ------------------------------------------------------------ word order

/**
 * One verb group in the language's word order. `subj` is the realised subject (empty
 * after the first group of a coordination). English "does" is not written. SVO puts
 * prepositional phrases before the verb when the language has adjuncts before the verb.
 */
export function realizeVerbGroup(state: TransducerState, vp: VerbGroup, subj: XToken[]): XToken[] {
  const { spec } = state;
  const verbs = vp.verbs.filter((v) => v.text !== 'does').map((v) => ({ form: lexForm(state, v), src: v }));
  const comps = realizeComplements(state, vp);
  const pre = spec.adjunctsBeforeVerb ? comps.filter((x) => x.c.kind === 'pp') : [];
  const post = spec.adjunctsBeforeVerb ? comps.filter((x) => x.c.kind !== 'pp') : comps;
  const flat = (xs: typeof comps) => xs.flatMap((x) => x.toks);
  switch (spec.order) {
    case 'SVO':
      return [...subj, ...flat(pre), ...verbs, ...flat(post)];
    case 'SOV':
      return [...subj, ...flat(comps), ...verbs];
    case 'VSO':
      return [...verbs, ...subj, ...flat(comps)];
  }
}

/** A clause in X: its verb groups joined by the word for 'and', the subject in the first, then the language's punctuation mark. */
export function realizeClause(state: TransducerState, clause: Clause): XToken[] {
  const out: XToken[] = [];
  clause.vps.forEach((vp, i) => {
    if (i > 0) out.push({ form: lexForm(state, { text: 'and', pos: 'conj' }) });
    out.push(...realizeVerbGroup(state, vp, i === 0 && clause.subj ? realizeNounPhrase(state, clause.subj, undefined) : []));
  });
  if (clause.punct) out.push({ form: state.spec.punctuation[clause.punct as '.'] });
  return out;
}

// ------------------------------------------------------------ script

/** A Latin letter, digit, underscore or apostrophe: characters that keep a space between words in a script without spaces. */
function isLatinOrDigit(ch: string | undefined): boolean {
  return !!ch && /[\p{Script=Latin}\d_']/u.test(ch);
}

/**
 * One sentence's tokens as text: punctuation attached to the previous token; otherwise
 * the language's separator, except that a script without spaces keeps one between two
 * Latin or digit tokens (names, numbers, loans).
 */
export function joinTokens(state: TransducerState, tokens: readonly XToken[]): string {
  let out = '';
  for (const t of tokens) {
    const isPunct = state.englishPunctuation.has(t.form);
    if (out === '' || isPunct) out += t.form;
    else if (state.spec.separator === ' ') out += ' ' + t.form;
    else out += isLatinOrDigit(out[out.length - 1]) && isLatinOrDigit(t.form[0]) ? ' ' + t.form : t.form;
  }
  return out;
}
