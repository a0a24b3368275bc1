/**
 * Alternative formulations of the data-score relation, compared by leave-one-out
 * error (paper Section 3.2 says several were tried before S = 100 - alpha (gamma X)^-beta
 * was chosen; notebook 03 shows which wins on the data at hand).
 *
 * Formulations (k = parameters per fitted curve):
 * - `paper`: S = 100 - alpha (gamma X)^-beta per language (k = 2);
 * - `free-ceiling`: S = c - alpha (gamma X)^-beta per language, c fitted (k = 3);
 * - `logarithmic`: S = p + q ln X per language (k = 2);
 * - `shared-gamma`: one alpha, beta for all languages, S = 100 - alpha (gamma_l X)^-beta
 *   (k = 2 in all: gamma alone carries the difference between languages);
 * - `shared-no-gamma`: one plain power law S = 100 - alpha X^-beta for all languages.
 * Per language gamma only rescales alpha, so it matters in the pooled fits.
 */

import { type ScalingPoint, validatePoints } from './law';
import { fitScalingLaw, minimiseOverBeta } from './fit';

export type FormulationName = 'paper' | 'free-ceiling' | 'logarithmic' | 'shared-gamma' | 'shared-no-gamma';

export interface Formulation {
  name: FormulationName;
  formula: string;
  /** Parameters per fitted curve. */
  parameters: number;
  scope: 'per-language' | 'pooled';
  /** Fits to `train` and returns a predictor of a point's score. */
  fit(train: readonly ScalingPoint[]): (p: ScalingPoint) => number;
}

/** Ordinary least squares of y on one regressor t: returns intercept and slope. */
function line(t: readonly number[], y: readonly number[]): { intercept: number; slope: number } {
  const n = t.length;
  const mt = t.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let stt = 0;
  let sty = 0;
  for (let i = 0; i < n; i++) {
    stt += (t[i]! - mt) ** 2;
    sty += (t[i]! - mt) * (y[i]! - my);
  }
  if (!(stt > 0)) throw new RangeError('need at least 2 distinct x values');
  const slope = sty / stt;
  return { intercept: my - slope * mt, slope };
}

function needs(train: readonly ScalingPoint[], k: number, what: string): void {
  if (train.length < k) throw new RangeError(`${what} has ${k} parameters and needs at least ${k} points, got ${train.length}`);
}

/** S = c - a (gamma X)^-beta: for fixed beta a straight line in z = (gamma X / uRef)^-beta. */
function fitFreeCeiling(train: readonly ScalingPoint[]): (p: ScalingPoint) => number {
  needs(train, 3, 'the free-ceiling law');
  const lu = train.map((p) => Math.log(p.gamma * p.x));
  const ref = lu.reduce((a, b) => a + b, 0) / lu.length;
  const y = train.map((p) => p.score);
  const sseAt = (b: number): number => {
    const z = lu.map((l) => Math.exp(-b * (l - ref)));
    const { intercept, slope } = line(z, y);
    return z.reduce((t, zi, i) => t + (y[i]! - intercept - slope * zi) ** 2, 0);
  };
  const { beta } = minimiseOverBeta(sseAt);
  const { intercept, slope } = line(lu.map((l) => Math.exp(-beta * (l - ref))), y);
  return (p) => intercept + slope * Math.exp(-beta * (Math.log(p.gamma * p.x) - ref));
}

function fitLogarithmic(train: readonly ScalingPoint[]): (p: ScalingPoint) => number {
  needs(train, 2, 'the logarithmic law');
  const { intercept, slope } = line(
    train.map((p) => Math.log(p.x)),
    train.map((p) => p.score),
  );
  return (p) => intercept + slope * Math.log(p.x);
}

function perLanguage(fitOne: (train: readonly ScalingPoint[]) => (p: ScalingPoint) => number) {
  return (train: readonly ScalingPoint[]) => {
    const byLanguage = new Map<string, ScalingPoint[]>();
    for (const p of train) byLanguage.set(p.language, [...(byLanguage.get(p.language) ?? []), p]);
    const predictors = new Map([...byLanguage].map(([l, pts]) => [l, fitOne(pts)] as const));
    return (p: ScalingPoint) => {
      const f = predictors.get(p.language);
      if (!f) throw new RangeError(`no training points for language "${p.language}"`);
      return f(p);
    };
  };
}

/** The formulations compared in notebook 03. */
export const FORMULATIONS: readonly Formulation[] = [
  {
    name: 'paper',
    formula: 'S = 100 - α (γX)^-β, per language',
    parameters: 2,
    scope: 'per-language',
    fit: perLanguage((t) => {
      const f = fitScalingLaw(t);
      return (p) => f.predict(p.x, p.gamma);
    }),
  },
  { name: 'free-ceiling', formula: 'S = c - α (γX)^-β, per language', parameters: 3, scope: 'per-language', fit: perLanguage(fitFreeCeiling) },
  { name: 'logarithmic', formula: 'S = p + q ln X, per language', parameters: 2, scope: 'per-language', fit: perLanguage(fitLogarithmic) },
  {
    name: 'shared-gamma',
    formula: 'S = 100 - α (γ_l X)^-β, one α, β for all',
    parameters: 2,
    scope: 'pooled',
    fit: (t) => {
      const f = fitScalingLaw(t);
      return (p) => f.predict(p.x, p.gamma);
    },
  },
  {
    name: 'shared-no-gamma',
    formula: 'S = 100 - α X^-β, one α, β for all',
    parameters: 2,
    scope: 'pooled',
    fit: (t) => {
      const f = fitScalingLaw(t.map((p) => ({ ...p, gamma: 1 })));
      return (p) => f.predict(p.x, 1);
    },
  },
];

export interface FormulationScore {
  name: FormulationName;
  formula: string;
  parameters: number;
  scope: 'per-language' | 'pooled';
  /** Root mean squared leave-one-out error over the common points (score units). */
  looRmse: number;
  /** Mean absolute leave-one-out error over the common points. */
  looMae: number;
  /** In-sample root mean squared error on all points. */
  fitRmse: number;
}

export interface FormulationComparison {
  rows: FormulationScore[];
  /** The formulation with the smallest leave-one-out RMSE. */
  winner: FormulationName;
  /** Points every formulation could predict when left out (the comparison set). */
  commonPoints: number;
  /** Points left out of the comparison, with the reason (too few points left to refit). */
  skipped: { index: number; language: string; x: number; reason: string }[];
}

/**
 * Leave-one-out comparison: each point in turn is left out, every formulation is refit
 * on the rest and predicts it. Errors are compared on the points that every
 * formulation could predict (a per-language law needs as many remaining points in
 * that language as it has parameters).
 */
export function compareFormulations(
  points: readonly ScalingPoint[],
  formulations: readonly Formulation[] = FORMULATIONS,
): FormulationComparison {
  validatePoints(points);
  const errors = formulations.map(() => [] as number[]);
  const skipped: FormulationComparison['skipped'] = [];
  points.forEach((held, i) => {
    const train = points.filter((_, j) => j !== i);
    const errs: number[] = [];
    for (const f of formulations) {
      try {
        const e = f.fit(train)(held) - held.score;
        if (!Number.isFinite(e)) throw new RangeError('non-finite prediction');
        errs.push(e);
      } catch (err) {
        skipped.push({ index: i, language: held.language, x: held.x, reason: `${f.name}: ${(err as Error).message}` });
        return;
      }
    }
    errs.forEach((e, k) => errors[k]!.push(e));
  });
  const rows = formulations.map((f, k) => {
    const e = errors[k]!;
    let fitRmse = NaN;
    try {
      const predict = f.fit(points);
      fitRmse = Math.sqrt(points.reduce((t, p) => t + (predict(p) - p.score) ** 2, 0) / points.length);
    } catch {
      /* too few points for this formulation: leave NaN */
    }
    return {
      name: f.name,
      formula: f.formula,
      parameters: f.parameters,
      scope: f.scope,
      looRmse: e.length ? Math.sqrt(e.reduce((t, x) => t + x * x, 0) / e.length) : NaN,
      looMae: e.length ? e.reduce((t, x) => t + Math.abs(x), 0) / e.length : NaN,
      fitRmse,
    };
  });
  const ranked = rows.filter((r) => Number.isFinite(r.looRmse)).sort((a, b) => a.looRmse - b.looRmse);
  if (ranked.length === 0) throw new RangeError('no point could be left out: every language needs more points');
  return { rows, winner: ranked[0]!.name, commonPoints: errors[0]!.length, skipped };
}
