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
 *
 * Claims 5-7 (notebook 05):
 * - Claim 5 (one multilingual model is on par with the bilingual ones, beats the
 *   baseline and keeps its English), from paired comparisons of one multilingual arm:
 *   it *beats the baseline* when at least half its comparisons with the English-only
 *   models (each language, each score) are significantly positive and none
 *   significantly negative; it is *on par* with the bilingual models when none of those
 *   comparisons is significantly negative; it *keeps English* when none of its English
 *   scores is significantly below the English-only model's. `reproduced` when all three
 *   hold, `partly` when one or two do, otherwise `not reproduced`; fewer than `minSeeds`
 *   paired seeds, or a comparison without a paired test: `not assessed`. "On par" and
 *   "keeps" are the absence of a significant loss, not an equivalence test, and no
 *   correction is made for the number of comparisons.
 * - Claim 6 (the optimised allocation beats the uniform one on translation; zero-shot
 *   mixed): the gain in translation score averaged over the languages, paired by seed,
 *   with a Student-t 95% interval. `reproduced` when the interval lies above 0, `partly`
 *   when the mean gain is positive (a direction, which noise alone gives half the
 *   time), otherwise `not reproduced`. Zero-shot results are
 *   reported with the verdict, not judged (the paper finds them mixed).
 * - Claim 7 (the allocation favours languages with steeper scaling curves): per
 *   language, the slope of its law at the uniform share C/n against what the optimum
 *   (without caps) gives it beyond C/n. `reproduced` when their rank correlation is
 *   >= 0.8 over at least four languages and the optimum moves some language by at
 *   least a tenth of C/n; `partly` when the correlation is positive and the optimum
 *   moves; otherwise `not reproduced`. This follows from the optimality conditions
 *   once the laws are concave, so what the measurement decides is whether the measured
 *   laws differ enough to move the allocation.
 *
 * Claims 8-9 (notebook 06):
 * - Claim 8 (parallel sentences' representations overlap in the middle layers of the
 *   aligned model and stay apart in the baseline): at the middle layers (every hidden
 *   state but the embeddings and the final normed state), the aligned model against
 *   the English-only one, averaged over the layers and the seeds both ran, with a 95%
 *   bootstrap interval over the sentences (src/representations/align.ts,
 *   `alignmentContrast`). The languages are *closer* when the interval of the
 *   difference in centroid distance (over the spread) lies below 0; the pairs are
 *   *better matched* when the interval of the difference in retrieval top-1 lies above
 *   0. `reproduced` when both hold, `partly` when one does, otherwise `not reproduced`;
 *   fewer than `minSeeds` paired seeds, or no middle layer: `not assessed`.
 * - Claim 9 (the aligned model answers an X instruction much as it answers the English
 *   one): the agreement of its two answers (`sameValue`: the same fact values, the X
 *   answer naming them in X) against the English-only model's, per task, with paired
 *   bootstrap tests over the records pooled across seeds. chrF and `sameValueAny` are
 *   reported, not judged: an X answer written in English scores on both, which favours
 *   a model that has not learned to answer in X. `reproduced` when every comparison is significantly better (p < 0.05),
 *   `partly` when more are significantly better than significantly worse (as claims 1
 *   and 2), otherwise `not reproduced`; fewer than `minSeeds`
 *   paired seeds, or a comparison without a paired test: `not assessed`. The absolute
 *   agreement is reported with it: "much as" has no threshold here.
 *
 * Claim 10 (notebook 07):
 * - Claim 10 (the pairs used as the translation task beat the same target-side text used
 *   for continued pre-training, except on knowledge infilling): the recipe against the
 *   continued-pretraining condition on translation, QA and summarisation in X, paired
 *   bootstrap tests over the records pooled across seeds. `reproduced` when all three are
 *   significantly better (p < 0.05) and knowledge is not; `partly` when more of the
 *   three are significantly better than worse; otherwise `not reproduced`; fewer than
 *   `minSeeds` paired seeds, or a comparison without a paired test: `not assessed`.
 */

import type { ScalingPoint } from '../scaling/law';
import { allocateOptimal, type AllocationLaw } from '../allocation';
import { lawGradient } from '../scaling/law';
import type { Interval } from '../representations/align';
import { type ConditionComparison, seedSummary, type SeedSummary } from './compare';

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

/** Counts of significantly positive and negative comparisons. */
function signs(comps: readonly ConditionComparison[], alpha: number): { pos: number; neg: number } {
  const sig = comps.filter((c) => c.pValue !== null && c.pValue < alpha);
  return { pos: sig.filter((c) => c.delta > 0).length, neg: sig.filter((c) => c.delta < 0).length };
}

/** The comparisons claim 5 reads for one multilingual arm (B = the multilingual model in each). */
export interface MultilingualEvidence {
  /** Which multilingual model, in words (e.g. its step count). */
  arm: string;
  /** Against the English-only models, in each language and score. */
  vsBaseline: readonly ConditionComparison[];
  /** Against the bilingual recipe, in each language and score. */
  vsBilingual: readonly ConditionComparison[];
  /** English scores against the English-only model. */
  english: readonly ConditionComparison[];
}

/** Verdict of claim 5 (see the module comment). */
export function multilingualVerdict(e: MultilingualEvidence, minSeeds = 3, alpha = 0.05): ClaimVerdict {
  const all = [...e.vsBaseline, ...e.vsBilingual, ...e.english];
  if (all.length === 0 || e.vsBaseline.length === 0 || e.vsBilingual.length === 0) return { claim: 5, verdict: 'not assessed', reason: `${e.arm}: missing comparisons` };
  const untested = all.filter((c) => c.pValue === null).length;
  if (untested > 0) return { claim: 5, verdict: 'not assessed', reason: `${e.arm}: ${untested} of ${all.length} comparisons have no paired test (results without per-record statistics)` };
  const seeds = Math.min(...all.map((c) => c.pairedSeeds));
  const [b, p, en] = [signs(e.vsBaseline, alpha), signs(e.vsBilingual, alpha), signs(e.english, alpha)];
  const beats = b.pos >= e.vsBaseline.length / 2 && b.neg === 0;
  const onPar = p.neg === 0;
  const keeps = en.neg === 0;
  const reason =
    `${e.arm}: against the English-only models ${b.pos} of ${e.vsBaseline.length} comparisons significantly better, ${b.neg} worse; ` +
    `against the bilingual models ${p.pos} better, ${p.neg} worse of ${e.vsBilingual.length}; English scores ${en.neg} of ${e.english.length} significantly below the English-only model's ` +
    `(p < ${alpha}, no correction for the number of comparisons; ${seeds} paired seed(s)): ${beats ? 'beats' : 'does not beat'} the baseline, ${onPar ? 'on par with' : 'below'} the bilingual models, ${keeps ? 'keeps' : 'loses'} English`;
  if (!(seeds >= minSeeds)) return { claim: 5, verdict: 'not assessed', reason: `${seeds} paired seed(s), fewer than ${minSeeds}; ${reason}` };
  const held = [beats, onPar, keeps].filter(Boolean).length;
  return { claim: 5, verdict: held === 3 ? 'reproduced' : held > 0 ? 'partly' : 'not reproduced', reason };
}

/** What claim 6 reads: a method against a baseline allocation. */
export interface AllocationEvidence {
  method: string;
  baseline: string;
  /** Per seed: mean over languages of the method's translation score minus the baseline's. */
  seedGains: number[];
  gain: SeedSummary;
  /** Translation in each language, method (B) against baseline (A). */
  translation: readonly ConditionComparison[];
  /** Zero-shot scores in each language. */
  zeroShot: readonly ConditionComparison[];
  /** Pairs each allocation uses (a capped uniform split may leave some of the budget unused). */
  pairsUsed?: { method: number; baseline: number };
}

/**
 * The evidence of claim 6 from per-seed translation scores: `scores[arm][seed][lang]`
 * for the method and the baseline, with the per-language comparisons.
 */
export function allocationEvidence(
  method: string,
  baseline: string,
  scores: Readonly<Record<string, Readonly<Record<number, Readonly<Record<string, number>>>>>>,
  translation: readonly ConditionComparison[],
  zeroShot: readonly ConditionComparison[],
  pairsUsed?: AllocationEvidence['pairsUsed'],
): AllocationEvidence {
  const [m, b] = [scores[method] ?? {}, scores[baseline] ?? {}];
  const mean = (r: Readonly<Record<string, number>>) => {
    const v = Object.values(r);
    return v.reduce((a, x) => a + x, 0) / v.length;
  };
  const seeds = Object.keys(m).map(Number).filter((s) => b[s] !== undefined).sort((x, y) => x - y);
  if (seeds.length === 0) throw new RangeError(`allocation evidence: no seed has both ${method} and ${baseline}`);
  const seedGains = seeds.map((s) => mean(m[s]!) - mean(b[s]!));
  return { method, baseline, seedGains, gain: seedSummary(seedGains), translation, zeroShot, ...(pairsUsed ? { pairsUsed } : {}) };
}

/** Verdict of claim 6 (see the module comment). */
export function allocationVerdict(e: AllocationEvidence, minSeeds = 3, alpha = 0.05): ClaimVerdict {
  const [t, z] = [signs(e.translation, alpha), signs(e.zeroShot, alpha)];
  const interval = e.gain.lower === null ? 'no interval' : `95% interval ${e.gain.lower.toFixed(2)} to ${e.gain.upper!.toFixed(2)}`;
  const reason =
    `${e.method} against ${e.baseline}${e.pairsUsed ? ` (${e.pairsUsed.method} against ${e.pairsUsed.baseline} pairs)` : ''}: mean translation gain over the languages ${e.gain.mean.toFixed(2)} (${interval}, ${e.gain.seeds} seed(s)); ` +
    `per language ${t.pos} of ${e.translation.length} significantly better, ${t.neg} worse; zero-shot ${z.pos} of ${e.zeroShot.length} better, ${z.neg} worse (p < ${alpha}; reported, not judged)`;
  if (e.gain.seeds < minSeeds) return { claim: 6, verdict: 'not assessed', reason: `${e.gain.seeds} seed(s), fewer than ${minSeeds}; ${reason}` };
  return { claim: 6, verdict: e.gain.lower !== null && e.gain.lower > 0 ? 'reproduced' : e.gain.mean > 0 ? 'partly' : 'not reproduced', reason };
}

export interface SteepnessEvidence {
  /** The uniform share C/n. */
  uniform: number;
  rows: { lang: string; slope: number; optimal: number; shift: number }[];
  /** Rank correlation of slope and shift. */
  rho: number;
}

/** Per language, the slope of its law at C/n and the optimum's shift from C/n without caps (see the module comment). */
export function steepnessEvidence(laws: readonly AllocationLaw[], budget: number): SteepnessEvidence {
  const uniform = budget / laws.length;
  const uncapped = laws.map((l) => ({ ...l, max: budget }));
  const opt = allocateOptimal(uncapped, budget);
  const rows = laws.map((l, i) => ({ lang: l.language, slope: lawGradient(l, uniform), optimal: opt.x[i]!, shift: opt.x[i]! - uniform }));
  return { uniform, rows, rho: spearman(rows.map((r) => r.slope), rows.map((r) => r.shift)) };
}

/** Verdict of claim 7 (see the module comment). */
export function steepnessVerdict(e: SteepnessEvidence): ClaimVerdict {
  if (e.rows.length < 2) return { claim: 7, verdict: 'not assessed', reason: 'fewer than two languages' };
  const moves = Math.max(...e.rows.map((r) => Math.abs(r.shift))) >= 0.1 * e.uniform;
  const list = e.rows.map((r) => `${r.lang} slope ${r.slope.toExponential(2)}, ${r.shift >= 0 ? '+' : ''}${Math.round(r.shift)}`).join('; ');
  const reason = `per language, the law's slope at C/n = ${Math.round(e.uniform)} and the optimum's pairs beyond C/n (no caps): ${list}; rank correlation ${Number.isNaN(e.rho) ? 'undefined' : e.rho.toFixed(2)} over ${e.rows.length} languages; the optimum ${moves ? 'moves' : 'barely moves (under a tenth of C/n)'}`;
  const verdict: Verdict = Number.isNaN(e.rho) || !moves ? 'not reproduced' : e.rho >= 0.8 && e.rows.length >= 4 ? 'reproduced' : e.rho > 0 ? 'partly' : 'not reproduced';
  return { claim: 7, verdict, reason };
}

/** What claim 8 reads: the aligned model against the baseline at the middle layers (B - A; A = baseline). */
export interface RepresentationEvidence {
  lang: string;
  /** The hidden states counted as middle layers (0 = the embeddings). */
  middleLayers: readonly number[];
  /** Seeds both models ran. */
  pairedSeeds: number;
  /** Aligned minus baseline, retrieval top-1 (0-1) averaged over the middle layers and paired seeds. */
  top1: Interval;
  /** Aligned minus baseline, centroid distance over spread, likewise. */
  centroidDistance: Interval;
}

const fmtInterval = (i: Interval, d: number) => `${i.value.toFixed(d)} (95% ${i.lower.toFixed(d)} to ${i.upper.toFixed(d)})`;

/** Verdict of claim 8 (see the module comment). */
export function representationVerdict(e: RepresentationEvidence, minSeeds = 3): ClaimVerdict {
  if (e.middleLayers.length === 0) return { claim: 8, verdict: 'not assessed', reason: `${e.lang}: the model has no middle layer (one block: only the embeddings and the final state)` };
  const closer = e.centroidDistance.upper < 0;
  const matched = e.top1.lower > 0;
  const reason =
    `${e.lang}, layers ${e.middleLayers.join(', ')}, aligned minus English-only: centroid distance ${fmtInterval(e.centroidDistance, 3)} (${closer ? 'closer' : 'not closer'}), ` +
    `retrieval top-1 ${fmtInterval(e.top1, 3)} (${matched ? 'better matched' : 'not better matched'}); ${e.pairedSeeds} paired seed(s)`;
  if (!(e.pairedSeeds >= minSeeds)) return { claim: 8, verdict: 'not assessed', reason: `${e.pairedSeeds} paired seed(s), fewer than ${minSeeds}; ${reason}` };
  const held = [closer, matched].filter(Boolean).length;
  return { claim: 8, verdict: held === 2 ? 'reproduced' : held === 1 ? 'partly' : 'not reproduced', reason };
}

/** What claim 9 reads: the aligned model's answer agreement against the English-only model's (B = aligned), per task and metric. */
export interface ConsistencyEvidence {
  lang: string;
  comparisons: readonly ConditionComparison[];
}

/** Verdict of claim 9 (see the module comment). */
export function consistencyVerdict(e: ConsistencyEvidence, minSeeds = 3, alpha = 0.05): ClaimVerdict {
  const all = e.comparisons;
  if (all.length === 0) return { claim: 9, verdict: 'not assessed', reason: `${e.lang}: no comparisons` };
  const untested = all.filter((c) => c.pValue === null).length;
  if (untested > 0) return { claim: 9, verdict: 'not assessed', reason: `${e.lang}: ${untested} of ${all.length} comparisons have no paired test` };
  const { pos, neg } = signs(all, alpha);
  const seeds = Math.min(...all.map((c) => c.pairedSeeds));
  const detail = all.map((c) => `${c.task} ${c.metric} ${c.seedsA.mean.toFixed(1)} -> ${c.seedsB.mean.toFixed(1)}${c.pValue! < alpha ? '*' : ''}`).join('; ');
  const reason = `${e.lang}: ${pos} of ${all.length} agreement scores significantly higher than the English-only model's, ${neg} lower (p < ${alpha}, * = significant; ${seeds} paired seed(s)): ${detail}`;
  if (!(seeds >= minSeeds)) return { claim: 9, verdict: 'not assessed', reason: `${seeds} paired seed(s), fewer than ${minSeeds}; ${reason}` };
  return { claim: 9, verdict: pos === all.length ? 'reproduced' : pos > neg ? 'partly' : 'not reproduced', reason };
}

/** Verdict of claim 10 from the recipe (B) against continued pre-training (A) on translation and the zero-shot tasks (see the module comment). */
export function tableFiveVerdict(comps: readonly ConditionComparison[], minSeeds = 3, alpha = 0.05): ClaimVerdict {
  const knowledge = comps.filter((c) => c.task === 'knowledge');
  const others = comps.filter((c) => c.task !== 'knowledge');
  if (others.length === 0 || knowledge.length !== 1) return { claim: 10, verdict: 'not assessed', reason: `needs translation, QA and summarisation comparisons and one of knowledge; got ${others.length} and ${knowledge.length}` };
  const untested = comps.filter((c) => c.pValue === null).length;
  if (untested > 0) return { claim: 10, verdict: 'not assessed', reason: `${untested} of ${comps.length} comparisons have no paired test` };
  const seeds = Math.min(...comps.map((c) => c.pairedSeeds));
  const { pos, neg } = signs(others, alpha);
  const k = signs(knowledge, alpha);
  const detail = comps.map((c) => `${c.task} ${c.metric} ${c.seedsA.mean.toFixed(1)} -> ${c.seedsB.mean.toFixed(1)}${c.pValue! < alpha ? '*' : ''}`).join('; ');
  const reason = `recipe against continued pre-training: ${pos} of ${others.length} of translation, QA and summarisation significantly better, ${neg} worse; knowledge ${k.pos ? 'significantly better' : k.neg ? 'significantly worse' : 'not significantly different'} (p < ${alpha}, * = significant; ${seeds} paired seed(s)): ${detail}`;
  if (!(seeds >= minSeeds)) return { claim: 10, verdict: 'not assessed', reason: `${seeds} paired seed(s), fewer than ${minSeeds}; ${reason}` };
  const verdict = pos === others.length && k.pos === 0 ? 'reproduced' : pos > neg ? 'partly' : 'not reproduced';
  return { claim: 10, verdict, reason };
}
