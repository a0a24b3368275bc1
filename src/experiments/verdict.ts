/**
 * Verdicts on the paper's claims 1-4 (docs/experiments.md) computed from measured
 * results, so notebook 02 never writes one in. Each rule is stated in the code and
 * returned with the numbers it used; the thresholds are conventions of this project,
 * documented here and in the notebook.
 *
 * - Claims 1 and 2 (a condition beats another on the zero-shot scores): from paired
 *   comparisons. `reproduced` when at least half the comparisons are significantly
 *   positive (p < 0.05) and none significantly negative; `partly` when there are more
 *   significant gains than losses; otherwise `not reproduced`. Fewer than `minSeeds`
 *   seeds: `not assessed`.
 * - Claim 3 (more translation data raises translation and zero-shot scores, the law fits,
 *   gains diminish): per language, the rank correlation of score with X, the fit's R^2,
 *   and whether the gain over the upper half of the measured log-range is smaller than
 *   over the lower half. `reproduced` when translation rises (rho >= 0.8) with R^2 >= 0.8
 *   and diminishing gains in every language and the zero-shot scores rise (rho > 0) in
 *   most (language, score) pairs; `partly` when translation rises in every language;
 *   otherwise `not reproduced`.
 * - Claim 4 (less similar languages need more data): the pairs each language needs to
 *   reach a common score (the lowest of the languages' best scores, so every language
 *   reaches it within the measured range; log-linear interpolation between measured
 *   points), against gamma. `reproduced` when the rank correlation is <= -0.8 with at
 *   least four languages; `partly` when it is negative (direction only); otherwise
 *   `not reproduced`.
 */

import type { ScalingPoint } from '../scaling/law';
import type { ConditionComparison } from './compare';

export type Verdict = 'reproduced' | 'partly' | 'not reproduced' | 'not assessed';

export interface ClaimVerdict {
  claim: number;
  verdict: Verdict;
  /** One sentence with the numbers behind the verdict. */
  reason: string;
}

/** Spearman rank correlation (average ranks for ties); NaN with fewer than two values or no spread. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new RangeError(`spearman: ${x.length} x values but ${y.length} y values`);
  const rank = (v: readonly number[]) => {
    const idx = v.map((_, i) => i).sort((a, b) => v[a]! - v[b]!);
    const r = new Array<number>(v.length);
    for (let i = 0; i < idx.length; ) {
      let j = i;
      while (j + 1 < idx.length && v[idx[j + 1]!] === v[idx[i]!]) j++;
      for (let k = i; k <= j; k++) r[idx[k]!] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return r;
  };
  const [rx, ry] = [rank(x), rank(y)];
  const n = x.length;
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i]! - mean) * (ry[i]! - mean);
    sxx += (rx[i]! - mean) ** 2;
    syy += (ry[i]! - mean) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Verdict of claim 1 or 2 from paired comparisons (B against A) over seeds. */
export function comparisonVerdict(claim: number, comps: readonly ConditionComparison[], minSeeds = 3, alpha = 0.05): ClaimVerdict {
  const seeds = Math.min(...comps.map((c) => Math.min(c.seedsA.seeds, c.seedsB.seeds)));
  const pos = comps.filter((c) => c.delta > 0 && c.pValue !== null && c.pValue < alpha).length;
  const neg = comps.filter((c) => c.delta < 0 && c.pValue !== null && c.pValue < alpha).length;
  const counts = `${pos} of ${comps.length} comparisons significantly better, ${neg} significantly worse (p < ${alpha})`;
  if (comps.length === 0) return { claim, verdict: 'not assessed', reason: 'no comparisons' };
  if (!(seeds >= minSeeds)) return { claim, verdict: 'not assessed', reason: `${seeds} seed(s), fewer than ${minSeeds}; ${counts}` };
  const verdict: Verdict = pos >= comps.length / 2 && neg === 0 ? 'reproduced' : pos > neg ? 'partly' : 'not reproduced';
  return { claim, verdict, reason: `${counts}; ${seeds} seeds` };
}

export interface ScalingEvidence {
  lang: string;
  /** Rank correlation of the translation score with X. */
  translationRho: number;
  /** R^2 of the fitted law on the translation points. */
  r2: number;
  /** Gain over the lower and the upper half of the measured log10 X range (linear interpolation). */
  lowerGain: number;
  upperGain: number;
  /** Rank correlation with X of each zero-shot score. */
  zeroShotRho: Record<string, number>;
}

function scoreAt(points: readonly ScalingPoint[], logx: number): number {
  const ps = [...points].sort((a, b) => a.x - b.x);
  for (let i = 1; i < ps.length; i++) {
    const [a, b] = [ps[i - 1]!, ps[i]!];
    const [la, lb] = [Math.log10(a.x), Math.log10(b.x)];
    if (logx <= lb) return a.score + ((b.score - a.score) * (logx - la)) / (lb - la);
  }
  return ps.at(-1)!.score;
}

/** The numbers claim 3 reads for one language (translation points, its fit's R^2, zero-shot points by score name). */
export function scalingEvidence(lang: string, translation: readonly ScalingPoint[], r2: number, zeroShot: Readonly<Record<string, readonly ScalingPoint[]>>): ScalingEvidence {
  const xs = translation.map((p) => p.x);
  const [lo, hi] = [Math.log10(Math.min(...xs)), Math.log10(Math.max(...xs))];
  const mid = (lo + hi) / 2;
  const [s0, s1, s2] = [scoreAt(translation, lo), scoreAt(translation, mid), scoreAt(translation, hi)];
  return {
    lang,
    translationRho: spearman(xs, translation.map((p) => p.score)),
    r2,
    lowerGain: s1 - s0,
    upperGain: s2 - s1,
    zeroShotRho: Object.fromEntries(Object.entries(zeroShot).map(([k, ps]) => [k, spearman(ps.map((p) => p.x), ps.map((p) => p.score))])),
  };
}

/** Verdict of claim 3 from {@link scalingEvidence} per language. */
export function scalingVerdict(evidence: readonly ScalingEvidence[]): ClaimVerdict {
  if (evidence.length === 0) return { claim: 3, verdict: 'not assessed', reason: 'no scaling series' };
  const rises = evidence.filter((e) => e.translationRho >= 0.8);
  const fits = evidence.filter((e) => e.r2 >= 0.8);
  const diminishing = evidence.filter((e) => e.upperGain < e.lowerGain);
  const zs = evidence.flatMap((e) => Object.values(e.zeroShotRho));
  const zsUp = zs.filter((r) => r > 0).length;
  const reason =
    `translation rises with X (rho >= 0.8) in ${rises.length} of ${evidence.length} languages, the law fits (R^2 >= 0.8) in ${fits.length}, ` +
    `gains diminish in ${diminishing.length}; zero-shot scores rise with X in ${zsUp} of ${zs.length} (language, score) pairs`;
  const all = (xs: unknown[]) => xs.length === evidence.length;
  const verdict: Verdict = all(rises) && all(fits) && all(diminishing) && zsUp > zs.length / 2 ? 'reproduced' : all(rises) ? 'partly' : 'not reproduced';
  return { claim: 3, verdict, reason };
}

/** Pairs needed to reach `target`, interpolating log X linearly between measured points; Infinity if never reached. */
export function pairsToReach(points: readonly ScalingPoint[], target: number): number {
  const ps = [...points].sort((a, b) => a.x - b.x);
  if (ps.length === 0) return Infinity;
  if (ps[0]!.score >= target) return ps[0]!.x;
  for (let i = 1; i < ps.length; i++) {
    const [a, b] = [ps[i - 1]!, ps[i]!];
    if (b.score >= target) {
      const f = (target - a.score) / (b.score - a.score);
      return 10 ** (Math.log10(a.x) + f * (Math.log10(b.x) - Math.log10(a.x)));
    }
  }
  return Infinity;
}

export interface SimilarityEvidence {
  /** The common target score. */
  target: number;
  rows: { lang: string; gamma: number; pairs: number }[];
  /** Rank correlation between gamma and pairs needed. */
  rho: number;
}

/** The pairs each language needs for the common target (see the module comment). */
export function similarityEvidence(points: readonly ScalingPoint[]): SimilarityEvidence {
  const langs = [...new Set(points.map((p) => p.language))];
  const of = (l: string) => points.filter((p) => p.language === l);
  const target = Math.min(...langs.map((l) => Math.max(...of(l).map((p) => p.score))));
  const rows = langs.map((lang) => ({ lang, gamma: of(lang)[0]!.gamma, pairs: pairsToReach(of(lang), target) }));
  return { target, rows, rho: spearman(rows.map((r) => r.gamma), rows.map((r) => r.pairs)) };
}

/** Verdict of claim 4 from {@link similarityEvidence}. */
export function similarityVerdict(e: SimilarityEvidence): ClaimVerdict {
  if (e.rows.length < 2) return { claim: 4, verdict: 'not assessed', reason: 'fewer than two languages' };
  const list = e.rows.map((r) => `${r.lang} (gamma ${r.gamma.toFixed(3)}) ${Number.isFinite(r.pairs) ? Math.round(r.pairs) : 'never'}`).join(', ');
  const reason = `pairs to reach score ${e.target.toFixed(1)}: ${list}; rank correlation with gamma ${Number.isNaN(e.rho) ? 'undefined' : e.rho.toFixed(2)} over ${e.rows.length} languages`;
  const verdict: Verdict = Number.isNaN(e.rho) ? 'not reproduced' : e.rho <= -0.8 && e.rows.length >= 4 ? 'reproduced' : e.rho < 0 ? 'partly' : 'not reproduced';
  return { claim: 4, verdict, reason };
}
