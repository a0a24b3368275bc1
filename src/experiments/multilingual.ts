/**
 * What notebook 05 trains (paper Sections 3.3 and 5.2; Figure 3, Table 3 and Figure 5 in
 * miniature), as named arms of tuning runs for one pool:
 *
 * - Figure 3: per lab language, the English-only baseline and the bilingual recipe
 *   (notebook 02's conditions, reused from the store where it has them), and one
 *   multilingual model for all lab languages, at the same step count as a bilingual run
 *   (`multilingual`) and at the summed step count of the bilingual runs
 *   (`multilingual-summed`: like the paper's m-LLaMA, it sees as much training as all
 *   bilingual models together);
 * - Table 3: multilingual models whose translation pairs are a budget C
 *   (`allocationBudget`) shared by each of `allocationMethods`, under the laws the
 *   laboratory measured (its scaling series, fitted with gamma from the base model).
 *
 * Each language can give at most its available pairs (X^max): the translation pool
 * (`worldTranslationPairs`) scaled by the paper's Table 1 sizes, the least-resourced lab
 * language at the pool itself, so that languages differ in what they have as in the
 * paper. With the presets' budget (the pool for each language), the uniform split is
 * exactly the `multilingual` arm: every language with the pairs its bilingual model has.
 */

import { allocateBy, type Allocation, type AllocationLaw, type AllocationMethod, isAllocationMethod, wholePairs } from '../allocation';
import type { Settings } from '../config/presets';
import { PAPER_TABLE1 } from '../data/table1';
import { fitLawsByLanguage, type LawFit } from '../scaling/fit';
import { lawScore, type ScalingPoint } from '../scaling/law';
import { ALL_LANGUAGES } from './conditions';
import { labSeeds } from './plan';
import { type PoolOptions, runTunePool } from './pool';
import { scalingPoints } from './scaling';
import { tuneSpecFromSettings, type TuneSpec } from './spec';
import { configHash, type ExperimentResult } from './store';

/** A group of runs that a figure or table shows as one bar or row: one run per seed (and per language for one-language conditions). */
export interface Arm {
  id: string;
  /** What the arm is, in a few words. */
  label: string;
  specs: TuneSpec[];
}

/** The arm of an allocation method. */
export function allocationArmId(method: string): string {
  return `allocation:${method}`;
}

/**
 * Pairs each lab language may receive (X^max): `worldTranslationPairs` times the
 * language's Table 1 pairs (WikiMatrix + News-Commentary) over the smallest among the
 * lab languages, rounded (the world generates any number of pairs; a smaller pool is a
 * prefix of a larger one).
 */
export function labAvailablePairs(s: Settings): Record<string, number> {
  const size = (l: string) => {
    const t = PAPER_TABLE1[l];
    if (!t) throw new RangeError(`available pairs: language "${l}" has no Table 1 size (known: ${Object.keys(PAPER_TABLE1).join(', ')})`);
    return t.wikimatrix + t.newsCommentary;
  };
  const least = Math.min(...s.labLanguages.map(size));
  return Object.fromEntries(s.labLanguages.map((l) => [l, Math.round((s.worldTranslationPairs * size(l)) / least)]));
}

/** Each language's fitted law (alpha, beta, gamma) capped at its available pairs, in the order of `languages`; a language without a fit is an error naming it. */
export function labLaws(fits: ReadonlyMap<string, LawFit>, available: Readonly<Record<string, number>>, languages: readonly string[]): AllocationLaw[] {
  return languages.map((language) => {
    const f = fits.get(language);
    if (!f) throw new RangeError(`laboratory laws: no fitted law for "${language}" (fitted: ${[...fits.keys()].join(', ') || 'none'}); its scaling series is missing`);
    const max = available[language];
    if (max === undefined) throw new RangeError(`laboratory laws: no available pairs for "${language}"`);
    return { language, alpha: f.alpha, beta: f.beta, gamma: f.gamma, max };
  });
}

/**
 * The laboratory's laws from a scaling series (the recipe's results at `scalingPairs`,
 * one seed): the translation chrF points with each language's gamma, their fits, and
 * the laws of the lab languages capped at their available pairs.
 */
export function measuredLaws(series: readonly ExperimentResult[], gamma: Readonly<Record<string, number>>, s: Settings): { points: ScalingPoint[]; fits: Map<string, LawFit>; laws: AllocationLaw[] } {
  const points = scalingPoints(series, gamma, 'translation', 'chrf');
  const fits = fitLawsByLanguage(points, { context: 'laboratory scaling series' });
  return { points, fits, laws: labLaws(fits, labAvailablePairs(s), s.labLanguages) };
}

/** One method's allocation of the budget, in whole pairs, and the mean score its laws predict for them. */
export interface LabAllocation {
  method: AllocationMethod;
  allocation: Allocation;
  /** Whole pairs per language (they sum to the pairs the allocation uses). */
  pairs: Record<string, number>;
  /** The law's translation score at those pairs, per language. */
  predicted: Record<string, number>;
  /** Mean of `predicted` over the languages. */
  predictedMean: number;
}

/** The allocation of `budget` by each method under `laws`, caps rounded down (whole pairs; see {@link LabAllocation}). */
export function labAllocations(laws: readonly AllocationLaw[], budget: number, methods: readonly string[]): LabAllocation[] {
  // pairs are whole: so are the caps, so that the rounded shares sum to what each method uses
  const whole = laws.map((l) => ({ ...l, max: Math.floor(l.max) }));
  return methods.map((method) => {
    if (!isAllocationMethod(method)) throw new RangeError(`allocation method "${method}" is unknown`);
    const allocation = allocateBy(method, whole, budget);
    const pairs = wholePairs(allocation, whole);
    const predicted = Object.fromEntries(whole.map((l) => [l.language, pairs[l.language]! > 0 ? lawScore(l, pairs[l.language]!) : -Infinity]));
    const values = Object.values(predicted);
    return { method, allocation, pairs, predicted, predictedMean: values.reduce((a, b) => a + b, 0) / values.length };
  });
}

export interface MultilingualPlan {
  /** Figure 3's arms, then one arm per allocation. */
  arms: Arm[];
  /** Every distinct spec once, the longest runs first (so that the pool's workers finish together). */
  all: TuneSpec[];
}

/** Notebook 05's runs for a preset's settings and the allocations to train (none: Figure 3 only). */
export function multilingualPlan(s: Settings, allocations: readonly LabAllocation[] = []): MultilingualPlan {
  const seeds = labSeeds(s);
  const langs = s.labLanguages;
  const perLang = (condition: 'en-only' | 'bilingual+translation') => langs.flatMap((lang) => seeds.map((seed) => tuneSpecFromSettings(s, { lang, condition, seed })));
  const multi = (seed: number, o: { steps?: number; pairs?: Record<string, number> } = {}) =>
    tuneSpecFromSettings(s, { lang: ALL_LANGUAGES, condition: 'multilingual', seed, ...(o.steps ? { steps: o.steps } : {}), ...(o.pairs ? { translationPairs: o.pairs } : {}) });
  const summedSteps = Math.max(1, s.tuneSteps) * langs.length;
  const arms: Arm[] = [
    { id: 'en-only', label: 'English-only baseline, one model per language', specs: perLang('en-only') },
    { id: 'bilingual+translation', label: 'bilingual recipe, one model per language', specs: perLang('bilingual+translation') },
    { id: 'multilingual', label: `one model for ${langs.join(', ')}, ${Math.max(1, s.tuneSteps)} steps (a bilingual run's)`, specs: seeds.map((seed) => multi(seed)) },
    {
      id: 'multilingual-summed',
      label: `one model for ${langs.join(', ')}, ${summedSteps} steps (the bilingual runs' sum)`,
      specs: Array.from({ length: s.labSummedSeeds }, (_, i) => multi(s.seed + i, { steps: summedSteps })),
    },
    ...allocations.map((a) => ({
      id: allocationArmId(a.method),
      label: `one model, ${a.method} allocation of ${s.allocationBudget} pairs (${Object.entries(a.pairs).map(([l, n]) => `${l} ${n}`).join(', ')})`,
      specs: seeds.map((seed) => multi(seed, { pairs: a.pairs })),
    })),
  ];
  const seen = new Map<string, TuneSpec>();
  for (const arm of arms) for (const spec of arm.specs) seen.set(configHash(spec), spec);
  const all = [...seen.values()].sort((a, b) => b.train.steps - a.train.steps);
  return { arms, all };
}

/** What {@link runMultilingual} returns: each arm's results in its specs' order. */
export interface MultilingualResults {
  arms: Record<string, ExperimentResult<TuneSpec>[]>;
  trained: number;
  seconds: number;
}

/** Trains (or reuses) every run of a plan in one pool and hands the results back by arm; every run must finish. */
export async function runMultilingual(plan: MultilingualPlan, o: PoolOptions): Promise<MultilingualResults> {
  const pool = await runTunePool(plan.all, o);
  if (pool.missing.length) throw new Error(`runMultilingual: ${pool.missing.length} of ${plan.all.length} runs did not start before the deadline`);
  const byKey = new Map(plan.all.map((spec, i) => [configHash(spec), pool.results[i]!]));
  const arms = Object.fromEntries(plan.arms.map((arm) => [arm.id, arm.specs.map((spec) => byKey.get(configHash(spec))!)]));
  return { arms, trained: pool.trained, seconds: pool.seconds };
}
