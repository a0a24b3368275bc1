/**
 * What notebook 02 trains (paper Sections 3.1-3.2, Table 2 and Figure 2 in miniature),
 * as one list of tuning specs for one pool:
 * - the paired grid: every condition and every seed in `labGridLanguages` (Table 2,
 *   claims 1 and 2, with intervals and paired tests);
 * - the scaling series: the recipe at each of `scalingPairs` in every `labLanguages`
 *   (Figure 2, claims 3 and 4), one seed;
 * - one recipe run on the real corpus in the first grid language, when `labRealRun` is
 *   set and the corpus is built.
 * A spec listed twice (the grid's recipe at the default pairs is also a scaling point)
 * is trained once by the pool.
 */

import type { Settings } from '../config/presets';
import { CONDITIONS } from './conditions';
import { type PoolOptions, runTunePool } from './pool';
import { targetPairs, tuneSpecFromSettings, type TuneSpec } from './spec';
import type { ExperimentResult } from './store';
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
  if (!s.labRealRun) realSkipped = 'labRealRun is false on this preset (XALIGN_SET=labRealRun=true adds it)';
  else {
    try {
      real = tuneSpecFromSettings(s, { lang: s.labGridLanguages[0]!, condition: 'bilingual+translation', seed: s.seed, real: true });
    } catch (e) {
      realSkipped = (e as Error).message;
    }
  }
  return { grid, scaling, real, ...(realSkipped ? { realSkipped } : {}), all: [...grid, ...scaling, ...(real ? [real] : [])] };
}

/** A short name of a run for progress lines: language, condition, seed and, with translation, its pairs. */
export function runLabel(s: TuneSpec): string {
  const pairs = targetPairs(s);
  const family = s.base.model.family === 'llama' ? '' : ` (${s.base.model.family})`;
  return `${s.lang} ${s.condition} seed ${s.seed}${pairs > 0 ? ` ${s.data.real ? 'real' : pairs} pairs` : ''}${family}`;
}

/** What {@link runLab} returns: each part of the plan's results, in the plan's order. */
export interface LabResults {
  grid: ExperimentResult<TuneSpec>[];
  series: ExperimentResult<TuneSpec>[];
  real: ExperimentResult<TuneSpec> | null;
  /** Runs trained now (the others were in the store). */
  trained: number;
  seconds: number;
}

/**
 * Trains (or reuses) every run of a plan in one pool, so the workers stay busy to the
 * end, and hands the results back split as the plan is. Every run must finish: a plan
 * cut short by `stopAt` is an error here (a recorded run keeps partial results instead).
 */
export async function runLab(plan: LabPlan, o: PoolOptions): Promise<LabResults> {
  const pool = await runTunePool(plan.all, o);
  if (pool.missing.length) throw new Error(`runLab: ${pool.missing.length} of ${plan.all.length} runs did not start before the deadline (first: ${runLabel(pool.missing[0]!)})`);
  const [g, n] = [plan.grid.length, plan.scaling.length];
  return { grid: pool.results.slice(0, g), series: pool.results.slice(g, g + n), real: plan.real ? pool.results[g + n]! : null, trained: pool.trained, seconds: pool.seconds };
}
