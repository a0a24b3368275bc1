/**
 * A new language of the miniature world, end to end (notebook 08 and `xalign explore`):
 * a user's {@link LanguageSpec}, which the base model never saw in pre-training, taken
 * through the laboratory's whole chain:
 *
 * 1. gamma from the base model's representations (src/experiments/gamma.ts), beside the
 *    lab languages';
 * 2. a scaling series: the recipe (bilingual instructions and X translation pairs) at
 *    each of `scalingPairs` pair counts, one seed;
 * 3. the law S = 100 - alpha (gamma X)^-beta fitted to its translation chrF, with the
 *    intervals of its parameters;
 * 4. the pairs it needs for a target chrF, with the range the fit's band gives;
 * 5. its share of a pair budget shared with the lab languages (their laws from the same
 *    runs notebook 02 trains: reused from the store when it has them), by the uniform
 *    split and the optimum.
 */

import { type AllocationLaw } from '../allocation';
import type { Settings } from '../config/presets';
import { dataForTarget, fitScalingLaw, type LawFit } from '../scaling/fit';
import { lawScore, type ScalingPoint } from '../scaling/law';
import type { LanguageSpec } from '../world/languages';
import { measureSimilarity, structuralDistance } from '../world/similarity';
import { buildWorld, worldOptionsFromSettings } from '../world/world';
import { runPretrain } from './base';
import { modelGammas } from './gamma';
import { labAllocations, measuredLaws } from './multilingual';
import { type PoolOptions, runTunePool } from './pool';
import { scalingPoints, scalingSpecs } from './scaling';
import { baseSpecFromSettings, tuneSpecFromSettings, type TuneSpec } from './spec';

/** The recipe's scaling series for a language of the user's own: one run per pair count, at `seed`. */
export function languageSeriesSpecs(s: Settings, language: LanguageSpec, sizes: readonly number[] = s.scalingPairs, seed = s.seed): TuneSpec[] {
  return sizes.map((pairs) => tuneSpecFromSettings(s, { lang: language.code, language, condition: 'bilingual+translation', seed, translationPairs: pairs }));
}

/** Every run the chain needs, in the pool's order: the new language's series, then the lab languages' (notebook 02's). */
export function exploreSpecs(s: Settings, language: LanguageSpec): TuneSpec[] {
  return [...languageSeriesSpecs(s, language), ...scalingSpecs(s, s.labLanguages)];
}

export interface ExploreOptions extends Omit<PoolOptions, 'baseDir'> {
  /** The base-model folder (a committed checkpoint) when its manifest matches the preset. */
  baseDir?: string;
  /** Target translation chrF (default: the mean the lab languages' laws give at `worldTranslationPairs`). */
  target?: number;
  /** Pair budget to share (default: `allocationBudget` plus `worldTranslationPairs` for the new language). */
  budget?: number;
  /** Pairs the new language has (its cap X^max; default `worldTranslationPairs`, the least-resourced lab language's). */
  available?: number;
}

/** Everything the chain measured, JSON-ready (the fit's functions left out). */
export interface Exploration {
  language: LanguageSpec;
  /** The transduced text's read-outs: shared tokens, word-order distance, structural distance (src/world/similarity.ts). */
  surface: { sharedTokens: number; orderDistance: number; structural: number };
  /** gamma per language from the base model: the new language and the lab languages. */
  gamma: Record<string, number>;
  /** The new language's series: pairs, chrF. */
  points: ScalingPoint[];
  law: { alpha: number; beta: number; gamma: number; r2: number; n: number; alphaInterval: [number, number]; betaInterval: [number, number]; level: number };
  /** The lab languages' laws and the new one, capped at the pairs each has. */
  laws: AllocationLaw[];
  target: { score: number; source: string; pairs: number; lo: number; hi: number };
  budget: number;
  /** Pairs per language by each method (uniform, optimal), and the new language's share of the budget. */
  allocations: { method: string; pairs: Record<string, number>; predictedMean: number; share: number }[];
  /** Runs trained now, the new language's and any lab run the store lacked (the others were reused). */
  trained: number;
  seconds: number;
}

/** The whole chain for `language` (see the module comment); trains what the store lacks in one pool. */
export async function exploreWorldLanguage(
  s: Settings,
  language: LanguageSpec,
  o: ExploreOptions,
): Promise<{ exploration: Exploration; fits: Map<string, LawFit>; points: ScalingPoint[] }> {
  const t0 = performance.now();
  if (s.languages.includes(language.code)) throw new RangeError(`explore: "${language.code}" is one of the preset's languages; give your language another code`);
  const base = await runPretrain(baseSpecFromSettings(s), { store: o.store, preset: o.preset, backend: o.backend, ...(o.baseDir ? { baseDir: o.baseDir } : {}), log: o.log });
  const world = buildWorld(worldOptionsFromSettings(s), [language]);
  const gamma = await modelGammas(base.modelDir, world, [...s.labLanguages, language.code]);
  const specs = exploreSpecs(s, language);
  const own = specs.filter((spec) => spec.lang === language.code);
  const pool = await runTunePool(specs, o);
  if (pool.missing.length) throw new Error(`explore: ${pool.missing.length} of ${specs.length} runs did not start before the deadline`);
  const lab = measuredLaws(pool.results.slice(own.length), gamma, s);
  const points = scalingPoints(pool.results.slice(0, own.length), gamma, 'translation', 'chrf');
  const fit = fitScalingLaw(points, { context: `scaling series of ${language.code}` });
  const available = o.available ?? s.worldTranslationPairs;
  const laws: AllocationLaw[] = [...lab.laws, { language: language.code, alpha: fit.alpha, beta: fit.beta, gamma: fit.gamma, max: available }];
  const labTarget = lab.laws.reduce((a, l) => a + lawScore(l, s.worldTranslationPairs), 0) / lab.laws.length;
  const score = o.target ?? labTarget;
  const need = dataForTarget(fit, score);
  const budget = o.budget ?? s.allocationBudget + s.worldTranslationPairs;
  const allocations = labAllocations(laws, budget, ['uniform', 'optimal']);
  // the knobs' read-outs on the English side of translation pairs (never the model)
  const measured = measureSimilarity(world.transducers.get(language.code)!, world.examples('translation', language.code, 'train', 200).map((r) => r.input));
  const exploration: Exploration = {
    language,
    surface: { sharedTokens: measured.sharedTokenShare, orderDistance: measured.orderDistance, structural: structuralDistance(language) },
    gamma,
    points,
    law: { alpha: fit.alpha, beta: fit.beta, gamma: fit.gamma, r2: fit.r2, n: fit.n, alphaInterval: fit.alphaInterval, betaInterval: fit.betaInterval, level: fit.level },
    laws,
    target: { score, source: o.target !== undefined ? 'given' : `the lab languages' laws at ${s.worldTranslationPairs} pairs (mean)`, pairs: need.x, lo: need.lo, hi: need.hi },
    budget,
    allocations: allocations.map((a) => ({ method: a.method, pairs: a.pairs, predictedMean: a.predictedMean, share: a.pairs[language.code]! / budget })),
    trained: pool.trained,
    seconds: (performance.now() - t0) / 1000,
  };
  // every language's points and fit, the new one last (for one figure)
  const fits = new Map([...lab.fits, [language.code, fit]]);
  return { exploration, fits, points: [...lab.points, ...points] };
}
