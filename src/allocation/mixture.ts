/**
 * From an allocation to training data (Section 3.3, last step): the optimum of the
 * budgeted allocation computed for the real corpus that `xalign data build` makes
 * (each language capped at the pairs it really has), and the instruction mixture that
 * holds those pairs as translation instructions plus every Alpaca record present
 * (src/data/mixture.ts). Serves notebook 04 ("Writing the mixture").
 */

import type { Pair } from '../data/parallel';
import type { AlpacaRecord } from '../data/records';
import { type Dataset, loadInstructions, loadTranslation } from '../data/registry';
import { buildMixture, type MixtureManifest } from '../data/mixture';
import { allocateOptimal, type OptimalAllocation } from './optimal';
import type { AllocationLaw } from './problem';

export interface CorpusMixtureOptions {
  /** Datasets by name, as `localRegistry()` finds them. */
  registry: ReadonlyMap<string, Dataset>;
  /** The budget as a share of all the pairs the languages have, in (0, 1]; rounded to whole pairs. */
  budgetShare: number;
  /** Seed of the mixture's shuffle. */
  seed: number;
}

/** The optimal mixture of the real corpus and what it was computed from. */
export interface CorpusMixture {
  /** The laws of the languages the corpus has, each capped (`max`) at its pairs. */
  laws: AllocationLaw[];
  /** Train pairs of each of those languages (`translation_xalign_en-XX`). */
  pairs: Record<string, Pair[]>;
  /** The budget in pairs. */
  budget: number;
  /** The optimal allocation of the budget under `laws`. */
  plan: OptimalAllocation;
  /** Instruction records found per language (`alpaca_XX`, English included), all of them used. */
  instructions: Record<string, AlpacaRecord[]>;
  /** The mixture: each language's first allocated pairs as translation records, plus the instructions, shuffled. */
  mixture: { records: AlpacaRecord[]; manifest: MixtureManifest };
}

/**
 * Allocates `budgetShare` of the built corpus's train pairs optimally under `laws`, each
 * language capped at the pairs it has, and builds the mixture of that allocation.
 * Languages of `laws` the corpus lacks are left out; undefined when it has none of them.
 */
export function corpusMixture(laws: readonly AllocationLaw[], options: CorpusMixtureOptions): CorpusMixture | undefined {
  const { registry } = options;
  const have = laws.filter((l) => registry.has(`translation_xalign_en-${l.language}`));
  if (have.length === 0) return undefined;
  const pairs = Object.fromEntries(have.map((l) => [l.language, loadTranslation(registry.get(`translation_xalign_en-${l.language}`)!)]));
  const capped = have.map((l) => ({ ...l, max: pairs[l.language]!.length }));
  const budget = Math.round(options.budgetShare * capped.reduce((t, l) => t + l.max, 0));
  const plan = allocateOptimal(capped, budget);
  const instructions = Object.fromEntries(
    ['en', ...have.map((l) => l.language)].filter((l) => registry.has(`alpaca_${l}`)).map((l) => [l, loadInstructions(registry.get(`alpaca_${l}`)!)]),
  );
  const mixture = buildMixture({
    languages: plan.languages,
    translation: pairs,
    translationSizes: plan,
    instructions,
    instructionSizes: Object.fromEntries(Object.entries(instructions).map(([l, r]) => [l, r.length])),
    seed: options.seed,
  });
  return { laws: capped, pairs, budget, plan, instructions, mixture };
}
