/**
 * Response consistency (paper Section 6, Table 4): does a model answer an instruction
 * in language X as it answers the same instruction in English?
 *
 * The world's test records are parallel: record i of a task in English and in X pose
 * the same question about the same people (src/world/tasks.ts draws them from one
 * stream per split). The model answers both; its X answer is read back into English
 * with the world's transducer ({@link readBack}), and the two answers are compared:
 *
 * - `sameValue`: both answers name the same, non-empty set of fact values (the values
 *   of the record's relation for QA and knowledge, of every relation for summaries),
 *   whether or not those values are right, the X answer naming them in X: its X form
 *   starts a word of the answer (after the definite prefix, if the language has one;
 *   any suffix may follow), or, in a script written without spaces, occurs in it;
 * - `sameValueAny`: the same, with the X answer read back into English, so that an X
 *   answer that names the value in English also agrees (an English-only model often
 *   answers an X instruction in English: it agrees here, not in `sameValue`, except for
 *   values written alike in both languages, such as town names);
 * - `chrf`: corpus chrF of the read-back X answers against the English answers with
 *   the distinctions X does not write removed (`lossyEnglish`), both lower-cased, so
 *   that a model whose X answer is exactly the translation of its English answer
 *   scores 100. An answer in English survives reading back, so chrF rewards it too.
 *
 * Answers that name no value never agree, even when identical. All three are additive
 * per record ([hit, 1] and chrF's statistics), so they can be pooled over seeds and
 * tested with the paired bootstrap of src/experiments/compare.ts.
 */

import { statsMetric } from '../eval/metrics';
import { Rng } from '../random/rng';
import type { Interval } from './align';

/** The three scores of the module comment. */
export const CONSISTENCY_METRICS = ['sameValue', 'sameValueAny', 'chrf'] as const;
export type ConsistencyMetric = (typeof CONSISTENCY_METRICS)[number];

/** How X text names a value: at a word start (after an optional prefix), or anywhere in a script without spaces. */
export interface XWords {
  spaced: boolean;
  /** The definite prefix a noun may carry ('' for none). */
  prefix: string;
}

/** One record's two answers: English, and X read back into English. */
export interface AnswerPair {
  english: string;
  /** The X answer as the model wrote it. */
  x: string;
  /** {@link readBack} of `x`. */
  xInEnglish: string;
  /** The English answer with X's lost distinctions removed: what a perfect read-back gives. */
  englishLossy: string;
  /** The fact values this record's answers can name (lower-case English). */
  values: readonly string[];
  /** Their X forms, in the same order (lower-case). */
  valuesX: readonly string[];
  xWords: XWords;
}

/**
 * `x` read back into English by `toEnglish`. A model's answer need not be text of the
 * grammar, so what cannot be read whole is read sentence by sentence, then piece by
 * piece (whitespace-separated; in a script without spaces, `unspacedWord` characters of
 * a run at a time), and a piece that still cannot be read is kept as written (an
 * English word a model mixed in stays English).
 */
export function readBack(toEnglish: (x: string) => string, x: string, unspacedWord = 0): string {
  const read = (t: string): string | null => {
    try {
      return toEnglish(t);
    } catch {
      return null;
    }
  };
  const whole = read(x);
  if (whole !== null) return whole;
  const pieces = (sentence: string) =>
    sentence.split(/\s+/).filter((p) => p !== '').map((p) => {
      const r = read(p);
      if (r !== null || unspacedWord < 1) return r ?? p;
      const runs = p.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu) ?? [p];
      return runs.flatMap((run) => (/\p{Script=Han}/u.test(run) ? (run.match(new RegExp(`[\\s\\S]{1,${unspacedWord}}`, 'gu')) ?? []) : [run])).map((w) => read(w) ?? w).join(' ');
    }).join(' ');
  // sentences end at . ? ! and their full-width and other-script forms
  const sentences = x.match(/[^.?!。？！؟।]+[.?!。？！؟।]*/gu) ?? [x];
  return sentences.map((t) => read(t) ?? pieces(t)).join(' ');
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The values of `values` that `english` names as whole words (case-insensitive), in the order of `values`. */
export function namedValues(english: string, values: readonly string[]): string[] {
  const text = english.toLowerCase();
  return values.filter((v) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRe(v.toLowerCase())}($|[^\\p{L}\\p{N}])`, 'u').test(text));
}

/**
 * The values of `values` whose X form (`valuesX[i]`) `x` names (see the module comment;
 * case-insensitive). Where one form begins another ("bar" and "barno") and both match
 * at the same place, only the longer counts.
 */
export function namedValuesX(x: string, values: readonly string[], valuesX: readonly string[], words: XWords): string[] {
  const text = x.toLowerCase();
  const prefix = words.prefix ? `(?:${escapeRe(words.prefix.toLowerCase())})?` : '';
  // every place a form starts, with its length
  const found = valuesX.map((form) => {
    if (form === '') return [];
    const at: number[] = [];
    if (words.spaced) {
      const re = new RegExp(`(^|[^\\p{L}\\p{N}])(${prefix})(${escapeRe(form)})`, 'gu');
      for (const m of text.matchAll(re)) at.push(m.index! + m[1]!.length + m[2]!.length);
    } else {
      for (let i = text.indexOf(form); i >= 0; i = text.indexOf(form, i + 1)) at.push(i);
    }
    return at;
  });
  return values.filter((_, i) => found[i]!.some((start) => !found.some((other, j) => j !== i && valuesX[j]!.length > valuesX[i]!.length && other.includes(start))));
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length > 0 && a.length === b.length && a.every((v, i) => v === b[i]);

/** 1 when both answers name the same non-empty set of values, the X answer in X, else 0. */
export function sameValue(p: AnswerPair): number {
  return sameSet(namedValues(p.english, p.values), namedValuesX(p.x, p.values, p.valuesX, p.xWords)) ? 1 : 0;
}

/** 1 when both answers name the same non-empty set of values, the X answer read back into English, else 0. */
export function sameValueAny(p: AnswerPair): number {
  return sameSet(namedValues(p.english, p.values), namedValues(p.xInEnglish, p.values)) ? 1 : 0;
}

/** Per-record statistics of each metric: sameValue(Any) rows are [hit, 1]; chrf rows are chrF's statistics. */
export function consistencyStats(pairs: readonly AnswerPair[]): Record<ConsistencyMetric, number[][]> {
  return {
    sameValue: pairs.map((p) => [sameValue(p), 1]),
    sameValueAny: pairs.map((p) => [sameValueAny(p), 1]),
    // lower-cased: reading back capitalises a sentence's first word, which an answer need not be
    chrf: statsMetric('chrf').segmentStats(pairs.map((p) => p.xInEnglish.toLowerCase()), [pairs.map((p) => p.englishLossy.toLowerCase())]).map((r) => [...r]),
  };
}

/** The score of summed statistics of `metric` (0-100). */
export function consistencyScore(metric: ConsistencyMetric, sum: ArrayLike<number>): number {
  return metric !== 'chrf' ? (sum[1]! > 0 ? (100 * sum[0]!) / sum[1]! : 0) : statsMetric('chrf').scoreFromStats(sum);
}

/** Sums rows of statistics, row i with row i (e.g. one table per seed into one). */
export function poolStats(tables: readonly (readonly (readonly number[])[])[]): number[][] {
  if (tables.length === 0) return [];
  const n = tables[0]!.length;
  for (const t of tables) if (t.length !== n) throw new RangeError(`poolStats: ${t.length} records where the first table has ${n}; every seed answers the same records`);
  return tables[0]!.map((row, i) => row.map((_, k) => tables.reduce((s, t) => s + t[i]![k]!, 0)));
}

/** The score of `metric` over the records, with a 95% percentile bootstrap interval over records. */
export function consistencyInterval(metric: ConsistencyMetric, rows: readonly (readonly number[])[], o: { samples?: number; seed?: number } = {}): Interval {
  if (rows.length === 0) throw new RangeError(`consistency ${metric}: no records`);
  const width = rows[0]!.length;
  const sum = (idx: readonly number[]) => {
    const s = new Float64Array(width);
    for (const i of idx) for (let k = 0; k < width; k++) s[k]! += rows[i]![k]!;
    return s;
  };
  const all = rows.map((_, i) => i);
  const rng = new Rng(o.seed ?? 12345).fork(`consistency:${metric}`);
  const draws: number[] = [];
  for (let b = 0; b < (o.samples ?? 1000); b++) draws.push(consistencyScore(metric, sum(all.map(() => rng.int(rows.length)))));
  draws.sort((a, b) => a - b);
  const q = (p: number) => draws[Math.min(draws.length - 1, Math.max(0, Math.round(p * (draws.length - 1))))]!;
  return { value: consistencyScore(metric, sum(all)), lower: q(0.025), upper: q(0.975) };
}
