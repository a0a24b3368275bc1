/**
 * Budget sweeps, gradient curves and the check of the paper's Table 3 (Section 3.3,
 * Figure 5; notebook 04).
 */

import { allocateOptimal } from './optimal';
import { type AllocationLaw, describeAllocation, marginalGain, validateLaws } from './problem';
import { PAPER_TABLE1 } from '../data/table1';

/** The paper's Table 3: a budget of 1.2M pairs, uniform vs the published optimised allocation. */
export const TABLE3 = {
  budget: 1_200_000,
  uniform: { ar: 200_000, el: 200_000, hi: 200_000, tr: 200_000, vi: 200_000, zh: 200_000 },
  optimised: { ar: 183_539, el: 189_556, hi: 234_233, tr: 242_263, vi: 175_985, zh: 174_422 },
} as const;

/** The paper's Table 1: available pairs per language (WikiMatrix + News-Commentary). */
export const TABLE1_MAX: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(PAPER_TABLE1).map(([l, t]) => [l, t.wikimatrix + t.newsCommentary]),
);

export interface SweepRow {
  budget: number;
  x: number[];
  objective: number;
  lambda: number;
}

/**
 * The optimal allocation at each budget (Figure 5, left: how each language's share
 * grows with C).
 */
export function budgetSweep(laws: readonly AllocationLaw[], budgets: readonly number[]): { languages: string[]; rows: SweepRow[] } {
  validateLaws(laws);
  return {
    languages: laws.map((l) => l.language),
    rows: budgets.map((c) => {
      const a = allocateOptimal(laws, c);
      return { budget: c, x: a.x, objective: a.objective, lambda: a.lambda };
    }),
  };
}

/** g_i'(X) on a grid of X for every language (Figure 5, right). */
export function gradientCurves(laws: readonly AllocationLaw[], xs: readonly number[]): { language: string; x: number[]; gradient: number[] }[] {
  validateLaws(laws);
  return laws.map((l) => ({ language: l.language, x: [...xs], gradient: xs.map((x) => marginalGain(l, x)) }));
}

/** `count` values spaced evenly on a log scale from `lo` to `hi`. */
export function logSpace(lo: number, hi: number, count: number): number[] {
  if (!(lo > 0 && hi > lo && count >= 2)) throw new RangeError(`logSpace: need 0 < lo < hi and count >= 2`);
  return Array.from({ length: count }, (_, k) => lo * Math.pow(hi / lo, k / (count - 1)));
}

export interface OptimalityCheck {
  languages: string[];
  x: number[];
  marginal: number[];
  /** Languages treated as at their maximum (within `capTolerance`). */
  capped: string[];
  /** max / min of the marginal gains of the uncapped languages (1 = equal: KKT holds). */
  spread: number;
  /** KKT holds within the tolerance: equal marginals below the caps, capped ones >= them. */
  optimal: boolean;
  objective: number;
  optimalObjective: number;
  /** optimalObjective - objective (>= 0). */
  gap: number;
  /** The exact optimum under the same laws and budget. */
  optimum: number[];
}

/**
 * Is `allocation` (language -> X) KKT-optimal under `laws` for its own total budget?
 * Marginal gains of the languages below their maximum must be equal (relative spread
 * within `tolerance`), and a language at its maximum (within `capTolerance`, relative)
 * must have a marginal gain at least as large. Used on the paper's Table 3.
 */
export function checkOptimality(
  laws: readonly AllocationLaw[],
  allocation: Readonly<Record<string, number>>,
  options: { tolerance?: number; capTolerance?: number } = {},
): OptimalityCheck {
  validateLaws(laws);
  const tolerance = options.tolerance ?? 1e-3;
  const capTolerance = options.capTolerance ?? 1e-3;
  const x = laws.map((l) => {
    const v = allocation[l.language];
    if (typeof v !== 'number' || !(v >= 0)) throw new RangeError(`allocation.${l.language}: expected a number >= 0, got ${v}`);
    return v;
  });
  const budget = x.reduce((a, b) => a + b, 0);
  const marginal = laws.map((l, i) => marginalGain(l, x[i]!));
  const isCapped = laws.map((l, i) => x[i]! >= l.max * (1 - capTolerance));
  const free = marginal.filter((_, i) => !isCapped[i]);
  const spread = free.length ? Math.max(...free) / Math.min(...free) : 1;
  const lambda = free.length ? Math.min(...free) : 0;
  const optimal = spread <= 1 + tolerance && marginal.every((m, i) => !isCapped[i] || m >= lambda * (1 - tolerance));
  const opt = allocateOptimal(laws, budget);
  const objective = describeAllocation('given', laws, budget, x).objective;
  return {
    languages: laws.map((l) => l.language),
    x,
    marginal,
    capped: laws.filter((_, i) => isCapped[i]).map((l) => l.language),
    spread,
    optimal,
    objective,
    optimalObjective: opt.objective,
    gap: opt.objective - objective,
    optimum: opt.x,
  };
}

/**
 * The converse of the Table 3 check: laws under which `allocation` is optimal. For
 * chosen beta_i and gamma_i and a common marginal gain `lambda`, KKT holds when
 * alpha_i beta_i gamma_i^-beta_i X_i^-(beta_i+1) = lambda, i.e.
 *
 *     alpha_i = lambda X_i^(beta_i + 1) gamma_i^beta_i / beta_i.
 *
 * So a whole family of laws (any betas, gammas and scale lambda) makes a given
 * allocation optimal; for a language at its maximum any larger alpha_i also works (the
 * value returned is the smallest). `max` of the returned laws is taken from `maxima`
 * (default: no cap, i.e. Infinity replaced by 10 x the allocation).
 */
export function lawsMakingOptimal(
  allocation: Readonly<Record<string, number>>,
  choice: { beta: number | Readonly<Record<string, number>>; gamma: Readonly<Record<string, number>>; lambda: number; maxima?: Readonly<Record<string, number>> },
): AllocationLaw[] {
  if (!(choice.lambda > 0)) throw new RangeError(`lambda: expected a number > 0, got ${choice.lambda}`);
  return Object.entries(allocation).map(([language, x]) => {
    const beta = typeof choice.beta === 'number' ? choice.beta : choice.beta[language];
    const gamma = choice.gamma[language];
    if (typeof beta !== 'number' || !(beta > 0)) throw new RangeError(`beta.${language}: expected a number > 0, got ${beta}`);
    if (typeof gamma !== 'number' || !(gamma > 0 && gamma <= 1)) throw new RangeError(`gamma.${language}: expected a number in (0, 1], got ${gamma}`);
    if (!(x > 0)) throw new RangeError(`allocation.${language}: expected a number > 0, got ${x}`);
    const alpha = (choice.lambda * Math.pow(x, beta + 1) * Math.pow(gamma, beta)) / beta;
    return { language, alpha, beta, gamma, max: choice.maxima?.[language] ?? 10 * x };
  });
}

/**
 * With one alpha and one beta for all languages, the optimum gives X_i proportional to
 * gamma_i^(-beta/(beta+1)): the similarities that would make `allocation` optimal are
 * gamma_i proportional to X_i^(-(beta+1)/beta). Returned normalised so the largest is 1.
 */
export function impliedGammas(allocation: Readonly<Record<string, number>>, beta: number): Record<string, number> {
  if (!(beta > 0)) throw new RangeError(`beta: expected a number > 0, got ${beta}`);
  const raw = Object.entries(allocation).map(([l, x]) => [l, Math.pow(x, -(beta + 1) / beta)] as const);
  const top = Math.max(...raw.map(([, g]) => g));
  return Object.fromEntries(raw.map(([l, g]) => [l, g / top]));
}
