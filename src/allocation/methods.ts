/**
 * Allocation methods by name, and an allocation as whole translation pairs: what
 * `xalign allocate --method`, `xalign experiment run --allocation` and notebook 05 use.
 */

import { allocateProportional, allocateTemperature, allocateUniform, allocateUniMax } from './baselines';
import { allocateOptimal } from './optimal';
import type { Allocation, AllocationLaw } from './problem';

/** Every allocation method by name. */
export const ALLOCATION_METHODS = ['optimal', 'uniform', 'proportional', 'temperature', 'unimax'] as const;
export type AllocationMethod = (typeof ALLOCATION_METHODS)[number];

/** The methods whose split depends on the caps (X^max) and the budget alone, never on a law's alpha, beta or gamma. */
export const CAP_ONLY_METHODS: readonly string[] = ['uniform', 'proportional', 'temperature', 'unimax'] satisfies AllocationMethod[];

export function isAllocationMethod(s: string): s is AllocationMethod {
  return (ALLOCATION_METHODS as readonly string[]).includes(s);
}

/** The allocation of `budget` under `laws` by `method` (`tau`: temperature only, default 10/3). */
export function allocateBy(method: AllocationMethod, laws: readonly AllocationLaw[], budget: number, tau?: number): Allocation {
  switch (method) {
    case 'optimal':
      return allocateOptimal(laws, budget);
    case 'uniform':
      return allocateUniform(laws, budget);
    case 'proportional':
      return allocateProportional(laws, budget);
    case 'temperature':
      return allocateTemperature(laws, budget, tau);
    case 'unimax':
      return allocateUniMax(laws, budget);
  }
}

/**
 * An allocation in whole pairs: each language's X_i rounded down, then the pairs still
 * missing to round(used) handed one each to the largest remainders (ties: the order of
 * the languages). The counts sum to round(used), and none exceeds its language's cap
 * (a capped X_i is an integer already when the cap is).
 */
export function wholePairs(a: Allocation, laws: readonly AllocationLaw[]): Record<string, number> {
  const caps = new Map(laws.map((l) => [l.language, Math.floor(l.max)]));
  const floors = a.x.map((x, i) => Math.min(Math.floor(x + 1e-9), caps.get(a.languages[i]!) ?? Infinity));
  let missing = Math.round(a.used) - floors.reduce((t, v) => t + v, 0);
  const order = a.x.map((_, i) => i).sort((i, j) => a.x[j]! - floors[j]! - (a.x[i]! - floors[i]!) || i - j);
  for (const i of order) {
    if (missing <= 0) break;
    if (floors[i]! + 1 > (caps.get(a.languages[i]!) ?? Infinity)) continue;
    floors[i]! += 1;
    missing--;
  }
  return Object.fromEntries(a.languages.map((l, i) => [l, floors[i]!]));
}
