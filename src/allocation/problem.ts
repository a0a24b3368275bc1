/**
 * The budgeted allocation problem of the paper's Section 3.3 (notebook 04,
 * `xalign allocate`):
 *
 *     maximise (1/n) sum_i g_i(X_i)  subject to  sum_i X_i = C,  0 <= X_i <= X_i^max,
 *
 * with g_i(X) = 100 - alpha_i (gamma_i X)^-beta_i, the scaling law of language i
 * (src/scaling/). Each g_i is increasing and concave, g_i(0) = -infinity and
 * g_i'(0) = +infinity.
 */

import * as fs from 'node:fs';
import { lawGradient, lawScore } from '../scaling/law';

/** One language's law and how many pairs it has available (X^max). */
export interface AllocationLaw {
  language: string;
  alpha: number;
  beta: number;
  gamma: number;
  max: number;
}

/** The result of any allocation method. */
export interface Allocation {
  method: string;
  budget: number;
  languages: string[];
  /** X_i, in the order of `languages`. */
  x: number[];
  /** Pairs actually allocated (may be below the budget: capped uniform, or C > sum of maxima). */
  used: number;
  /** Mean predicted score (1/n) sum g_i(X_i); -Infinity if some X_i = 0. */
  objective: number;
  /** g_i'(X_i), the marginal gain of one more pair (Infinity at X_i = 0). */
  marginal: number[];
  /** Languages at their maximum. */
  capped: string[];
  /** Degenerate cases and other remarks, in words. */
  notes: string[];
}

/**
 * Checks laws (alpha > 0, beta > 0, gamma in (0, 1], max >= 0, distinct non-empty
 * languages) and throws a RangeError naming `where[i].field` otherwise.
 */
export function validateLaws(laws: readonly AllocationLaw[], where = 'laws'): void {
  if (!Array.isArray(laws) || laws.length === 0) throw new RangeError(`${where}: expected a non-empty array of laws`);
  const seen = new Set<string>();
  laws.forEach((l, i) => {
    const at = `${where}[${i}]`;
    if (typeof l !== 'object' || l === null) throw new RangeError(`${at}: expected an object {language, alpha, beta, gamma, max}`);
    if (typeof l.language !== 'string' || l.language === '') throw new RangeError(`${at}.language: expected a non-empty string`);
    if (seen.has(l.language)) throw new RangeError(`${at}.language: "${l.language}" appears twice`);
    seen.add(l.language);
    for (const f of ['alpha', 'beta', 'gamma', 'max'] as const) {
      if (typeof l[f] !== 'number' || !Number.isFinite(l[f])) throw new RangeError(`${at}.${f}: expected a finite number, got ${JSON.stringify(l[f])}`);
    }
    if (!(l.alpha > 0)) throw new RangeError(`${at}.alpha: must be > 0, got ${l.alpha}`);
    if (!(l.beta > 0)) throw new RangeError(`${at}.beta: must be > 0, got ${l.beta}`);
    if (!(l.gamma > 0 && l.gamma <= 1)) throw new RangeError(`${at}.gamma: must be in (0, 1], got ${l.gamma}`);
    if (!(l.max >= 0)) throw new RangeError(`${at}.max: must be >= 0, got ${l.max}`);
  });
}

/** Checks a budget: a finite number >= 0. */
export function validateBudget(budget: number, where = 'budget'): void {
  if (typeof budget !== 'number' || !Number.isFinite(budget) || budget < 0) {
    throw new RangeError(`${where}: expected a finite number >= 0, got ${budget}`);
  }
}

/** g_i(X): the law's score (-Infinity at X = 0). */
export function gain(law: AllocationLaw, x: number): number {
  return x > 0 ? lawScore(law, x) : -Infinity;
}

/** g_i'(X): the marginal gain (Infinity at X = 0). */
export function marginalGain(law: AllocationLaw, x: number): number {
  return x > 0 ? lawGradient(law, x) : Infinity;
}

/** Packs an allocation vector into an {@link Allocation} with objective and marginal gains. */
export function describeAllocation(
  method: string,
  laws: readonly AllocationLaw[],
  budget: number,
  x: readonly number[],
  notes: string[] = [],
): Allocation {
  const objective = laws.reduce((t, l, i) => t + gain(l, x[i]!), 0) / laws.length;
  const capped = laws.filter((l, i) => x[i]! >= l.max * (1 - 1e-12)).map((l) => l.language);
  const zero = laws.filter((_, i) => x[i] === 0).map((l) => l.language);
  const out = [...notes];
  if (zero.length) out.push(`${zero.join(', ')} receive${zero.length === 1 ? 's' : ''} no data: the law gives -infinity there, so the objective is -infinity`);
  return {
    method,
    budget,
    languages: laws.map((l) => l.language),
    x: [...x],
    used: x.reduce((a, b) => a + b, 0),
    objective,
    marginal: laws.map((l, i) => marginalGain(l, x[i]!)),
    capped,
    notes: out,
  };
}

/** `{language: value}` from parallel arrays (for JSON output). */
export function byLanguage(languages: readonly string[], values: readonly number[]): Record<string, number> {
  return Object.fromEntries(languages.map((l, i) => [l, values[i]!]));
}

/** Reads a laws file: `[{"language","alpha","beta","gamma","max"}]`; errors name the file and field. */
export function readLawsJson(file: string): AllocationLaw[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new RangeError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RangeError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  validateLaws(value as AllocationLaw[], file);
  return (value as AllocationLaw[]).map((l) => ({ language: l.language, alpha: l.alpha, beta: l.beta, gamma: l.gamma, max: l.max }));
}

/**
 * Parses a budget such as `1200000`, `1.2e6`, `1.2M` or `1200k` (k = 1e3, M = 1e6).
 */
export function parseBudget(text: string, where = '--budget'): number {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*([kKmM]?)\s*$/.exec(text);
  if (!m) throw new RangeError(`${where}: expected a number of pairs such as 1200000, 1.2e6, 1.2M or 1200k, got "${text}"`);
  const v = Number(m[1]) * (m[2] === '' ? 1 : m[2]!.toLowerCase() === 'k' ? 1e3 : 1e6);
  validateBudget(v, where);
  return v;
}
