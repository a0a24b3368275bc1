/**
 * The similarity knob: how close a target language is to English, as parameters one
 * can turn and as quantities one can measure on transduced text.
 *
 * Turning (for the exercise "make a language more similar to English, predict then
 * measure its curve", notebook 02; the paper's gamma, Section 3.2):
 * - {@link withSimilarity} overrides single parameters of a spec (loanShare, order, ...);
 * - {@link similarityLadder} moves a language along one documented path from its own
 *   settings (level 0) to English structure with English content words (level 1):
 *   level >= 0.25 borrows English adjective and adposition placement, >= 0.5 English
 *   word order (SVO, adjuncts after the verb), >= 0.75 English articles (alphabetic
 *   scripts); loanShare rises linearly from the language's own value to 1. Function
 *   words (articles, adpositions, 'and', wh-words), script, names and numbers stay the
 *   language's own, so even level 1 is a distinct language.
 *
 * Measuring ({@link measureSimilarity}): on a sample of English sentences and their
 * transductions, the share of X tokens written exactly as the English token they come
 * from (shared tokens: names, numbers, loanwords), and the word-order distance: the
 * normalised Kendall tau distance between the English positions of consecutive X
 * tokens (0 = English order, 1 = reversed). {@link structuralDistance} is the same idea
 * read off the spec: the share of five structural parameters that differ from English.
 * Neither is the paper's gamma (which is measured from a model's representations,
 * src/similarity/); they are the knobs' own read-outs, to compare with gamma.
 */

import type { LanguageSpec } from './languages';
import type { Transducer } from './transduce';

/** Parameters the knob may set. */
export type SimilarityOverrides = Partial<
  Pick<LanguageSpec, 'loanShare' | 'order' | 'adjective' | 'adposition' | 'adjunctsBeforeVerb' | 'articles' | 'names' | 'numbers'>
>;

/** A copy of `spec` with `overrides` applied and `code` renamed (default: code + "-sim"). */
export function withSimilarity(spec: LanguageSpec, overrides: SimilarityOverrides, code = `${spec.code}-sim`): LanguageSpec {
  return structuredClone({ ...spec, ...overrides, code });
}

/** The language at `level` in [0, 1] on the path from itself (0) towards English (1); see the module note. */
export function similarityLadder(spec: LanguageSpec, level: number): LanguageSpec {
  if (!(level >= 0 && level <= 1)) throw new RangeError(`similarityLadder: level must be in [0, 1], got ${level}`);
  const o: SimilarityOverrides = { loanShare: spec.loanShare + (1 - spec.loanShare) * level };
  if (level >= 0.25) Object.assign(o, { adjective: 'before', adposition: 'preposition' });
  if (level >= 0.5) Object.assign(o, { order: 'SVO', adjunctsBeforeVerb: false });
  if (level >= 0.75 && spec.script.kind === 'alphabet') o.articles = { definite: 'word', indefinite: 'word' };
  return withSimilarity(spec, o, `${spec.code}-s${Math.round(level * 100)}`);
}

/** Share of {order, adjective, adposition, adjunctsBeforeVerb, articles} that differ from English. */
export function structuralDistance(spec: LanguageSpec): number {
  const diffs = [
    spec.order !== 'SVO',
    spec.adjective !== 'before',
    spec.adposition !== 'preposition',
    spec.adjunctsBeforeVerb,
    spec.articles.definite !== 'word' || spec.articles.indefinite !== 'word',
  ];
  return diffs.filter(Boolean).length / diffs.length;
}

export interface MeasuredSimilarity {
  language: string;
  sentences: number;
  /** X tokens (punctuation excluded). */
  tokens: number;
  /** Share of X tokens identical to their English source token. */
  sharedTokenShare: number;
  /** Mean normalised Kendall tau distance of the X order against the English order. */
  orderDistance: number;
  /** X tokens per English word (articles dropped or added, 'does' removed). */
  lengthRatio: number;
  /** From the spec: {@link structuralDistance}. */
  structuralDistance: number;
  loanShare: number;
}

function kendallDistance(positions: number[]): number {
  const n = positions.length;
  if (n < 2) return 0;
  let discordant = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (positions[i]! > positions[j]!) discordant++;
  return discordant / ((n * (n - 1)) / 2);
}

/** Measures shared tokens and word-order distance of `t` on English `sentences`. */
export function measureSimilarity(t: Transducer, sentences: readonly string[]): MeasuredSimilarity {
  let tokens = 0;
  let shared = 0;
  let enWords = 0;
  let orderSum = 0;
  let n = 0;
  for (const s of sentences) {
    for (const { tokens: xs, english } of t.toXTokens(s)) {
      const index = new Map(english.map((w, i) => [w, i]));
      const positions: number[] = [];
      for (const x of xs) {
        if (!x.src) {
          if (x.form.trim() !== '' && !Object.values(t.spec.punctuation).includes(x.form)) tokens++;
          continue;
        }
        tokens++;
        if (x.form === x.src.text) shared++;
        const p = index.get(x.src);
        if (p !== undefined) positions.push(p);
      }
      enWords += english.filter((w) => w.pos !== 'punct').length;
      orderSum += kendallDistance(positions);
      n++;
    }
  }
  return {
    language: t.spec.code,
    sentences: n,
    tokens,
    sharedTokenShare: tokens ? shared / tokens : 0,
    orderDistance: n ? orderSum / n : 0,
    lengthRatio: enWords ? tokens / enWords : 0,
    structuralDistance: structuralDistance(t.spec),
    loanShare: t.spec.loanShare,
  };
}
