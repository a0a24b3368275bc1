/**
 * Seeds, intervals and paired tests for notebook 02 ("at least three seeds;
 * report mean, 95% interval and a paired significance test"): for one language, task,
 * metric and pair of conditions,
 * - the mean over seeds of each condition with a Student-t 95% interval (null below two seeds);
 * - a paired bootstrap test (src/eval/metrics/significance.ts) over test records: the
 *   per-record statistics of each condition are summed over the seeds both conditions
 *   ran, and record i of A is paired with record i of B (same test records: the world
 *   and its test split do not depend on the tuning seed).
 */

import { pairedBootstrapStats } from '../eval/metrics/significance';
import { studentTQuantile } from '../scaling/student-t';
import { segmentMetric } from './evaluate';
import type { Condition } from './conditions';
import type { SegmentStats } from './evaluate';
import type { TuneSpec } from './spec';
import type { ExperimentResult } from './store';

export interface SeedSummary {
  seeds: number;
  mean: number;
  /** 95% Student-t interval over seeds; null with fewer than two seeds. */
  lower: number | null;
  upper: number | null;
}

/** Mean and 95% t-interval of per-seed scores. */
export function seedSummary(xs: readonly number[]): SeedSummary {
  const n = xs.length;
  if (n === 0) throw new RangeError('seedSummary: no scores');
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { seeds: n, mean, lower: null, upper: null };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const h = studentTQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
  return { seeds: n, mean, lower: mean - h, upper: mean + h };
}

export interface ConditionComparison {
  /** The run's language (a multilingual run: its language label, e.g. "all", or the arm's name). */
  lang: string;
  task: string;
  metric: string;
  evalLang: string;
  /** Names of the two arms (conditions, or arms of notebook 05 such as "multilingual"). */
  a: string;
  b: string;
  seedsA: SeedSummary;
  seedsB: SeedSummary;
  /** B - A: the mean over the paired seeds of each seed's difference, or mean(B) - mean(A) when no seed is in both. */
  delta: number;
  /** Seeds both arms ran (the paired test and `delta` use these). */
  pairedSeeds: number;
  /** Paired bootstrap over test records (statistics summed over seeds): p-value of |B - A|; 1 when the pooled scores are equal; null when the results carry no segment statistics. */
  pValue: number | null;
  segments: number;
}

/** Compares conditions `a` and `b` of language `lang` (see the module comment); seeds present in only one condition are left out of the paired test. */
export function compareConditions(
  results: readonly ExperimentResult[],
  q: { lang: string; task: string; metric: string; a: Condition; b: Condition; evalLang?: string; samples?: number; seed?: number },
): ConditionComparison {
  const of = (c: Condition) => (results.filter((r) => r.kind === 'tune') as ExperimentResult<TuneSpec>[]).filter((r) => r.spec.lang === q.lang && r.spec.condition === c);
  return compareRuns(of(q.a), of(q.b), { ...q, evalLang: q.evalLang ?? q.lang });
}

/**
 * Compares two arms, each a list of tune results (one per seed), on `task`/`metric` in
 * `evalLang`: the means over seeds with intervals, and a paired bootstrap over the test
 * records of the seeds both arms ran (see the module comment). Results without the
 * score are left out; an arm left empty is an error naming it.
 */
export function compareRuns(
  armA: readonly ExperimentResult<TuneSpec>[],
  armB: readonly ExperimentResult<TuneSpec>[],
  q: { lang: string; task: string; metric: string; a: string; b: string; evalLang: string; samples?: number; seed?: number },
): ConditionComparison {
  const el = q.evalLang;
  const has = (rs: readonly ExperimentResult<TuneSpec>[]) => rs.filter((r) => r.metrics[q.task]?.[el]?.[q.metric] !== undefined).sort((x, y) => x.spec.seed - y.spec.seed);
  const [ra, rb] = [has(armA), has(armB)];
  if (!ra.length || !rb.length) throw new RangeError(`compare: no results for ${q.lang} ${q.task} ${q.metric} in ${el} in ${!ra.length ? q.a : q.b}`);
  const score = (r: ExperimentResult) => r.metrics[q.task]![el]![q.metric]!;
  const [sa, sb] = [seedSummary(ra.map(score)), seedSummary(rb.map(score))];
  const seg = (r: ExperimentResult) => ((r.extra?.segments as SegmentStats | undefined)?.[q.task]?.[el]?.[q.metric]) ?? null;
  // One row per test record, its statistics summed over the paired seeds: the statistics
  // are additive, so the pooled score is unchanged, and the bootstrap resamples records
  // (a hard record is hard for every seed; resampling seed-record rows independently
  // would understate the variance and the p-values).
  let statsA: number[][] = [];
  let statsB: number[][] = [];
  const add = (into: number[][], rows: number[][]) => rows.forEach((row, i) => (into[i] = into[i] ? into[i]!.map((v, k) => v + row[k]!) : [...row]));
  for (const x of ra) {
    const y = rb.find((r) => r.spec.seed === x.spec.seed);
    const [gx, gy] = [seg(x), y ? seg(y) : null];
    if (!gx || !gy || gx.length !== gy.length) continue;
    if (statsA.length > 0 && statsA.length !== gx.length) {
      throw new RangeError(`compareConditions: seed ${x.spec.seed} has ${gx.length} test records, other seeds ${statsA.length}`);
    }
    add(statsA, gx);
    add(statsB, gy);
  }
  if (statsA.length !== statsB.length) [statsA, statsB] = [[], []];
  let pValue: number | null = null;
  if (statsA.length > 0) {
    const m = segmentMetric(q.metric, el);
    const t = pairedBootstrapStats(statsA, statsB, (s) => m.scoreFromStats(s), { samples: q.samples ?? 1000, seed: q.seed ?? 12345 });
    // equal pooled scores: nothing to test (the bootstrap's p would be 1/(samples+1) by construction)
    pValue = t.delta === 0 ? 1 : t.pValue;
  }
  const paired = ra.flatMap((x) => {
    const y = rb.find((r) => r.spec.seed === x.spec.seed);
    return y ? [score(y) - score(x)] : [];
  });
  const delta = paired.length ? paired.reduce((t, d) => t + d, 0) / paired.length : sb.mean - sa.mean;
  return { lang: q.lang, task: q.task, metric: q.metric, evalLang: el, a: q.a, b: q.b, seedsA: sa, seedsB: sb, delta, pairedSeeds: paired.length, pValue, segments: statsA.length };
}
