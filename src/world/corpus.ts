/**
 * The English-dominated pre-training corpus of the miniature world (the
 * paper's premise, Section 1, that the base LLM knows much in English and little in
 * other languages), composed from documents of a few sentences:
 *
 * - English (the rest of the budget): biographies of knowledge-base people, all of them
 *   including the held-out ones, 1 to all of their facts in drawn templates, sometimes
 *   with a filler sentence.
 * - Each target language, `targetShare` of the sentences: biographies of NON-held-out
 *   people, of strangers (so every value word occurs in the language), and filler, all
 *   transduced. Held-out people's facts never appear in a target language.
 *
 * Levers for the design study (docs/world.md), each independent:
 * - code-switching (`codeSwitchShare`, `codeSwitchP`): that share of English biographies
 *   has each non-name word replaced by its word in one drawn target language with
 *   probability p; a held-out person's values are never replaced. The early probes of the
 *   design study (docs/world.md) found this the one lever that showed the effect.
 * - parallel pairs (`parallelShare`, default 0): documents "English sentence\nX sentence"
 *   (never a held-out fact).
 * - repeated spans (`repeatShare`, default 0): documents whose 2-3 sentences are written
 *   twice (copy / induction patterns); in a target language only non-held-out facts.
 * - stranger recall (`recallShare`, default 0): documents that state one or two
 *   strangers' facts and then state one or two of them again in a freshly drawn
 *   template ("Kiroro cares for an owl. ... Kiroro keeps an owl."). A stranger's facts
 *   are random, so the restatement can only be predicted from the document itself: the
 *   pattern context QA needs (find the named person's fact earlier in the text). Repeated
 *   spans of knowledge-base people teach no such thing, because the model knows their
 *   facts by heart (docs/world.md). 20% are in a target language.
 * Shares count sentences (a parallel pair counts 2, a repeated span counts each copy).
 */

import { Rng } from '../random/rng';
import { ENGLISH_POS, type RelationId } from './english';
import { filler, passage, statement, type Subject, tokenizeEnglish, detokenizeEnglish } from './grammar';
import { drawStrangers, type KnowledgeBase, type Person } from './kb';
import type { Transducer } from './transduce';

export interface CorpusOptions {
  /** Sentences in the whole corpus. */
  sentences: number;
  /** Share of sentences in EACH target language. */
  targetShare: number;
  /** Share of English biographies that are code-switched (0 = off). */
  codeSwitchShare: number;
  /** Probability that a code-switched document's non-name word is replaced. */
  codeSwitchP: number;
  /** Share of sentences in English/X parallel pairs (0 = off). */
  parallelShare: number;
  /** Share of sentences in repeated-span documents (0 = off). */
  repeatShare: number;
  /** Share of sentences in stranger-recall documents (0 or absent = off; absent keeps the specs made before the lever unchanged). */
  recallShare?: number;
}

export type CorpusDocKind = 'bio' | 'stranger' | 'filler' | 'codeswitch' | 'parallel' | 'repeat' | 'recall';

export interface CorpusDoc {
  /** 'en', a target code, or 'en+xx' for code-switched text and 'en|xx' for parallel pairs. */
  lang: string;
  kind: CorpusDocKind;
  text: string;
  sentences: number;
  /** The knowledge-base person the document is about, if any. */
  person?: number;
}

export interface PretrainCorpus {
  options: CorpusOptions;
  docs: CorpusDoc[];
}

/** Checks shares; errors name the option. */
export function checkCorpusOptions(o: CorpusOptions, languages: number): void {
  for (const k of ['targetShare', 'codeSwitchShare', 'codeSwitchP', 'parallelShare', 'repeatShare', 'recallShare'] as const) {
    const v = o[k] ?? 0;
    if (!(v >= 0 && v <= 1)) throw new RangeError(`world corpus: ${k} must be in [0, 1], got ${v}`);
  }
  const other = o.targetShare * languages + o.parallelShare + o.repeatShare + (o.recallShare ?? 0);
  if (other >= 1) {
    throw new RangeError(
      `world corpus: targetShare x ${languages} languages + parallelShare + repeatShare + recallShare = ${other.toFixed(3)} leaves no English; keep it below 1`,
    );
  }
  if (!Number.isInteger(o.sentences) || o.sentences < 10) throw new RangeError(`world corpus: sentences must be an integer >= 10, got ${o.sentences}`);
}

/**
 * English text with each non-name word replaced by its word in `t`'s language with
 * probability `p`, except the words in `keep` (held-out values). Word order stays English.
 */
export function codeSwitch(english: string, t: Transducer, p: number, rng: Rng, keep: ReadonlySet<string> = new Set()): string {
  return tokenizeEnglish(english)
    .map((words) =>
      detokenizeEnglish(
        words.map((w) => {
          const switchable = ENGLISH_POS[w.text] !== undefined && w.pos !== 'punct' && w.pos !== 'blank' && !keep.has(w.text);
          if (!switchable || !(rng.float() < p)) return w;
          return { text: t.word(w.text), pos: w.pos };
        }),
      ),
    )
    .join(' ');
}

/** A biography: 1 to all of the subject's facts in drawn templates, a filler sentence 30% of the time. */
function bio(s: Subject, relations: readonly RelationId[], rng: Rng): string[] {
  const k = 1 + rng.int(relations.length);
  const rels = rng.shuffle([...relations]).slice(0, k);
  return passage(s, rels, rng, rng.float() < 0.3 ? 1 : 0);
}

/** Composes the pre-training corpus; deterministic in (kb, transducers, options, seed). */
export function composePretrainCorpus(
  kb: KnowledgeBase,
  transducers: readonly Transducer[],
  options: CorpusOptions,
  seed: number,
): PretrainCorpus {
  checkCorpusOptions(options, transducers.length);
  const rng = new Rng(seed).fork('world:corpus');
  const rels = kb.options.relations;
  const seen = kb.people.filter((p) => !p.heldOut);
  if (seen.length === 0) throw new RangeError('world corpus: every person is held out; lower heldOutShare');
  const docs: CorpusDoc[] = [];
  const N = options.sentences;
  const nTarget = Math.round(options.targetShare * N);
  const nParallel = transducers.length ? Math.round(options.parallelShare * N) : 0;
  const nRepeat = Math.round(options.repeatShare * N);
  const nRecall = Math.round((options.recallShare ?? 0) * N);
  const nEnglish = N - nTarget * transducers.length - nParallel - nRepeat - nRecall;

  // English biographies, some code-switched
  const en = rng.fork('english');
  for (let n = 0; n < nEnglish; ) {
    const person: Person = kb.people[en.int(kb.people.length)]!;
    const sentences = bio(person, rels, en);
    const text = sentences.join(' ');
    n += sentences.length;
    if (transducers.length > 0 && options.codeSwitchShare > 0 && en.float() < options.codeSwitchShare) {
      const t = transducers[en.int(transducers.length)]!;
      const keep = new Set(person.heldOut ? Object.values(person.facts) : []);
      docs.push({ lang: `en+${t.spec.code}`, kind: 'codeswitch', text: codeSwitch(text, t, options.codeSwitchP, en, keep), sentences: sentences.length, person: person.id });
    } else docs.push({ lang: 'en', kind: 'bio', text, sentences: sentences.length, person: person.id });
  }

  // A sentence that never states a held-out fact: a non-held-out person's fact, a stranger's, or filler.
  const safeSentences = (r: Rng): { sentences: string[]; kind: CorpusDocKind; person?: number } => {
    const u = r.float();
    if (u < 0.6) {
      const p = seen[r.int(seen.length)]!;
      return { sentences: bio(p, rels, r), kind: 'bio', person: p.id };
    }
    if (u < 0.9) return { sentences: bio(drawStrangers(kb, r, 1)[0]!, rels, r), kind: 'stranger' };
    return { sentences: [filler(r), ...(r.float() < 0.5 ? [filler(r)] : [])], kind: 'filler' };
  };

  for (const t of transducers) {
    const r = rng.fork(`target:${t.spec.code}`);
    for (let n = 0; n < nTarget; ) {
      const d = safeSentences(r);
      n += d.sentences.length;
      docs.push({ lang: t.spec.code, kind: d.kind, text: t.toX(d.sentences.join(' ')), sentences: d.sentences.length, person: d.person });
    }
  }

  const par = rng.fork('parallel');
  for (let n = 0; n < nParallel; ) {
    const t = transducers[par.int(transducers.length)]!;
    const d = safeSentences(par);
    const s = d.sentences[0]!;
    n += 2;
    docs.push({ lang: `en|${t.spec.code}`, kind: 'parallel', text: `${s}\n${t.toX(s)}`, sentences: 2, person: d.person });
  }

  const rep = rng.fork('repeat');
  for (let n = 0; n < nRepeat; ) {
    const inTarget = transducers.length > 0 && rep.float() < 0.2;
    let sentences: string[];
    let person: number | undefined;
    if (inTarget) ({ sentences, person } = safeSentences(rep));
    else {
      const p = kb.people[rep.int(kb.people.length)]!;
      sentences = bio(p, rels, rep);
      person = p.id;
    }
    sentences = sentences.slice(0, 3);
    const span = sentences.join(' ');
    const t = inTarget ? transducers[rep.int(transducers.length)]! : undefined;
    const text = t ? t.toX(span) : span;
    n += 2 * sentences.length;
    docs.push({ lang: t ? t.spec.code : 'en', kind: 'repeat', text: `${text} ${text}`, sentences: 2 * sentences.length, person });
  }

  const rec = rng.fork('recall');
  for (let n = 0; n < nRecall; ) {
    const people = drawStrangers(kb, rec, 1 + rec.int(2));
    const stated: { p: Subject; r: RelationId }[] = [];
    const sentences: string[] = [];
    for (const p of people) {
      const rs = rec.shuffle([...rels]).slice(0, 2 + rec.int(Math.max(1, rels.length - 1)));
      sentences.push(...passage(p, rs, rec, 0));
      stated.push(...rs.map((r) => ({ p, r })));
    }
    rec.shuffle(sentences);
    if (rec.float() < 0.5) sentences.splice(rec.int(sentences.length + 1), 0, filler(rec));
    const again = rec.shuffle([...stated]).slice(0, 1 + rec.int(2)).map(({ p, r }) => statement(p, r, rec));
    const inTarget = transducers.length > 0 && rec.float() < 0.2;
    const t = inTarget ? transducers[rec.int(transducers.length)]! : undefined;
    const text = [...sentences, ...again].join(' ');
    n += sentences.length + again.length;
    docs.push({ lang: t ? t.spec.code : 'en', kind: 'recall', text: t ? t.toX(text) : text, sentences: sentences.length + again.length });
  }

  rng.fork('order').shuffle(docs);
  return { options: { ...options }, docs };
}
