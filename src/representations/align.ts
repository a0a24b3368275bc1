/**
 * How well two languages' sentence representations align, at one layer (paper Section 6;
 * `xalign represent align`). Row i of E (English) and of X (the other
 * language) are a translation pair, mean-pooled over real tokens.
 *
 * - retrieval top-1 and mean reciprocal rank: each English row retrieves X's rows by
 *   cosine similarity (src/similarity/retrieval.ts);
 * - linear CKA (Kornblith et al., 2019): with centred E and X,
 *   ||X^T E||_F^2 / (||E^T E||_F ||X^T X||_F), in [0, 1], invariant to rotations and
 *   isotropic scaling of either set;
 * - cosine gap: the mean cosine of true pairs minus the mean cosine of all other pairs
 *   (0: a sentence is no closer to its translation than to anything else);
 * - centroid distance: the distance between the two languages' mean vectors over their
 *   spread, sqrt of the mean of the two sets' total variances (0: same centre).
 *
 * Each comes with a 95% interval over the pairs: a percentile bootstrap (the pairs
 * resampled with replacement `samples` times, seeded), except for CKA and the centroid
 * distance, which resampling biases: a delete-one jackknife (see {@link jackknifeInterval}); retrieval resamples the English
 * queries with their ranks among all candidates, since a duplicated candidate would tie
 * with its copy.
 */

import { Rng } from '../random/rng';
import { type RepresentationMatrix, retrievalSimilarity } from '../similarity/retrieval';

export interface Interval {
  value: number;
  lower: number;
  upper: number;
}

export interface Alignment {
  n: number;
  top1: Interval;
  mrr: Interval;
  cka: Interval;
  cosineGap: Interval;
  centroidDistance: Interval;
}

function check(e: RepresentationMatrix, x: RepresentationMatrix, names: [string, string]): void {
  if (e.rows !== x.rows || e.cols !== x.cols) {
    throw new RangeError(`${names[0]} is ${e.rows} x ${e.cols} but ${names[1]} is ${x.rows} x ${x.cols}; expected the same shape (row i of each is a translation pair)`);
  }
  if (e.rows < 2) throw new RangeError(`${names[0]}: ${e.rows} row(s); alignment needs at least 2 pairs`);
  for (const [m, name] of [[e, names[0]], [x, names[1]]] as const) {
    if (m.data.length !== m.rows * m.cols) throw new RangeError(`${name}: ${m.data.length} values for ${m.rows} x ${m.cols}`);
    for (let i = 0; i < m.data.length; i++) {
      if (!Number.isFinite(m.data[i]!)) throw new RangeError(`${name}: row ${Math.floor(i / m.cols)}, column ${i % m.cols} is not finite (${m.data[i]})`);
    }
  }
}

/** The Gram matrix M M^T of a row-major rows x cols matrix (rows x rows). */
function gram(m: RepresentationMatrix): Float64Array {
  const [n, d] = [m.rows, m.cols];
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += m.data[i * d + k]! * m.data[j * d + k]!;
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  }
  return g;
}

/** The distinct rows of `idx` and how often each occurs (a bootstrap draw repeats rows). */
function counted(idx: readonly number[]): { rows: number[]; weights: number[] } {
  const count = new Map<number, number>();
  for (const i of idx) count.set(i, (count.get(i) ?? 0) + 1);
  return { rows: [...count.keys()], weights: [...count.values()] };
}

/**
 * Linear CKA from the Gram matrices of E and X over rows `idx` (repeats allowed): with
 * the Gram matrices double-centred over those rows, <K, L> / (||K|| ||L||), which equals
 * ||X^T E||_F^2 / (||E^T E||_F ||X^T X||_F) for centred E and X. Computed on the
 * distinct rows with their counts as weights, without building the resampled matrices.
 * NaN when either set has no variance.
 */
function ckaFromGrams(ge: Float64Array, gx: Float64Array, n: number, idx: readonly number[]): number {
  const { rows, weights } = counted(idx);
  const [u, m] = [rows.length, idx.length];
  const rowE = new Float64Array(u);
  const rowX = new Float64Array(u);
  for (let a = 0; a < u; a++) {
    const base = rows[a]! * n;
    let se = 0;
    let sx = 0;
    for (let b = 0; b < u; b++) {
      se += weights[b]! * ge[base + rows[b]!]!;
      sx += weights[b]! * gx[base + rows[b]!]!;
    }
    rowE[a] = se / m;
    rowX[a] = sx / m;
  }
  let allE = 0;
  let allX = 0;
  for (let a = 0; a < u; a++) {
    allE += (weights[a]! * rowE[a]!) / m;
    allX += (weights[a]! * rowX[a]!) / m;
  }
  let kl = 0;
  let kk = 0;
  let ll = 0;
  for (let a = 0; a < u; a++) {
    const base = rows[a]! * n;
    for (let b = 0; b < u; b++) {
      const w = weights[a]! * weights[b]!;
      const k = ge[base + rows[b]!]! - rowE[a]! - rowE[b]! + allE;
      const l = gx[base + rows[b]!]! - rowX[a]! - rowX[b]! + allX;
      kl += w * k * l;
      kk += w * k * k;
      ll += w * l * l;
    }
  }
  const den = Math.sqrt(kk * ll);
  return den > 1e-300 ? kl / den : NaN;
}

/** Linear CKA of E and X (rows `idx`, all by default); see the module comment. */
export function linearCka(e: RepresentationMatrix, x: RepresentationMatrix, idx: readonly number[] = Array.from({ length: e.rows }, (_, i) => i)): number {
  return ckaFromGrams(gram(e), gram(x), e.rows, idx);
}

function unitRows(m: RepresentationMatrix): Float64Array {
  const d = m.cols;
  const out = new Float64Array(m.rows * d);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += m.data[i * d + k]! ** 2;
    const norm = Math.sqrt(s) || 1;
    for (let k = 0; k < d; k++) out[i * d + k] = m.data[i * d + k]! / norm;
  }
  return out;
}

/** The measures of {@link Alignment}, each a function of the pairs it is computed on. */
export type AlignmentMeasure = 'top1' | 'mrr' | 'cka' | 'cosineGap' | 'centroidDistance';

export const ALIGNMENT_MEASURES: readonly AlignmentMeasure[] = ['top1', 'mrr', 'cka', 'cosineGap', 'centroidDistance'];

/** The measures whose interval is a jackknife, not a bootstrap (see {@link jackknifeInterval}). */
export const JACKKNIFED: ReadonlySet<AlignmentMeasure> = new Set<AlignmentMeasure>(['cka', 'centroidDistance']);

/** Whether a larger value of a measure means better-aligned languages (all but the centroid distance). */
export const MORE_IS_ALIGNED: Readonly<Record<AlignmentMeasure, boolean>> = { top1: true, mrr: true, cka: true, cosineGap: true, centroidDistance: false };

/**
 * Each measure of the module comment as a function of the pairs `idx` (indices into
 * the rows, repeats allowed, as a bootstrap draws them). The similarities and Gram
 * matrices are computed once here; each call costs O(idx^2) at most.
 */
export function alignmentStatistics(e: RepresentationMatrix, x: RepresentationMatrix, names: [string, string] = ['english', 'other']): Record<AlignmentMeasure, (idx: readonly number[]) => number> {
  check(e, x, names);
  const [n, d] = [e.rows, e.cols];
  const { ranks } = retrievalSimilarity(e, x, names);
  const [ue, ux] = [unitRows(e), unitRows(x)];
  const cos = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += ue[i * d + k]! * ux[j * d + k]!;
    cos[i * n + j] = s;
  }
  // on the distinct rows of a draw with their counts: a pair of a row with itself is a true pair, never an "other" pair
  const cosineGap = (idx: readonly number[]) => {
    const { rows, weights } = counted(idx);
    let own = 0;
    let other = 0;
    let count = 0;
    for (let a = 0; a < rows.length; a++) {
      own += weights[a]! * cos[rows[a]! * n + rows[a]!]!;
      for (let b = 0; b < rows.length; b++) if (b !== a) {
        other += weights[a]! * weights[b]! * cos[rows[a]! * n + rows[b]!]!;
        count += weights[a]! * weights[b]!;
      }
    }
    return own / idx.length - (count > 0 ? other / count : 0);
  };
  // sum of squared deviations = sum of squared norms - m * squared norm of the mean
  const sq = (m: RepresentationMatrix) => Float64Array.from({ length: n }, (_, r) => {
    let t = 0;
    for (let k = 0; k < d; k++) t += m.data[r * d + k]! ** 2;
    return t;
  });
  const [sqE, sqX] = [sq(e), sq(x)];
  const centroid = (idx: readonly number[]) => {
    const { rows, weights } = counted(idx);
    const m = idx.length;
    let dist = 0;
    let normE = 0;
    let normX = 0;
    for (let k = 0; k < d; k++) {
      let me = 0;
      let mx = 0;
      for (let a = 0; a < rows.length; a++) {
        me += weights[a]! * e.data[rows[a]! * d + k]!;
        mx += weights[a]! * x.data[rows[a]! * d + k]!;
      }
      me /= m;
      mx /= m;
      dist += (me - mx) ** 2;
      normE += me * me;
      normX += mx * mx;
    }
    let ssE = -m * normE;
    let ssX = -m * normX;
    for (let a = 0; a < rows.length; a++) {
      ssE += weights[a]! * sqE[rows[a]!]!;
      ssX += weights[a]! * sqX[rows[a]!]!;
    }
    const spread = Math.sqrt(Math.max(0, ssE + ssX) / (2 * Math.max(1, m - 1)));
    return spread > 0 ? Math.sqrt(dist) / spread : NaN;
  };
  const [ge, gx] = [gram(e), gram(x)];
  return {
    top1: (idx) => idx.filter((i) => ranks[i] === 1).length / idx.length,
    mrr: (idx) => idx.reduce((t, i) => t + 1 / ranks[i]!, 0) / idx.length,
    cka: (idx) => ckaFromGrams(ge, gx, n, idx),
    cosineGap,
    centroidDistance: centroid,
  };
}

/** The 2.5% and 97.5% percentiles of the finite draws (NaN when none is finite). */
function percentileInterval(value: number, draws: readonly number[]): Interval {
  const v = draws.filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p: number) => (v.length ? v[Math.min(v.length - 1, Math.max(0, Math.round(p * (v.length - 1))))]! : NaN);
  return { value, lower: q(0.025), upper: q(0.975) };
}

/**
 * A 95% delete-one jackknife interval, value +- 1.96 standard errors, for the measures
 * a bootstrap biases ({@link JACKKNIFED}). A bootstrap draw repeats sentences: a
 * repeated pair raises CKA, and a draw's centroid difference carries the sampling
 * noise of the means, which lengthens it (the expected squared distance grows by the
 * trace of the mean's covariance). On 200 sentences of a laboratory model every draw of
 * CKA lay above the estimate, so percentile (and bias-corrected) intervals missed it.
 * Leaving one sentence out repeats none.
 */
function jackknifeInterval(value: number, f: (idx: readonly number[]) => number, n: number): Interval {
  const all = Array.from({ length: n }, (_, i) => i);
  const loo = all.map((i) => f(all.filter((j) => j !== i))).filter(Number.isFinite);
  if (loo.length < 2 || !Number.isFinite(value)) return { value, lower: NaN, upper: NaN };
  const mean = loo.reduce((t, v) => t + v, 0) / loo.length;
  const se = Math.sqrt(((loo.length - 1) / loo.length) * loo.reduce((t, v) => t + (v - mean) ** 2, 0));
  return { value, lower: value - 1.959964 * se, upper: value + 1.959964 * se };
}

/** The measures of the module comment on all pairs, with bootstrap intervals. */
export function alignment(e: RepresentationMatrix, x: RepresentationMatrix, o: { samples?: number; seed?: number; names?: [string, string] } = {}): Alignment {
  const stats = alignmentStatistics(e, x, o.names);
  const n = e.rows;
  const rng = new Rng(o.seed ?? 12345).fork('alignment-bootstrap');
  const all = Array.from({ length: n }, (_, i) => i);
  const draws: Record<AlignmentMeasure, number[]> = { top1: [], mrr: [], cka: [], cosineGap: [], centroidDistance: [] };
  for (let b = 0; b < (o.samples ?? 1000); b++) {
    const idx = all.map(() => rng.int(n));
    for (const k of ALIGNMENT_MEASURES) if (!JACKKNIFED.has(k)) draws[k].push(stats[k](idx));
  }
  const interval = (k: AlignmentMeasure) => (JACKKNIFED.has(k) ? jackknifeInterval(stats[k](all), stats[k], n) : percentileInterval(stats[k](all), draws[k]));
  return { n, top1: interval('top1'), mrr: interval('mrr'), cka: interval('cka'), cosineGap: interval('cosineGap'), centroidDistance: interval('centroidDistance') };
}

/**
 * Group A against group B on each of `measures`, paired over sentences: each group is
 * a list of (English, X) state pairs on the same n sentences (one per seed and layer,
 * say); a value is the mean of the measure over A minus its mean over B, and its 95%
 * interval comes from resampling the sentences, the same draw for every member of both
 * groups (sentence i is hard for every model); CKA's and the centroid distance's from
 * leaving one sentence out.
 * With B empty it is the mean over A, with its interval.
 */
export function alignmentContrast(
  a: readonly (readonly [RepresentationMatrix, RepresentationMatrix])[],
  b: readonly (readonly [RepresentationMatrix, RepresentationMatrix])[],
  measures: readonly AlignmentMeasure[] = ALIGNMENT_MEASURES,
  o: { samples?: number; seed?: number } = {},
): Record<AlignmentMeasure, Interval> & { n: number } {
  if (a.length === 0) throw new RangeError('alignmentContrast: group A is empty');
  const n = a[0]![0].rows;
  for (const [e] of [...a, ...b]) if (e.rows !== n) throw new RangeError(`alignmentContrast: every member must hold the same ${n} sentences; one has ${e.rows}`);
  const [sa, sb] = [a.map(([e, x]) => alignmentStatistics(e, x)), b.map(([e, x]) => alignmentStatistics(e, x))];
  const mean = (ss: readonly Record<AlignmentMeasure, (idx: readonly number[]) => number>[], m: AlignmentMeasure, idx: readonly number[]) =>
    ss.length ? ss.reduce((t, st) => t + st[m](idx), 0) / ss.length : 0;
  const diff = (m: AlignmentMeasure, idx: readonly number[]) => mean(sa, m, idx) - mean(sb, m, idx);
  const rng = new Rng(o.seed ?? 12345).fork('alignment-contrast');
  const all = Array.from({ length: n }, (_, i) => i);
  const draws = Object.fromEntries(measures.map((m) => [m, [] as number[]])) as Record<AlignmentMeasure, number[]>;
  const resampled = measures.filter((m) => !JACKKNIFED.has(m));
  for (let s = 0; s < (o.samples ?? 1000); s++) {
    const idx = all.map(() => rng.int(n));
    for (const m of resampled) draws[m].push(diff(m, idx));
  }
  const out = { n } as Record<AlignmentMeasure, Interval> & { n: number };
  for (const m of measures) out[m] = JACKKNIFED.has(m) ? jackknifeInterval(diff(m, all), (idx) => diff(m, idx), n) : percentileInterval(diff(m, all), draws[m]);
  return out;
}
