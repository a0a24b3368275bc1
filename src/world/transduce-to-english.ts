/**
 * X -> English, step by step: X text of this transduction is split into sentences at
 * the language's punctuation, each sentence into word tokens (spaces, and fixed-width
 * runs of logograms), each token is analysed into an English word plus what its affixes
 * say (definite prefix, object or case suffix), the tokens are chunked into verbs, noun
 * phrases and prepositional phrases, and the chunks are put back into an English
 * {@link Clause} (subject found by the language's word order). {@link readX} is what
 * `buildTransducer` (src/world/transduce.ts) calls; the others are its steps.
 * It reads text the transduction wrote, not arbitrary X (docs/world.md, "Lexicon and
 * transduction"). Serves the transduction, and so notebook 02.
 */

import { ENGLISH_POS } from './english';
import {
  type Clause, type Complement, detokenizeEnglish, englishWords, GrammarError, IMPERATIVE_VERBS, type NounPhrase,
  type VerbGroup, type Word,
} from './grammar';
import type { TransducerState } from './transduce';
import { OBJECT_HEADS } from './transduce-to-x';

/** One X token read as an English word. */
interface Analysed {
  word: Word;
  /** It carried the definite prefix. */
  definite: boolean;
  /** A case suffix read as this preposition. */
  casePrep?: string;
}

/** A piece of an X sentence: a run of verbs, a verb-group boundary ('and' between predicates), or a complement. */
type XChunk = { kind: 'verb'; words: Word[] } | { kind: 'and' } | { kind: 'comp'; comp: Complement };

/** A noun phrase read from X, with the preposition its head's case suffix stands for. */
type CasedNounPhrase = NounPhrase & { casePrep?: string };

/** The analysed tokens of one sentence, a read position, and where the sentence came from (for errors). */
interface Cursor {
  toks: Analysed[];
  i: number;
  where: string;
}

/** Writes a/an by the next word, as English does. */
export function fixArticles(words: Word[]): Word[] {
  return words.map((w, i) => {
    if (w.text !== 'a' && w.text !== 'an') return w;
    const next = words[i + 1]?.text ?? '';
    return { ...w, text: /^[aeiou]/.test(next) ? 'an' : 'a' };
  });
}

// ------------------------------------------------------------ script

/**
 * X text split at the language's sentence punctuation (every mark but the comma), each
 * sentence with the English mark that ended it; trailing text without a mark is a
 * sentence with punctuation ''.
 */
export function splitSentences(state: TransducerState, x: string): { body: string; punct: string }[] {
  const marks = [...state.englishPunctuation.keys()].filter((p) => state.englishPunctuation.get(p) !== ',');
  const sentences: { body: string; punct: string }[] = [];
  let cur = '';
  for (const ch of x) {
    if (marks.includes(ch)) {
      sentences.push({ body: cur, punct: state.englishPunctuation.get(ch)! });
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') sentences.push({ body: cur, punct: '' });
  return sentences;
}

/**
 * A sentence body as word tokens: split at whitespace and, in a logographic script,
 * every run of logograms cut into words of `logogramsPerWord` characters (other runs,
 * such as names and numbers, stay whole).
 */
export function segmentWords(state: TransducerState, body: string): string[] {
  const { script } = state.spec;
  const pieces = body.split(/\s+/).filter((p) => p !== '');
  if (script.kind !== 'logograms') return pieces;
  const per = script.logogramsPerWord ?? 2;
  const out: string[] = [];
  for (const p of pieces) {
    for (const run of p.match(/[\p{Script=Han}]+|[^\p{Script=Han}]+/gu) ?? []) {
      if (/\p{Script=Han}/u.test(run)) for (let i = 0; i < run.length; i += per) out.push(run.slice(i, i + per));
      else out.push(run);
    }
  }
  return out;
}

// ------------------------------------------------------------ word mapping

/**
 * The English word an unaffixed X form stands for: a lexicon word, the cloze gap, a
 * number (native or ASCII digits), a shared name (a capitalised word) or a
 * transliterated name; undefined when it is none of these.
 */
export function lookupForm(state: TransducerState, form: string): Word | undefined {
  const { spec, lexicon, digits, untransliteration } = state;
  const en = lexicon.inverse.get(form);
  if (en !== undefined) return { text: en, pos: ENGLISH_POS[en]! };
  if (form === '___') return { text: '___', pos: 'blank' };
  if (digits && [...form].every((c) => digits.includes(c))) return { text: [...form].map((c) => String(digits.indexOf(c))).join(''), pos: 'num' };
  if (/^\d+$/.test(form)) return { text: form, pos: 'num' };
  if (spec.names === 'shared' && /^\p{Lu}[\p{Ll}]*$/u.test(form)) return { text: form, pos: 'name' };
  if (spec.names === 'transliterated' && form !== '' && [...form].every((c) => untransliteration.has(c))) {
    const latin = [...form].map((c) => untransliteration.get(c)!).join('');
    return { text: latin[0]!.toUpperCase() + latin.slice(1), pos: 'name' };
  }
  return undefined;
}

// ------------------------------------------------------------ morphology

/**
 * A token without a definite prefix: the form itself, else a lexicon word plus one
 * suffix (tried longest first), an object suffix read as nothing and a case suffix as
 * its preposition.
 */
function analyseStem(state: TransducerState, t: string, definite: boolean): Analysed | undefined {
  const w = lookupForm(state, t);
  if (w) return { word: w, definite };
  for (const s of state.suffixes) {
    if (t.length > s.length && t.endsWith(s)) {
      const stem = state.lexicon.inverse.get(t.slice(0, -s.length));
      if (stem !== undefined) {
        const word = { text: stem, pos: ENGLISH_POS[stem]! };
        if (state.objectSuffixes.has(s)) return { word, definite };
        return { word, definite, casePrep: state.casePrepositions.get(s) };
      }
    }
  }
  return undefined;
}

/**
 * One X token as an English word: a name, number or gap with a suffix after the
 * name-suffix separator; else the token as a stem (with a suffix); else, when it starts
 * with the definite prefix, the rest as a definite stem. A token that is none of these
 * is an error naming `where`.
 */
export function analyseToken(state: TransducerState, token: string, where: string): Analysed {
  const sep = state.spec.morphology.nameSuffixSeparator;
  if (sep !== undefined && token.includes(sep)) {
    const at = token.lastIndexOf(sep);
    const w = lookupForm(state, token.slice(0, at));
    if (w) return { word: w, definite: false, casePrep: state.casePrepositions.get(token.slice(at + sep.length)) };
  }
  const plain = analyseStem(state, token, false);
  if (plain) return plain;
  const prefix = state.definitePrefix;
  if (prefix && token.startsWith(prefix)) {
    const def = analyseStem(state, token.slice(prefix.length), true);
    if (def) return def;
  }
  throw new GrammarError(`${where}: "${token}" is not a word of language "${state.spec.code}"`);
}

// ------------------------------------------------------------ phrases

/** Whether an analysed token can head a noun phrase when adjectives come before the noun. */
function headsNounPhrase(t: Analysed | undefined): boolean {
  return !!t && (OBJECT_HEADS.has(t.word.pos) || t.word.pos === 'num');
}

/**
 * The noun phrase at the cursor, which it advances past: an optional determiner, then
 * adjectives and the head in the language's order. With adjectives before the noun and
 * no nominal head, the last adjective is the head (a predicative adjective). With
 * adjectives after the noun, a noun takes the adjectives that follow it (agreeing in
 * definiteness where it is a prefix). A definite head without a determiner gets 'the'.
 */
function readNounPhrase(state: TransducerState, cur: Cursor): CasedNounPhrase {
  const { spec } = state;
  const { toks } = cur;
  let det: Word | undefined;
  const t0 = toks[cur.i];
  if (t0 && (t0.word.pos === 'det' || t0.word.pos === 'whdet')) {
    det = t0.word;
    cur.i++;
  }
  const adjs: Word[] = [];
  let head: Analysed | undefined;
  if (spec.adjective === 'before') {
    while (toks[cur.i]?.word.pos === 'adj') adjs.push(toks[cur.i++]!.word);
    if (headsNounPhrase(toks[cur.i])) head = toks[cur.i++];
    else {
      const last = adjs.pop();
      if (!last) throw new GrammarError(`${cur.where}: expected a noun phrase at token ${cur.i + 1}`);
      head = { word: last, definite: false };
    }
  } else {
    head = toks[cur.i++];
    if (!head) throw new GrammarError(`${cur.where}: sentence ended inside a noun phrase`);
    if (head.word.pos === 'noun') {
      while (toks[cur.i]?.word.pos === 'adj' && (spec.articles.definite !== 'prefix' || toks[cur.i]!.definite === head.definite)) {
        adjs.push(toks[cur.i++]!.word);
      }
    }
  }
  if (head!.definite && !det) det = { text: 'the', pos: 'det' };
  return { kind: 'np', det, adjs, head: head!.word, casePrep: head!.casePrep };
}

/** A noun phrase without the case preposition it was read with. */
function stripCase(np: CasedNounPhrase): NounPhrase {
  return { kind: 'np', det: np.det, adjs: np.adjs, head: np.head };
}

/**
 * Whether an 'and' between the previous chunk and the token type `next` joins two verb
 * groups (rather than two complements): in SOV, when it follows a verb; otherwise when
 * a verb follows, or a preposition where adjuncts come before the verb.
 */
function joinsVerbGroups(state: TransducerState, previous: XChunk | undefined, next: string | undefined): boolean {
  const { spec } = state;
  if (spec.order === 'SOV') return previous?.kind === 'verb';
  return next === 'verb' || next === 'aux' || (spec.adjunctsBeforeVerb && next === 'prep');
}

/**
 * The analysed tokens of a sentence as chunks: runs of verbs, 'and' as a verb-group
 * boundary or a complement, prepositional phrases (a preposition before its noun phrase,
 * a postposition after it, or a case suffix on its head) and bare noun phrases.
 */
export function chunkX(state: TransducerState, toks: Analysed[], where: string): XChunk[] {
  const { spec } = state;
  const cur: Cursor = { toks, i: 0, where };
  const chunks: XChunk[] = [];
  while (cur.i < toks.length) {
    const t = toks[cur.i]!;
    const pos = t.word.pos;
    if (pos === 'verb' || pos === 'aux') {
      const words: Word[] = [];
      while (toks[cur.i] && (toks[cur.i]!.word.pos === 'verb' || toks[cur.i]!.word.pos === 'aux')) words.push(toks[cur.i++]!.word);
      chunks.push({ kind: 'verb', words });
    } else if (pos === 'conj') {
      cur.i++;
      const boundary = joinsVerbGroups(state, chunks[chunks.length - 1], toks[cur.i]?.word.pos);
      chunks.push(boundary ? { kind: 'and' } : { kind: 'comp', comp: { kind: 'conj', word: t.word } });
    } else if (pos === 'prep' && spec.adposition === 'preposition') {
      cur.i++;
      chunks.push({ kind: 'comp', comp: { kind: 'pp', prep: t.word, np: stripCase(readNounPhrase(state, cur)) } });
    } else {
      const np = readNounPhrase(state, cur);
      if (np.casePrep) chunks.push({ kind: 'comp', comp: { kind: 'pp', prep: { text: np.casePrep, pos: 'prep' }, np: stripCase(np) } });
      else if (spec.adposition === 'postposition' && toks[cur.i]?.word.pos === 'prep') {
        chunks.push({ kind: 'comp', comp: { kind: 'pp', prep: toks[cur.i++]!.word, np: stripCase(np) } });
      } else chunks.push({ kind: 'comp', comp: stripCase(np) });
    }
  }
  return chunks;
}

// ------------------------------------------------------------ word order

/** Chunks split into verb groups at each 'and' boundary. */
function splitVerbGroups(chunks: readonly XChunk[]): XChunk[][] {
  const groups: XChunk[][] = [[]];
  for (const c of chunks) {
    if (c.kind === 'and') groups.push([]);
    else groups[groups.length - 1]!.push(c);
  }
  return groups;
}

/**
 * The chunks as an English clause. In the first verb group of a clause that is not an
 * imperative, the subject is the first bare noun phrase before the verb (SVO, SOV) or
 * right after it (VSO); the other complements keep their order, prepositional phrases
 * moved back after the others where the language puts adjuncts before the verb.
 */
export function clauseFromChunks(state: TransducerState, chunks: readonly XChunk[], question: boolean, punct: string): Clause {
  const { spec } = state;
  let subj: NounPhrase | undefined;
  const vps: VerbGroup[] = splitVerbGroups(chunks).map((g, gi) => {
    const vIndex = g.findIndex((c) => c.kind === 'verb');
    const verbs = vIndex >= 0 ? (g[vIndex] as { kind: 'verb'; words: Word[] }).words : [];
    const imperative = verbs.length > 0 && IMPERATIVE_VERBS.has(verbs[0]!.text);
    let comps = g.filter((c) => c.kind === 'comp').map((c) => (c as { comp: Complement }).comp);
    if (gi === 0 && verbs.length > 0 && !imperative) {
      const pool = spec.order === 'VSO' ? g.slice(vIndex + 1) : g.slice(0, vIndex);
      const s = pool.find((c) => c.kind === 'comp' && c.comp.kind === 'np') as { comp: NounPhrase } | undefined;
      if (s) {
        subj = s.comp;
        comps = comps.filter((c) => c !== s.comp);
      }
    }
    if (spec.adjunctsBeforeVerb) comps = [...comps.filter((c) => c.kind !== 'pp'), ...comps.filter((c) => c.kind === 'pp')];
    return { verbs, comps };
  });
  return { subj, vps, question, punct };
}

/** X text produced by the transduction -> English, sentence by sentence (see src/world/transduce.ts on what is lost). */
export function readX(state: TransducerState, x: string): string {
  return splitSentences(state, x)
    .map(({ body, punct }) => {
      const where = `${state.spec.code} sentence "${body.trim()}"`;
      const toks = segmentWords(state, body).map((t) => analyseToken(state, t, where));
      const clause = clauseFromChunks(state, chunkX(state, toks, where), punct === '?', punct);
      return detokenizeEnglish(fixArticles(englishWords(clause)));
    })
    .join(' ');
}
