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
 *   whether or not those values are right, the X answer naming them in X (the value's
 *   X form occurs in it, as the strict `contains` of the evaluation reads an answer);
 * - `sameValueAny`: the same, with the X answer read back into English, so that an X
 *   answer that names the value in English also agrees (an English-only model often
 *   answers an X instruction in English: it agrees here, not in `sameValue`);
 * - `chrf`: corpus chrF of the read-back X answers against the English answers with
 *   the distinctions X does not write removed (`lossyEnglish`), both lower-cased, so
 *   that a model whose X answer is exactly the translation of its English answer
 *   scores 100.
 *
 * Both are additive per record ([hit, 1] and chrF's statistics), so they can be pooled
 * over seeds and tested with the paired bootstrap of src/experiments/compare.ts.
 */

import { statsMetric } from '../eval/metrics';
import { Rng } from '../random/rng';
import type { Interval } from './align';

/** The two scores of the module comment. */
export const CONSISTENCY_METRICS = ['sameValue', 'sameValueAny', 'chrf'] as const;
export type ConsistencyMetric = (typeof CONSISTENCY_METRICS)[number];

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
}

/**
 * `x` read back into English by `toEnglish`; where the whole text cannot be read (a
 * model's answer need not be a sentence of the grammar), each whitespace-separated piece
 * is read alone and a piece that still cannot be read is kept as written (an English
 * word a model mixed in stays English).
 */
export function readBack(toEnglish: (x: string) => string, x: string): string {
  try {
    return toEnglish(x);
  } catch {
    return x
      .split(/\s+/)
      .filter((p) => p !== '')
      .map((p) => {
        try {
          return toEnglish(p);
        } catch {
          return p;
        }
      })
      .join(' ');
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The values of `values` that `english` names as whole words (case-insensitive), in the order of `values`. */
export function namedValues(english: string, values: readonly string[]): string[] {
  const text = english.toLowerCase();
  return values.filter((v) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRe(v.toLowerCase())}($|[^\\p{L}\\p{N}])`, 'u').test(text));
}

/** The values of `values` whose X form (`valuesX[i]`) occurs in `x` (case-insensitive). */
export function namedValuesX(x: string, values: readonly string[], valuesX: readonly string[]): string[] {
  const text = x.toLowerCase();
  return values.filter((_, i) => valuesX[i] !== '' && text.includes(valuesX[i]!.toLowerCase()));
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length > 0 && a.length === b.length && a.every((v, i) => v === b[i]);

/** 1 when both answers name the same non-empty set of values, the X answer in X, else 0. */
export function sameValue(p: AnswerPair): number {
  return sameSet(namedValues(p.english, p.values), namedValuesX(p.x, p.values, p.valuesX)) ? 1 : 0;
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
