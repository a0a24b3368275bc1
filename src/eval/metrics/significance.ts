/**
 * Significance of the difference between two systems scored on the same segments:
 * paired bootstrap resampling (Koehn, 2004, as sacrebleu's `paired-bs`) and
 * approximate randomisation (Riezler and Maxwell, 2005, as sacrebleu's `paired-ar`),
 * for any metric with additive per-segment statistics (BLEU, chrF, and every
 * segment-level score as rows [value, 1]).
 *
 * As in sacrebleu: the test statistic is |score(B) - score(A)|; bootstrap resamples
 * segment indices with replacement (the same indices for both systems), centres the
 * resampled absolute differences on their mean and counts how many exceed the observed
 * one; approximate randomisation swaps the two systems' outputs per segment at random.
 * Both give p = (c + 1) / (samples + 1). The 95% confidence interval of each system comes
 * from its bootstrap scores: the sorted scores at index floor(n/40) and n - floor(n/40) - 1
 * (sacrebleu also reports the half-width of that interval as "±").
 *
 * Randomness comes from the project's seeded {@link Rng} (seed 12345 by default,
 * sacrebleu's default seed; the streams differ from numpy's, so p-values agree with
 * sacrebleu's statistically, not digit for digit).
 * Serves the "significant at p < 0.05" marks of paper Table 3.
 */

import { Rng } from '../../random/rng';
import type { StatsMetric } from './common';

export interface ConfidenceInterval {
  /** The score on the real corpus. */
  score: number;
  /** Mean of the bootstrap scores. */
  mean: number;
  /** 95% interval bounds. */
  lower: number;
  upper: number;
  /** Half-width of the interval (sacrebleu's "±"). */
  ci: number;
}

export interface SignificanceResult {
  test: 'paired-bootstrap' | 'approximate-randomization';
  metric: string;
  samples: number;
  seed: number;
  /** Baseline (system A) and the compared system (B). */
  a: ConfidenceInterval;
  b: ConfidenceInterval;
  /** score(B) - score(A). */
  delta: number;
  pValue: number;
  /** Bootstrap resamples behind the confidence intervals. */
  ciSamples: number;
}

export interface SignificanceOptions {
  /** Resamples (bootstrap, default 1,000) or trials (approximate randomisation, default 10,000). */
  samples?: number;
  /** Bootstrap resamples for the confidence intervals under approximate randomisation (default 1,000). */
  ciSamples?: number;
  /** Seed for a new {@link Rng} (default 12345); ignored when `rng` is given. */
  seed?: number;
  rng?: Rng;
}

type Score = (sum: ArrayLike<number>) => number;

function flatten(stats: readonly (readonly number[])[], width: number): Float64Array {
  const out = new Float64Array(stats.length * width);
  stats.forEach((row, i) => {
    if (row.length !== width) throw new Error(`segment ${i + 1} has ${row.length} statistics, expected ${width}`);
    out.set(row, i * width);
  });
  return out;
}

/** sacrebleu's `estimate_ci` on a list of bootstrap scores, plus the bounds. */
export function estimateCi(scores: readonly number[], score: number): ConfidenceInterval {
  const s = Float64Array.from(scores).sort();
  const n = s.length;
  const lo = Math.floor(n / 40);
  const lower = s[lo]!;
  const upper = s[n - lo - 1]!;
  let mean = 0;
  for (const x of s) mean += x;
  return { score, mean: mean / n, lower, upper, ci: 0.5 * (upper - lower) };
}

/** Bootstrap scores of several systems on shared resampled indices. */
function bootstrapScores(flats: Float64Array[], n: number, width: number, score: Score, samples: number, rng: Rng): number[][] {
  const out = flats.map(() => [] as number[]);
  const sums = flats.map(() => new Float64Array(width));
  const idx = new Uint32Array(n);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    flats.forEach((flat, k) => {
      const sum = sums[k]!;
      sum.fill(0);
      for (let i = 0; i < n; i++) {
        const base = idx[i]! * width;
        for (let j = 0; j < width; j++) sum[j]! += flat[base + j]!;
      }
      out[k]!.push(score(sum));
    });
  }
  return out;
}

function checkPaired(a: readonly unknown[], b: readonly unknown[]): void {
  if (a.length !== b.length) throw new Error(`line counts differ: system A has ${a.length} segments, system B has ${b.length}`);
  if (a.length === 0) throw new Error('significance tests need at least one segment');
}

function sumAll(flat: Float64Array, n: number, width: number): Float64Array {
  const sum = new Float64Array(width);
  for (let i = 0; i < n; i++) for (let j = 0; j < width; j++) sum[j]! += flat[i * width + j]!;
  return sum;
}

type TestOptions = SignificanceOptions & { metric?: string };
type Rows = readonly (readonly number[])[];
/** A paired test on per-segment statistics of baseline A and system B; `score` maps summed statistics to the corpus score. */
export type StatsTest = (statsA: Rows, statsB: Rows, score: Score, opts?: TestOptions) => SignificanceResult;

/** What both tests start from: flattened statistics, the real scores and the generator. */
function prepare(statsA: Rows, statsB: Rows, score: Score, opts: TestOptions) {
  checkPaired(statsA, statsB);
  const seed = opts.rng?.seed ?? opts.seed ?? 12345;
  const rng = opts.rng ?? new Rng(seed);
  const n = statsA.length;
  const width = statsA[0]!.length;
  const fa = flatten(statsA, width);
  const fb = flatten(statsB, width);
  return { seed, rng, n, width, fa, fb, scoreA: score(sumAll(fa, n, width)), scoreB: score(sumAll(fb, n, width)) };
}

function result(
  test: SignificanceResult['test'],
  p: ReturnType<typeof prepare>,
  opts: TestOptions,
  samples: number,
  count: number,
  bsA: number[],
  bsB: number[],
): SignificanceResult {
  return {
    test,
    metric: opts.metric ?? '',
    samples,
    seed: p.seed,
    a: estimateCi(bsA, p.scoreA),
    b: estimateCi(bsB, p.scoreB),
    delta: p.scoreB - p.scoreA,
    pValue: (count + 1) / (samples + 1),
    ciSamples: bsA.length,
  };
}

/**
 * Paired bootstrap resampling on per-segment statistics of baseline A and system B;
 * `score` maps summed statistics to the corpus score.
 */
export const pairedBootstrapStats: StatsTest = (statsA, statsB, score, opts = {}) => {
  const p = prepare(statsA, statsB, score, opts);
  const samples = opts.samples ?? 1000;
  const [bsA, bsB] = bootstrapScores([p.fa, p.fb], p.n, p.width, score, samples, p.rng) as [number[], number[]];
  const diffs = bsA.map((x, i) => Math.abs(bsB[i]! - x));
  const meanDiff = diffs.reduce((a, b) => a + b, 0) / diffs.length;
  const real = Math.abs(p.scoreB - p.scoreA);
  let c = 0;
  for (const d of diffs) if (d - meanDiff > real) c++;
  return result('paired-bootstrap', p, opts, samples, c, bsA, bsB);
};

/** Approximate randomisation on per-segment statistics of baseline A and system B. */
export const approximateRandomizationStats: StatsTest = (statsA, statsB, score, opts = {}) => {
  const p = prepare(statsA, statsB, score, opts);
  const { n, width, fa, fb, rng } = p;
  const samples = opts.samples ?? 10000;
  const real = Math.abs(p.scoreB - p.scoreA);
  const sa = new Float64Array(width);
  const sb = new Float64Array(width);
  let c = 0;
  for (let s = 0; s < samples; s++) {
    sa.fill(0);
    sb.fill(0);
    let bits = 0;
    for (let i = 0; i < n; i++) {
      if ((i & 31) === 0) bits = rng.nextUint32();
      const swap = (bits >>> (i & 31)) & 1;
      const base = i * width;
      const [x, y] = swap ? [fb, fa] : [fa, fb];
      for (let j = 0; j < width; j++) {
        sa[j]! += x[base + j]!;
        sb[j]! += y[base + j]!;
      }
    }
    if (Math.abs(score(sa) - score(sb)) > real) c++;
  }
  const ciSamples = opts.ciSamples ?? 1000;
  const [bsA, bsB] = bootstrapScores([fa, fb], n, width, score, ciSamples, rng.fork('confidence')) as [number[], number[]];
  return result('approximate-randomization', p, opts, samples, c, bsA, bsB);
};

export type SignificanceTest = 'bootstrap' | 'ar';

/**
 * Compares system B with baseline A on references `refs` under `metric`:
 * `test` is `bootstrap` (default) or `ar` (approximate randomisation).
 */
export function pairedSignificance(
  metric: StatsMetric,
  hypsA: readonly string[],
  hypsB: readonly string[],
  refs: readonly string[] | readonly (readonly string[])[],
  test: SignificanceTest = 'bootstrap',
  opts: SignificanceOptions = {},
): SignificanceResult {
  checkPaired(hypsA, hypsB);
  const statsA = metric.segmentStats(hypsA, refs);
  const statsB = metric.segmentStats(hypsB, refs);
  const score = (sum: ArrayLike<number>) => metric.scoreFromStats(sum);
  const o = { ...opts, metric: metric.name };
  return test === 'ar' ? approximateRandomizationStats(statsA, statsB, score, o) : pairedBootstrapStats(statsA, statsB, score, o);
}
