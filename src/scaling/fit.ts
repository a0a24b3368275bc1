/// <reference path="../types/ml-levenberg-marquardt.d.ts" />
/**
 * Fitting the scaling law S = 100 - alpha (gamma X)^-beta to measured points
 * (paper Section 3.2, Figure 2; notebook 03, `xalign fit`).
 *
 * Two independent solvers run on every fit and the better one is returned:
 * 1. Levenberg-Marquardt (ml-levenberg-marquardt) used the way that works for this
 *    law: the effective data u = gamma X is divided by its geometric mean so that both
 *    parameters are of order one, the start comes from the log-linear regression of
 *    log(100 - S) on log u, the Jacobian is analytic, alpha and beta are bounded
 *    (alpha > 0, 0 < beta <= 10) and it may take up to 500 iterations.
 * 2. An exact search. With the ceiling fixed at 100, for a fixed beta the best alpha is
 *    linear least squares: with d = 100 - S and z = u^-beta, alpha(beta) = sum(d z) /
 *    sum(z^2). The profile SSE(beta) is scanned on a log grid of 241 betas in
 *    [1e-4, 10] and every local minimum of the grid is refined by golden-section
 *    search, which finds the global least-squares optimum within the bounds.
 * When the two disagree (relative SSE gap above 1e-6) the result says so.
 *
 * Uncertainty: s^2 = SSE / (n - 2), covariance s^2 (J^T J)^-1 with J the Jacobian of
 * the model at the optimum, standard errors its square roots, and 95% intervals from
 * Student's t with n - 2 degrees of freedom (src/scaling/student-t.ts).
 */

import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { type ScalingPoint, validatePoints } from './law';
import { studentTQuantile } from './student-t';

/** Upper bound on beta for both solvers (a law with beta > 10 is a step function). */
export const BETA_MAX = 10;
/** Lower end of the exact search's grid over beta. */
export const BETA_MIN = 1e-4;
/** Relative SSE gap above which LM and the exact search are said to disagree. */
export const AGREEMENT_TOLERANCE = 1e-6;

export interface FitOptions {
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
  /** Iterations allowed to Levenberg-Marquardt (default 500). */
  maxIterations?: number;
  /** Where the points come from, for error messages (default "points"). */
  context?: string;
}

/** How the two solvers compared on one fit. */
export interface SolverCheck {
  /** SSE reached by Levenberg-Marquardt (NaN if it threw). */
  lmSse: number;
  lmIterations: number;
  /** SSE of the exact profile search. */
  exactSse: number;
  /** (lmSse - exactSse) / max(exactSse, tiny): > 0 means LM ended worse. */
  relativeGap: number;
  /** True when |relativeGap| <= AGREEMENT_TOLERANCE. */
  agree: boolean;
  /** Which solver's optimum is returned. */
  chosen: 'lm' | 'exact';
  /** Set when the optimum sits on a bound of beta, or LM threw. */
  note?: string;
}

export interface ScoreBand {
  score: number;
  lo: number;
  hi: number;
}

/** A fitted law with its statistics. */
export interface LawFit {
  alpha: number;
  beta: number;
  /** The gamma shared by all points; NaN when a pooled fit mixes languages with different gamma. */
  gamma: number;
  n: number;
  /** Residual degrees of freedom, n - 2. */
  dof: number;
  sse: number;
  r2: number;
  /** Standard errors from s^2 (J^T J)^-1 (NaN when dof = 0). */
  alphaStdErr: number;
  betaStdErr: number;
  /** Correlation between the estimates of alpha and beta. */
  correlation: number;
  level: number;
  /** The t multiplier of the intervals. */
  tValue: number;
  alphaInterval: [number, number];
  betaInterval: [number, number];
  check: SolverCheck;
  /** The fitted score for `x` pairs (gamma defaults to the fit's gamma). */
  predict(x: number, gamma?: number): number;
  /**
   * The fitted score with a pointwise band at the fit's level: `confidence` (the mean
   * curve, delta method on the parameter covariance; default) or `prediction` (a new
   * measurement: adds the residual variance s^2).
   */
  band(x: number, options?: { gamma?: number; kind?: 'confidence' | 'prediction' }): ScoreBand;
}

interface Scaled {
  /** u / uRef */
  v: Float64Array;
  lv: Float64Array;
  d: Float64Array;
  s: Float64Array;
  uRef: number;
}

function scale(points: readonly ScalingPoint[]): Scaled {
  const n = points.length;
  const lu = points.map((p) => Math.log(p.gamma * p.x));
  const mean = lu.reduce((a, b) => a + b, 0) / n;
  const v = new Float64Array(n);
  const lv = new Float64Array(n);
  const d = new Float64Array(n);
  const s = new Float64Array(n);
  points.forEach((p, i) => {
    lv[i] = lu[i]! - mean;
    v[i] = Math.exp(lv[i]!);
    d[i] = 100 - p.score;
    s[i] = p.score;
  });
  return { v, lv, d, s, uRef: Math.exp(mean) };
}

/** SSE of the scaled model 100 - a v^-b. */
function sseAt(sc: Scaled, a: number, b: number): number {
  let sse = 0;
  for (let i = 0; i < sc.d.length; i++) {
    const r = sc.d[i]! - a * Math.exp(-b * sc.lv[i]!);
    sse += r * r;
  }
  return sse;
}

/** The closed-form best a for a fixed b, and the SSE there. */
function profile(sc: Scaled, b: number): { a: number; sse: number } {
  let dz = 0;
  let zz = 0;
  for (let i = 0; i < sc.d.length; i++) {
    const z = Math.exp(-b * sc.lv[i]!);
    dz += sc.d[i]! * z;
    zz += z * z;
  }
  const a = dz / zz;
  return { a, sse: sseAt(sc, a, b) };
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

function goldenMin(f: (x: number) => number, lo: number, hi: number): number {
  let x1 = hi - GOLDEN * (hi - lo);
  let x2 = lo + GOLDEN * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let i = 0; i < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(hi)); i++) {
    if (f1 <= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - GOLDEN * (hi - lo);
      f1 = f(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + GOLDEN * (hi - lo);
      f2 = f(x2);
    }
  }
  return f1 <= f2 ? x1 : x2;
}

/**
 * Minimises a function of beta over [BETA_MIN, BETA_MAX]: a log grid of 241 values,
 * then golden-section refinement of every local minimum of the grid; returns the best
 * beta and whether it lies on the edge of the range. Shared by the exact search here
 * and the free-ceiling formulation (formulations.ts).
 */
export function minimiseOverBeta(f: (beta: number) => number): { beta: number; value: number; atBound: boolean } {
  const steps = 240;
  const grid: number[] = [];
  const values: number[] = [];
  for (let k = 0; k <= steps; k++) {
    const b = BETA_MIN * Math.pow(BETA_MAX / BETA_MIN, k / steps);
    grid.push(b);
    values.push(f(b));
  }
  let best = { beta: NaN, value: Infinity };
  for (let k = 0; k <= steps; k++) {
    const left = k === 0 ? Infinity : values[k - 1]!;
    const right = k === steps ? Infinity : values[k + 1]!;
    if (!(values[k]! <= left && values[k]! <= right)) continue;
    const b = goldenMin(f, grid[Math.max(0, k - 1)]!, grid[Math.min(steps, k + 1)]!);
    const v = f(b);
    if (v < best.value) best = { beta: b, value: v };
  }
  return { ...best, atBound: best.beta <= grid[1]! || best.beta >= grid[steps - 1]! };
}

/** The exact least-squares optimum (in scaled units) by the profile search over b. */
function exactSearch(sc: Scaled): { a: number; b: number; sse: number; atBound: boolean } {
  const m = minimiseOverBeta((b) => profile(sc, b).sse);
  const p = profile(sc, m.beta);
  return { a: p.a, b: m.beta, sse: p.sse, atBound: m.atBound };
}

/** The start for LM: log(100 - S) = log a - b log v by ordinary least squares. */
export function logLinearGuess(points: readonly ScalingPoint[]): { alpha: number; beta: number } {
  const sc = scale(points);
  const g = guessScaled(sc);
  return { alpha: g.a * Math.pow(sc.uRef, g.b), beta: g.b };
}

function guessScaled(sc: Scaled): { a: number; b: number } {
  const n = sc.d.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += sc.lv[i]!;
    my += Math.log(sc.d[i]!);
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (sc.lv[i]! - mx) * (Math.log(sc.d[i]!) - my);
    sxx += (sc.lv[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  const b = Math.min(BETA_MAX, Math.max(1e-3, -slope));
  return { a: Math.exp(my + b * mx), b };
}

function lmSearch(sc: Scaled, maxIterations: number): { a: number; b: number; sse: number; iterations: number } {
  const start = guessScaled(sc);
  const r = levenbergMarquardt(
    { x: sc.v, y: sc.s },
    ([a, b]) => (v) => 100 - a! * Math.pow(v, -b!),
    {
      initialValues: [start.a, start.b],
      jacobianFunction:
        ([a, b]) =>
        (v) => {
          const z = Math.pow(v, -b!);
          return [-z, a! * z * Math.log(v)];
        },
      minValues: [1e-12, 1e-6],
      maxValues: [1e12, BETA_MAX],
      damping: 1e-2,
      maxIterations,
      errorTolerance: 0,
    },
  );
  const [a, b] = r.parameterValues as [number, number];
  return { a, b, sse: sseAt(sc, a, b), iterations: r.iterations };
}

/**
 * Fits S = 100 - alpha (gamma X)^-beta to `points` by least squares (see the module
 * comment for the two solvers). Points may mix languages (a pooled fit with one alpha
 * and beta); usually they are one language's. Throws a RangeError for fewer than 2
 * points, fewer than 2 distinct values of gamma X, NaN, x <= 0, scores >= 100 or gamma
 * outside (0, 1], naming the point.
 */
export function fitScalingLaw(points: readonly ScalingPoint[], options: FitOptions = {}): LawFit {
  const context = options.context ?? 'points';
  const level = options.level ?? 0.95;
  if (points.length < 2) {
    throw new RangeError(`${context}: a law has 2 parameters (alpha, beta) and needs at least 2 points, got ${points.length}`);
  }
  validatePoints(points, context);
  const distinct = new Set(points.map((p) => p.gamma * p.x)).size;
  if (distinct < 2) {
    throw new RangeError(`${context}: all points have the same gamma * x; beta cannot be fitted (need 2 distinct values)`);
  }
  const sc = scale(points);
  const exact = exactSearch(sc);
  let lm = { a: NaN, b: NaN, sse: NaN, iterations: 0 };
  let lmError: string | undefined;
  try {
    lm = lmSearch(sc, options.maxIterations ?? 500);
  } catch (e) {
    lmError = (e as Error).message;
  }
  const tiny = 1e-300;
  const relativeGap = (lm.sse - exact.sse) / Math.max(exact.sse, tiny);
  const agree = Number.isFinite(relativeGap) && Math.abs(relativeGap) <= AGREEMENT_TOLERANCE;
  const useLm = Number.isFinite(lm.sse) && lm.sse < exact.sse;
  const chosen = useLm ? lm : exact;
  const notes: string[] = [];
  if (lmError) notes.push(`Levenberg-Marquardt failed: ${lmError}`);
  if (exact.atBound) notes.push(`beta is at the edge of the search range [${BETA_MIN}, ${BETA_MAX}]; the law may not describe these points`);
  if (!agree && !lmError) {
    notes.push(`Levenberg-Marquardt SSE ${lm.sse.toPrecision(8)} vs exact search ${exact.sse.toPrecision(8)}: they disagree`);
  }
  const check: SolverCheck = {
    lmSse: lm.sse,
    lmIterations: lm.iterations,
    exactSse: exact.sse,
    relativeGap,
    agree,
    chosen: useLm ? 'lm' : 'exact',
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
  return buildFit(points, sc, chosen.a, chosen.b, level, check);
}

function buildFit(points: readonly ScalingPoint[], sc: Scaled, a: number, b: number, level: number, check: SolverCheck): LawFit {
  const n = points.length;
  const sse = sseAt(sc, a, b);
  const meanS = points.reduce((t, p) => t + p.score, 0) / n;
  const sst = points.reduce((t, p) => t + (p.score - meanS) ** 2, 0);
  // J^T J in scaled coordinates (a, b); model derivatives: dS/da = -z, dS/db = a z ln v.
  let j11 = 0;
  let j12 = 0;
  let j22 = 0;
  for (let i = 0; i < n; i++) {
    const z = Math.exp(-b * sc.lv[i]!);
    const ga = -z;
    const gb = a * z * sc.lv[i]!;
    j11 += ga * ga;
    j12 += ga * gb;
    j22 += gb * gb;
  }
  const dof = n - 2;
  const s2 = dof > 0 ? sse / dof : NaN;
  const det = j11 * j22 - j12 * j12;
  // scaled covariance
  const caa = (s2 * j22) / det;
  const cab = (-s2 * j12) / det;
  const cbb = (s2 * j11) / det;
  // alpha = a uRef^b: d alpha/da = uRef^b, d alpha/db = alpha ln uRef
  const lnRef = Math.log(sc.uRef);
  const alpha = a * Math.pow(sc.uRef, b);
  const ta = Math.pow(sc.uRef, b);
  const tb = alpha * lnRef;
  const varAlpha = ta * ta * caa + 2 * ta * tb * cab + tb * tb * cbb;
  const covAlphaBeta = ta * cab + tb * cbb;
  const alphaStdErr = Math.sqrt(varAlpha);
  const betaStdErr = Math.sqrt(cbb);
  const tValue = dof > 0 ? studentTQuantile(0.5 + level / 2, dof) : NaN;
  const gammas = new Set(points.map((p) => p.gamma));
  const gamma = gammas.size === 1 ? points[0]!.gamma : NaN;
  const predict = (x: number, g = gamma): number => 100 - alpha * Math.pow(g * x, -b);
  return {
    alpha,
    beta: b,
    gamma,
    n,
    dof,
    sse,
    r2: sst > 0 ? 1 - sse / sst : NaN,
    alphaStdErr,
    betaStdErr,
    correlation: covAlphaBeta / (alphaStdErr * betaStdErr),
    level,
    tValue,
    alphaInterval: [alpha - tValue * alphaStdErr, alpha + tValue * alphaStdErr],
    betaInterval: [b - tValue * betaStdErr, b + tValue * betaStdErr],
    check,
    predict,
    band(x, o = {}) {
      const g = o.gamma ?? gamma;
      if (!Number.isFinite(g)) throw new RangeError('band: this pooled fit mixes gammas; pass { gamma }');
      const lv = Math.log((g * x) / sc.uRef);
      const z = Math.exp(-b * lv);
      const ga = -z;
      const gb = a * z * lv;
      let variance = ga * ga * caa + 2 * ga * gb * cab + gb * gb * cbb;
      if (o.kind === 'prediction') variance += s2;
      const score = predict(x, g);
      const half = tValue * Math.sqrt(variance);
      return { score, lo: score - half, hi: score + half };
    },
  };
}

/** Groups points by language (first-seen order) and fits each; see {@link fitScalingLaw}. */
export function fitLawsByLanguage(points: readonly ScalingPoint[], options: FitOptions = {}): Map<string, LawFit> {
  const groups = new Map<string, ScalingPoint[]>();
  for (const p of points) {
    const g = groups.get(p.language) ?? [];
    g.push(p);
    groups.set(p.language, g);
  }
  const fits = new Map<string, LawFit>();
  for (const [language, pts] of groups) {
    fits.set(language, fitScalingLaw(pts, { ...options, context: `${options.context ?? 'points'} (language "${language}")` }));
  }
  return fits;
}

/**
 * The data a fitted law needs to reach `target`, with the range given by the fit's
 * confidence band: `x` where the fitted curve reaches the target, `lo` where the upper
 * edge of the band does (optimistic) and `hi` where the lower edge does (pessimistic;
 * Infinity if it never does below 1e15 pairs; NaN for both when the fit has no band,
 * i.e. as many points as parameters). Notebook 03's extrapolation.
 */
export function dataForTarget(fit: LawFit, target: number, gamma = fit.gamma): { x: number; lo: number; hi: number } {
  if (!(target < 100)) throw new RangeError(`target score must be below 100, got ${target}`);
  const solve = (f: (x: number) => number): number => {
    let lo = Math.log(1e-3);
    let hi = Math.log(1e15);
    if (f(Math.exp(hi)) < target) return Infinity;
    if (f(Math.exp(lo)) >= target) return Math.exp(lo);
    for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
      const mid = 0.5 * (lo + hi);
      if (f(Math.exp(mid)) >= target) hi = mid;
      else lo = mid;
    }
    return Math.exp(hi);
  };
  // With as many points as parameters there is no interval: say so instead of a false range.
  const banded = Number.isFinite(fit.band(1e3, { gamma }).hi);
  if (!banded) return { x: solve((x) => fit.predict(x, gamma)), lo: NaN, hi: NaN };
  return {
    x: solve((x) => fit.predict(x, gamma)),
    lo: solve((x) => fit.band(x, { gamma }).hi),
    hi: solve((x) => fit.band(x, { gamma }).lo),
  };
}
