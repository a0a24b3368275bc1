/**
 * Baseline allocations compared with the optimum in notebook 04 (paper Table 3) and by
 * `xalign allocate --method ...`. Each returns allocation, objective and marginal gains.
 *
 * - uniform: C/n each, capped at the maximum; what a cap leaves over is unused (as the
 *   paper's Table 3 baseline, 200k each of 1.2M).
 * - proportional: X_i proportional to the available data X_i^max.
 * - temperature (tau): shares q_i proportional to (X_i^max / sum X^max)^(1/tau)
 *   (tau = 1 is proportional, large tau approaches uniform); a language whose share
 *   exceeds its maximum is capped and the excess is shared among the others in
 *   proportion to their q_i.
 * - UniMax (Chung et al., 2023, "UniMax: fairer and more effective language sampling"):
 *   languages in increasing order of available data each take min(remaining budget /
 *   remaining languages, maxEpochs * X_i^max); with maxEpochs = 1 (the default, as data
 *   may not repeat here) it is uniform with the capped languages' leftovers passed on.
 */

import { type Allocation, type AllocationLaw, describeAllocation, validateBudget, validateLaws } from './problem';

function budgetNotes(laws: readonly AllocationLaw[], budget: number): string[] {
  const totalMax = laws.reduce((t, l) => t + l.max, 0);
  if (budget > totalMax) return [`budget C = ${budget} exceeds the sum of maxima ${totalMax}: every language is capped`];
  if (budget === 0) return ['budget C = 0: every language receives 0 pairs'];
  return [];
}

/** Uniform C/n per language, capped; leftover unused. */
export function allocateUniform(laws: readonly AllocationLaw[], budget: number): Allocation {
  validateLaws(laws);
  validateBudget(budget);
  const share = budget / laws.length;
  const x = laws.map((l) => Math.min(share, l.max));
  const unused = budget - x.reduce((a, b) => a + b, 0);
  const notes = budgetNotes(laws, budget);
  if (unused > 1e-9 * Math.max(1, budget) && budget <= laws.reduce((t, l) => t + l.max, 0)) {
    notes.push(`${Number(unused.toPrecision(6))} pairs unused: capped languages cannot take their C/n`);
  }
  return describeAllocation('uniform', laws, budget, x, notes);
}

/** Shares `budget` by weights, capping at each maximum and re-sharing the excess. */
function waterFill(laws: readonly AllocationLaw[], budget: number, weights: readonly number[]): number[] {
  const x = new Array<number>(laws.length).fill(0);
  const active = new Set(laws.map((_, i) => i).filter((i) => laws[i]!.max > 0 && weights[i]! > 0));
  let remaining = Math.min(budget, laws.reduce((t, l) => t + l.max, 0));
  while (active.size > 0 && remaining > 0) {
    const w = [...active].reduce((t, i) => t + weights[i]!, 0);
    const over = [...active].filter((i) => (remaining * weights[i]!) / w >= laws[i]!.max);
    if (over.length === 0) {
      for (const i of active) x[i] = (remaining * weights[i]!) / w;
      break;
    }
    for (const i of over) {
      x[i] = laws[i]!.max;
      remaining -= laws[i]!.max;
      active.delete(i);
    }
  }
  return x;
}

/** Proportional to available data. */
export function allocateProportional(laws: readonly AllocationLaw[], budget: number): Allocation {
  validateLaws(laws);
  validateBudget(budget);
  return describeAllocation('proportional', laws, budget, waterFill(laws, budget, laws.map((l) => l.max)), budgetNotes(laws, budget));
}

/** Temperature sampling with temperature `tau` > 0 (default 3.33, i.e. exponent 0.3 as in XLM-R and mT5). */
export function allocateTemperature(laws: readonly AllocationLaw[], budget: number, tau = 10 / 3): Allocation {
  validateLaws(laws);
  validateBudget(budget);
  if (!(tau > 0 && Number.isFinite(tau))) throw new RangeError(`tau: expected a finite number > 0, got ${tau}`);
  const total = laws.reduce((t, l) => t + l.max, 0);
  const weights = laws.map((l) => Math.pow(l.max / total, 1 / tau));
  return describeAllocation(`temperature(tau=${Number(tau.toPrecision(4))})`, laws, budget, waterFill(laws, budget, weights), budgetNotes(laws, budget));
}

/** UniMax with at most `maxEpochs` passes over each language's data (default 1). */
export function allocateUniMax(laws: readonly AllocationLaw[], budget: number, maxEpochs = 1): Allocation {
  validateLaws(laws);
  validateBudget(budget);
  if (!(maxEpochs > 0)) throw new RangeError(`maxEpochs: expected a number > 0, got ${maxEpochs}`);
  const order = laws.map((_, i) => i).sort((a, b) => laws[a]!.max - laws[b]!.max);
  const x = new Array<number>(laws.length).fill(0);
  let remaining = budget;
  order.forEach((i, k) => {
    const take = Math.min(remaining / (order.length - k), maxEpochs * laws[i]!.max);
    x[i] = take;
    remaining -= take;
  });
  return describeAllocation('unimax', laws, budget, x, budgetNotes(laws, budget));
}
