/**
 * The exact optimum of the budgeted allocation (paper Section 3.3; notebook 04,
 * `xalign allocate --method optimal`).
 *
 * KKT conditions of the concave problem: there is a multiplier lambda > 0 with
 * g_i'(X_i) = lambda for every language below its maximum and g_i'(X_i^max) >= lambda
 * for those at it. Because g_i'(X) = k_i X^-(beta_i + 1), k_i = alpha_i beta_i
 * gamma_i^-beta_i, the demand at a given lambda is explicit,
 *
 *     X_i(lambda) = min(X_i^max, (k_i / lambda)^(1 / (beta_i + 1))),
 *
 * and decreasing in lambda, so bisection on log lambda finds sum_i X_i(lambda) = C to
 * machine precision; a final first-order correction puts the last rounding error on
 * the languages below their maximum, so the budget holds to about 1e-15 relative.
 *
 * Degenerate cases, each reported in `notes`: C = 0 (nothing to share; objective
 * -infinity), C >= sum of maxima (every language capped; the rest of the budget is
 * unused), a language with max 0 (objective -infinity), a language with a tiny beta
 * (an almost flat curve: it gets almost nothing) and languages capped at a tiny max.
 */

import { type Allocation, type AllocationLaw, describeAllocation, validateBudget, validateLaws } from './problem';

export interface OptimalAllocation extends Allocation {
  /** The KKT multiplier lambda (the common marginal gain); NaN when undefined. */
  lambda: number;
  /** Bisection steps taken. */
  iterations: number;
}

function demand(law: AllocationLaw, logK: number, logLambda: number): number {
  if (law.max <= 0) return 0;
  return Math.min(law.max, Math.exp((logK - logLambda) / (law.beta + 1)));
}

/** The exact optimal allocation of `budget` pairs; see the module comment. */
export function allocateOptimal(laws: readonly AllocationLaw[], budget: number): OptimalAllocation {
  validateLaws(laws);
  validateBudget(budget);
  const n = laws.length;
  const totalMax = laws.reduce((t, l) => t + l.max, 0);
  const notes: string[] = [];
  for (const l of laws) {
    if (l.beta < 1e-6) notes.push(`${l.language} has beta ${l.beta.toExponential(2)}: its curve is almost flat, so it receives almost no data`);
    if (l.max === 0) notes.push(`${l.language} has max 0: it cannot receive data`);
    else if (l.max < 1) notes.push(`${l.language} has a tiny maximum (${l.max} pairs) and is capped there`);
  }
  if (budget === 0) {
    notes.unshift('budget C = 0: every language receives 0 pairs and the objective is -infinity');
    return { ...describeAllocation('optimal', laws, budget, new Array(n).fill(0), notes), lambda: NaN, iterations: 0 };
  }
  if (budget >= totalMax) {
    notes.unshift(
      budget > totalMax
        ? `budget C = ${budget} exceeds the sum of maxima ${totalMax}: every language is capped and ${budget - totalMax} pairs stay unused`
        : `budget C equals the sum of maxima: every language is capped`,
    );
    return { ...describeAllocation('optimal', laws, budget, laws.map((l) => l.max), notes), lambda: NaN, iterations: 0 };
  }
  const logK = laws.map((l) => Math.log(l.alpha) + Math.log(l.beta) - l.beta * Math.log(l.gamma));
  const sumAt = (logLambda: number): number => laws.reduce((t, l, i) => t + demand(l, logK[i]!, logLambda), 0);
  // At hi every demand is <= C / n (sum <= C); at lo every uncapped demand is >= C.
  let hi = Math.max(...laws.map((l, i) => logK[i]! - (l.beta + 1) * Math.log(budget / n)));
  let lo = Math.min(...laws.map((l, i) => logK[i]! - (l.beta + 1) * Math.log(budget)));
  let iterations = 0;
  while (hi - lo > 4e-16 * Math.max(1, Math.abs(lo), Math.abs(hi)) && iterations < 300) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (sumAt(mid) > budget) lo = mid;
    else hi = mid;
    iterations++;
  }
  const logLambda = 0.5 * (lo + hi);
  const x = laws.map((l, i) => demand(l, logK[i]!, logLambda));
  // First-order correction of the rounding error: dX_i/dlog(lambda) = -X_i / (beta_i + 1).
  const residual = budget - x.reduce((a, b) => a + b, 0);
  const slack = laws.map((l, i) => (x[i]! < l.max ? x[i]! / (l.beta + 1) : 0));
  const totalSlack = slack.reduce((a, b) => a + b, 0);
  if (totalSlack > 0) {
    for (let i = 0; i < n; i++) x[i] = Math.min(laws[i]!.max, Math.max(0, x[i]! + (residual * slack[i]!) / totalSlack));
  }
  return { ...describeAllocation('optimal', laws, budget, x, notes), lambda: Math.exp(logLambda), iterations };
}
