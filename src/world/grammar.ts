/**
 * The English grammar of the miniature world, in two directions:
 * - generation: statements, questions, cloze sentences, passages and summaries from the
 *   knowledge base (templated, varied by the Rng, deterministic per seed);
 * - analysis: a chunker that turns any sentence of this grammar into a {@link Clause}
 *   (subject, verb groups, complements), which the transduction (src/world/transduce.ts)
 *   realises in another language's word order and morphology.
 *
 * Surface conventions: English sentences start with a capital letter and punctuation is
 * attached to the previous word ("Tavo works as a baker."). Internally text is a list of
 * tokens with punctuation split off.
 * Serves the tasks of notebook 02 (paper Section 4.1: FLORES, XQuAD/MLQA, mLAMA, XL-Sum, Alpaca).
 */

import type { Rng } from '../random/rng';
import { ENGLISH_POS, FILLER_SENTENCES, type Pos, RELATIONS, type RelationId } from './english';

export interface Word {
  /** The English form: lower case for lexicon words; names and numbers as written. */
  text: string;
  pos: Pos;
}

/** A noun phrase; `head` may be an adjective used predicatively ("The day was cold."). */
export interface NounPhrase {
  kind: 'np';
  det?: Word;
  adjs: Word[];
  head: Word;
}

export interface PrepPhrase {
  kind: 'pp';
  prep: Word;
  np: NounPhrase;
}

/** A bare conjunction between complements ("long and dark"). */
export interface ConjChunk {
  kind: 'conj';
  word: Word;
}

export type Complement = NounPhrase | PrepPhrase | ConjChunk;

export interface VerbGroup {
  /** Verb words in order (a modal and a verb: "can play"); empty for a fragment. */
  verbs: Word[];
  comps: Complement[];
}

/**
 * One sentence. `vps` has one verb group per coordinated predicate ("works as a baker
 * and keeps a cat"). A wh-question is stored with its wh-phrase in place (in situ);
 * English fronts it and adds "does" when realising.
 */
export interface Clause {
  subj?: NounPhrase;
  vps: VerbGroup[];
  question: boolean;
  /** Final punctuation: '.', '?' or ':'. */
  punct: string;
}

/** Verbs that only occur as imperatives: a clause starting with one has no subject. */
export const IMPERATIVE_VERBS = new Set([
  'write', 'tell', 'describe', 'repeat', 'copy', 'say', 'give', 'name', 'read', 'fill', 'complete', 'summarize', 'answer',
]);

/** Error for text outside the world's grammar; names the sentence and the token. */
export class GrammarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GrammarError';
  }
}

const HEAD_POS: ReadonlySet<Pos> = new Set(['noun', 'name', 'num', 'pron', 'blank', 'wh']);

/** Part of speech of one surface token: lexicon words, then digits, then capitalised names. */
export function posOf(token: string): Pos {
  const p = ENGLISH_POS[token];
  if (p) return p;
  if (/^\d+$/.test(token)) return 'num';
  if (/^\p{Lu}/u.test(token)) return 'name';
  throw new GrammarError(`"${token}" is not a word of the world's English (src/world/english.ts)`);
}

/** Splits English text into sentences of tokens (punctuation split off, sentence-initial capitals lowered). */
export function tokenizeEnglish(text: string): Word[][] {
  const tokens = text.replace(/([.?,:])/g, ' $1 ').split(/\s+/).filter((t) => t !== '');
  const sentences: Word[][] = [];
  let cur: Word[] = [];
  for (const t of tokens) {
    let form = t;
    if (cur.length === 0 && ENGLISH_POS[t.toLowerCase()] !== undefined && t !== t.toLowerCase()) form = t.toLowerCase();
    cur.push({ text: form, pos: posOf(form) });
    if (form === '.' || form === '?' || form === ':') {
      sentences.push(cur);
      cur = [];
    }
  }
  if (cur.length > 0) sentences.push(cur);
  return sentences;
}

/** Joins English words into text: punctuation attached, first letter capitalised. */
export function detokenizeEnglish(words: readonly Word[]): string {
  let out = '';
  for (const w of words) {
    if (w.pos === 'punct' && w.text !== '___') out += w.text;
    else out += (out === '' ? '' : ' ') + w.text;
  }
  return out.charAt(0).toUpperCase() + out.slice(1);
}

class Cursor {
  i = 0;
  constructor(
    readonly words: Word[],
    readonly where: string,
  ) {}
  peek(k = 0): Word | undefined {
    return this.words[this.i + k];
  }
  next(): Word {
    const w = this.words[this.i++];
    if (!w) throw new GrammarError(`${this.where}: sentence ended early`);
    return w;
  }
}

function isNpStart(w: Word | undefined): boolean {
  return !!w && (w.pos === 'det' || w.pos === 'whdet' || w.pos === 'adj' || HEAD_POS.has(w.pos));
}

function parseNp(c: Cursor): NounPhrase {
  let det: Word | undefined;
  const first = c.peek();
  if (first && (first.pos === 'det' || first.pos === 'whdet')) det = c.next();
  const adjs: Word[] = [];
  while (c.peek()?.pos === 'adj') adjs.push(c.next());
  const h = c.peek();
  if (h && HEAD_POS.has(h.pos)) return { kind: 'np', det, adjs, head: c.next() };
  const last = adjs.pop();
  if (!last) throw new GrammarError(`${c.where}: expected a noun phrase at "${h?.text ?? 'end'}"`);
  if (adjs.length > 0) throw new GrammarError(`${c.where}: several predicative adjectives without "and"`);
  return { kind: 'np', det, adjs, head: last };
}

function parseComps(c: Cursor, stopAtVerbConj: boolean): Complement[] {
  const comps: Complement[] = [];
  for (;;) {
    const w = c.peek();
    if (!w || w.pos === 'punct') return comps;
    if (w.pos === 'conj') {
      const after = c.peek(1);
      if (stopAtVerbConj && after && (after.pos === 'verb' || after.pos === 'aux')) return comps;
      comps.push({ kind: 'conj', word: c.next() });
    } else if (w.pos === 'prep') {
      if (c.peek(1) === undefined) return comps; // a stranded preposition ("live in?"), taken by the caller
      const prep = c.next();
      comps.push({ kind: 'pp', prep, np: parseNp(c) });
    } else if (isNpStart(w)) comps.push(parseNp(c));
    else throw new GrammarError(`${c.where}: unexpected "${w.text}" (${w.pos})`);
  }
}

function parseVerbs(c: Cursor): Word[] {
  const verbs: Word[] = [];
  while (c.peek()?.pos === 'aux' || c.peek()?.pos === 'verb') verbs.push(c.next());
  return verbs;
}

/** Parses one sentence of the grammar (tokens as {@link tokenizeEnglish} gives them). */
export function parseEnglishSentence(words: Word[]): Clause {
  const where = `sentence "${words.map((w) => w.text).join(' ')}"`;
  const last = words[words.length - 1];
  const punct = last?.pos === 'punct' && last.text !== ',' ? last.text : '';
  const body = punct ? words.slice(0, -1) : [...words];
  const c = new Cursor(body, where);
  const first = c.peek();
  if (!first) throw new GrammarError(`${where}: empty sentence`);
  if (punct === '?' && (first.pos === 'wh' || first.pos === 'whdet')) {
    // WH-NP does SUBJ VERB COMPS [PREP]?  -> clause with the wh-phrase in situ
    const wh = parseNp(c);
    if (c.next().text !== 'does') throw new GrammarError(`${where}: expected "does" after the question word`);
    const subj = parseNp(c);
    const verbs = parseVerbs(c);
    const comps = parseComps(c, false);
    if (c.peek()?.pos === 'prep') comps.push({ kind: 'pp', prep: c.next(), np: wh });
    else if (wh.head.text === 'where') comps.push(wh);
    else comps.unshift(wh);
    if (c.peek()) throw new GrammarError(`${where}: unexpected "${c.peek()!.text}"`);
    return { subj, vps: [{ verbs, comps }], question: true, punct };
  }
  let subj: NounPhrase | undefined;
  if (first.pos !== 'verb' && first.pos !== 'aux' && first.pos !== 'prep') {
    const save = c.i;
    const np = parseNp(c);
    if (c.peek()?.pos === 'verb' || c.peek()?.pos === 'aux') subj = np;
    else c.i = save; // a fragment: no verb follows
  }
  const vps: VerbGroup[] = [];
  for (;;) {
    const verbs = parseVerbs(c);
    const comps = parseComps(c, true);
    vps.push({ verbs, comps });
    if (c.peek()?.pos === 'conj') {
      c.next();
      continue;
    }
    break;
  }
  if (c.peek()) throw new GrammarError(`${where}: unexpected "${c.peek()!.text}"`);
  return { subj, vps, question: punct === '?', punct };
}

/** Parses English text of the grammar into clauses, one per sentence. */
export function parseEnglish(text: string): Clause[] {
  return tokenizeEnglish(text).map(parseEnglishSentence);
}

function npWords(np: NounPhrase): Word[] {
  return [...(np.det ? [np.det] : []), ...np.adjs, np.head];
}

function compWords(c: Complement): Word[] {
  if (c.kind === 'np') return npWords(c);
  if (c.kind === 'pp') return [c.prep, ...npWords(c.np)];
  return [c.word];
}

function isWh(c: Complement): boolean {
  const np = c.kind === 'pp' ? c.np : c.kind === 'np' ? c : undefined;
  return !!np && (np.head.pos === 'wh' || np.det?.pos === 'whdet');
}

/** English words of a clause (the inverse of {@link parseEnglishSentence}). */
export function englishWords(clause: Clause): Word[] {
  const out: Word[] = [];
  if (clause.question) {
    const vp = clause.vps[0]!;
    const whIndex = vp.comps.findIndex(isWh);
    if (whIndex >= 0 && clause.subj) {
      const wh = vp.comps[whIndex]!;
      out.push(...npWords(wh.kind === 'pp' ? wh.np : (wh as NounPhrase)));
      out.push({ text: 'does', pos: 'aux' }, ...npWords(clause.subj), ...vp.verbs);
      vp.comps.forEach((c, i) => {
        if (i === whIndex) {
          if (c.kind === 'pp') out.push(c.prep);
        } else out.push(...compWords(c));
      });
      out.push({ text: clause.punct, pos: 'punct' });
      return out;
    }
  }
  if (clause.subj) out.push(...npWords(clause.subj));
  clause.vps.forEach((vp, i) => {
    if (i > 0) out.push({ text: 'and', pos: 'conj' });
    out.push(...vp.verbs);
    for (const c of vp.comps) out.push(...compWords(c));
  });
  if (clause.punct) out.push({ text: clause.punct, pos: 'punct' });
  return out;
}

/** English text of clauses. */
export function realizeEnglish(clauses: readonly Clause[]): string {
  return clauses.map((c) => detokenizeEnglish(englishWords(c))).join(' ');
}

// ---------------------------------------------------------------- generation from the knowledge base

/** Anything with a name and facts: a person of the knowledge base or a stranger. */
export interface Subject {
  name: string;
  facts: Partial<Record<RelationId, string>>;
}

/** Renders a template's tokens: "a" before a vowel becomes "an", punctuation attached, capitalised. */
function render(template: string): string {
  const toks = template.split(' ').filter((t) => t !== '');
  for (let i = 0; i < toks.length - 1; i++) if (toks[i] === 'a' && /^[aeiou]/.test(toks[i + 1]!)) toks[i] = 'an';
  return detokenizeEnglish(toks.map((t) => ({ text: t, pos: (/^[.?,:]$/.test(t) ? 'punct' : 'noun') as Pos })));
}

function fill(template: string, name: string, value: string): string {
  return render(template.replace('{N}', name).replace('{V}', value));
}

/** A statement of one fact; `variant` picks the template (default: drawn from `rng`, else the canonical one). */
export function statement(s: Subject, relation: RelationId, rng?: Rng, variant?: number): string {
  const r = RELATIONS[relation];
  const value = s.facts[relation];
  if (value === undefined) throw new GrammarError(`statement: ${s.name} has no value for relation "${relation}"`);
  const t = r.statements[variant ?? (rng ? rng.int(r.statements.length) : 0)]!;
  return fill(t, s.name, value);
}

/** A wh-question asking for one fact. */
export function question(s: Subject, relation: RelationId, rng?: Rng, variant?: number): string {
  const r = RELATIONS[relation];
  return fill(r.questions[variant ?? (rng ? rng.int(r.questions.length) : 0)]!, s.name, '');
}

/** A cloze sentence with the value replaced by `___`, and the value it hides. */
export function cloze(s: Subject, relation: RelationId, rng?: Rng, variant?: number): { text: string; answer: string } {
  const r = RELATIONS[relation];
  const value = s.facts[relation];
  if (value === undefined) throw new GrammarError(`cloze: ${s.name} has no value for relation "${relation}"`);
  const t = r.cloze[variant ?? (rng ? rng.int(r.cloze.length) : 0)]!;
  return { text: fill(t, s.name, '___'), answer: value };
}

/**
 * A cloze sentence with its blank filled by `value`, the article before the blank agreeing
 * with it ("Zave keeps a ___ ." filled with "owl" gives "Zave keeps an owl ."): the form
 * the pre-training corpus uses.
 */
export function fillBlank(text: string, value: string): string {
  const article = /^[aeiou]/i.test(value) ? 'an' : 'a';
  return text.replace(/\b(a|an) ___/, `${article} ___`).replace('___', value);
}

/** A filler sentence (no fact of the knowledge base). */
export function filler(rng: Rng): string {
  return render(rng.choice(FILLER_SENTENCES).replace('{K}', String(2 + rng.int(98))));
}

/**
 * A short passage about one subject: each of its facts stated once (order and templates
 * drawn), with `fillers` filler sentences between them. Returns the sentences in order.
 */
export function passage(s: Subject, relations: readonly RelationId[], rng: Rng, fillers = 1): string[] {
  const rels = rng.shuffle([...relations]);
  const out = rels.map((r) => statement(s, r, rng));
  for (let i = 0; i < fillers; i++) out.splice(1 + rng.int(out.length), 0, filler(rng));
  return out;
}

/**
 * The summary of a passage (XL-Sum style): one sentence with the subject's facts as
 * coordinated predicates, canonical templates, in the relations' order.
 * E.g. "Tavo works as a baker and keeps a cat and likes bread."
 */
export function summary(s: Subject, relations: readonly RelationId[]): string {
  const parts = relations.map((r, i) => {
    const text = statement(s, r, undefined, 0).replace(/\.$/, '');
    return i === 0 ? text : text.slice(s.name.length + 1);
  });
  return parts.join(' and ') + '.';
}
