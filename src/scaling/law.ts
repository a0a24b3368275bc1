/**
 * The paper's scaling law of translation quality (Section 3.2, Figure 2):
 *
 *     S(X) = 100 - alpha * (gamma * X)^(-beta)
 *
 * S is a score on a 0-100 scale, X the number of translation pairs, gamma in (0, 1]
 * the language's similarity to English (src/similarity/), alpha > 0 and beta > 0 the
 * fitted constants. Used by notebooks 03 (fitting) and 04 (allocation).
 */

/** One measured point: a score reached with `x` pairs in a language of similarity `gamma`. */
export interface ScalingPoint {
  language: string;
  gamma: number;
  x: number;
  score: number;
}

/** The constants of one law. */
export interface LawParams {
  alpha: number;
  beta: number;
  gamma: number;
}

/** The score the law predicts for `x` pairs: 100 - alpha (gamma x)^-beta. */
export function lawScore(law: LawParams, x: number): number {
  return 100 - law.alpha * Math.pow(law.gamma * x, -law.beta);
}

/** The marginal gain dS/dX = alpha beta gamma^-beta x^-(beta+1) (Figure 5, right). */
export function lawGradient(law: LawParams, x: number): number {
  return law.alpha * law.beta * Math.pow(law.gamma, -law.beta) * Math.pow(x, -law.beta - 1);
}

/**
 * The data a law needs to reach `target` (< 100): X = ((100 - target) / alpha)^(-1/beta) / gamma.
 * Notebook 03 uses it to extrapolate per language.
 */
export function lawDataFor(law: LawParams, target: number): number {
  if (!(target < 100)) throw new RangeError(`target score must be below 100, got ${target}`);
  return Math.pow((100 - target) / law.alpha, -1 / law.beta) / law.gamma;
}

/**
 * Checks measured points before a fit and throws a RangeError naming the offending
 * point (its `where`, e.g. "points.csv line 4") and what was expected: NaN or
 * non-finite values, x <= 0, scores >= 100 (the law's ceiling), gamma outside (0, 1].
 * gamma = 1 is accepted: it is what the similarity score gives for perfect retrieval.
 */
export function validatePoints(points: readonly (ScalingPoint & { where?: string })[], context = 'points'): void {
  points.forEach((p, i) => {
    const at = p.where ?? `${context}[${i}] (language "${p.language}")`;
    for (const key of ['gamma', 'x', 'score'] as const) {
      if (typeof p[key] !== 'number' || !Number.isFinite(p[key])) {
        throw new RangeError(`${at}: ${key} must be a finite number, got ${String(p[key])}`);
      }
    }
    if (!(p.x > 0)) throw new RangeError(`${at}: x (number of pairs) must be > 0, got ${p.x}`);
    if (!(p.score < 100)) {
      throw new RangeError(`${at}: score must be below 100 (the law's ceiling), got ${p.score}`);
    }
    if (!(p.gamma > 0 && p.gamma <= 1)) {
      throw new RangeError(`${at}: gamma must be in (0, 1], got ${p.gamma}`);
    }
  });
}
