/**
 * What notebook 02 trains (paper Sections 3.1-3.2, Table 2 and Figure 2 in miniature),
 * as one list of tuning specs for one pool:
 * - the paired grid: every condition and every seed in `labGridLanguages` (Table 2,
 *   claims 1 and 2, with intervals and paired tests);
 * - the scaling series: the recipe at each of `scalingPairs` in every `labLanguages`
 *   (Figure 2, claims 3 and 4), one seed;
 * - one recipe run on the real corpus in the first grid language, when it is built.
 * A spec listed twice (the grid's recipe at the default pairs is also a scaling point)
 * is trained once by the pool.
 */

import type { Settings } from '../config/presets';
import { CONDITIONS, tuneSpecFromSettings, type TuneSpec } from './runner';
import { scalingSpecs } from './scaling';

export interface LabPlan {
  grid: TuneSpec[];
  scaling: TuneSpec[];
  real: TuneSpec | null;
  /** Why there is no real-data run, when there is none. */
  realSkipped?: string;
  /** grid, then scaling, then real: the pool's order. */
  all: TuneSpec[];
}

/** The seeds of the paired grid: `seeds` consecutive seeds from `seed`. */
export function labSeeds(s: Settings): number[] {
  return Array.from({ length: s.seeds }, (_, i) => s.seed + i);
}

/** Notebook 02's runs for a preset's settings; a grid language outside labLanguages, or a lab language outside languages, is an error naming it. */
export function labPlan(s: Settings): LabPlan {
  for (const l of s.labLanguages) if (!s.languages.includes(l)) throw new RangeError(`setting labLanguages: "${l}" is not among languages (${s.languages.join(', ')})`);
  for (const l of s.labGridLanguages) if (!s.labLanguages.includes(l)) throw new RangeError(`setting labGridLanguages: "${l}" is not among labLanguages (${s.labLanguages.join(', ')})`);
  if (s.labGridLanguages.length === 0) throw new RangeError('setting labGridLanguages: at least one language is needed for the paired grid');
  const grid = s.labGridLanguages.flatMap((lang) => labSeeds(s).flatMap((seed) => CONDITIONS.map((condition) => tuneSpecFromSettings(s, { lang, condition, seed }))));
  const scaling = scalingSpecs(s, s.labLanguages);
  let real: TuneSpec | null = null;
  let realSkipped: string | undefined;
  try {
    real = tuneSpecFromSettings(s, { lang: s.labGridLanguages[0]!, condition: 'bilingual+translation', seed: s.seed, real: true });
  } catch (e) {
    realSkipped = (e as Error).message;
  }
  return { grid, scaling, real, ...(realSkipped ? { realSkipped } : {}), all: [...grid, ...scaling, ...(real ? [real] : [])] };
}
