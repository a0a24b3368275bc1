/**
 * What a preset costs to train before it is trained: every run the laboratory notebooks
 * start (the base model, 02's grid and series, 05's arms, 06's grid, 07's ablations and
 * the other family's grid, 08's series of a language of your own), each counted once
 * across notebooks as the results store trains it once, in token slots (optimiser steps
 * x rows x row length: padding costs compute too) and in floating-point operations. With a measured training speed it
 * becomes hours (`xalign plan`, docs/speed.md). Evaluation is left out: in the recorded
 * classroom runs it took a few percent of a run's time.
 */

import { CAP_ONLY_METHODS } from '../allocation';
import type { Settings } from '../config/presets';
import { modelConfig, type ModelConfig, parameterCount, trainFlopsPerStep } from '../model/config';
import type { LanguageSpec } from '../world/languages';
import { ablationSpecs, familyGridSpecs, otherFamily } from './ablations';
import { baseSpecFromSettings, type BaseSpec, type TuneSpec, upgradeTuneSpec } from './spec';
import { exploreSpecs } from './explore';
import { labAvailablePairs, labAllocations, multilingualPlan, type MultilingualPlan } from './multilingual';
import { labPlan, labSeeds } from './plan';
import { scalingSpecs } from './scaling';
import { configHash, type ExperimentResult } from './store';

/** The training a run (or a group of runs) asks for. */
export interface Work {
  runs: number;
  /** Optimiser steps, continued pre-training included. */
  steps: number;
  /** Token slots: steps x rows x row length. */
  tokens: number;
  /** Training floating-point operations ({@link trainFlopsPerStep}). */
  flops: number;
}

/** One notebook's share of a preset's training: its new runs (those no earlier part lists). */
export interface CostPart extends Work {
  /** The notebook (or `base`) and what it trains. */
  part: string;
  /** Runs the notebook starts, new or not. */
  listed: number;
  /** The new runs still to train: not in the results store (for the base: not committed either). */
  todo: Work;
  /** Caveats: runs left out, counts that are bounds. */
  notes: string[];
}

export interface PresetCost {
  model: ModelConfig & { parameters: number };
  parts: CostPart[];
  /** The parts summed. */
  total: Work;
  /** The parts' `todo` summed: what is still to train. */
  todo: Work;
}

/** Where a cost can find work already done; both optional (nothing is done without them). */
export interface CostContext {
  /** True when this base spec needs no pre-training (committed checkpoint or stored run). */
  baseReady?: (spec: BaseSpec) => boolean;
  /** True when this tune spec's result is already stored. */
  stored?: (spec: TuneSpec) => boolean;
  /** Notebook 08's language of your own (absent: its part is left out). */
  language?: LanguageSpec;
}

/** The model a base spec builds (vocabulary: the BPE vocabulary it trains). */
export function baseModelConfig(spec: BaseSpec): ModelConfig {
  return modelConfig({ ...spec.model, vocabSize: spec.tokenizer.vocabSize });
}

/** The model a preset trains and its tuning batch (rows x row length): what `xalign bench train --preset` and `xalign plan --measure` time. */
export function tuningShape(s: Settings): { model: ModelConfig; batch: number; seqLen: number } {
  return { model: baseModelConfig(baseSpecFromSettings(s)), batch: s.tuneBatchSize, seqLen: s.tuneSeqLen };
}

/** Steps, token slots and operations of one tuning run (its continued pre-training included). */
export function tuneWork(spec: TuneSpec): Work {
  const steps = spec.train.steps + (spec.data.continued?.steps ?? 0);
  const tokens = steps * spec.train.batchSize * spec.train.seqLen;
  return { runs: 1, steps, tokens, flops: trainFlopsPerStep(baseModelConfig(spec.base), tokens, spec.train.seqLen) };
}

/** Steps, token slots and operations of pre-training a base model. */
export function pretrainWork(spec: BaseSpec): Work {
  const tokens = spec.train.steps * spec.train.batchSize * spec.train.seqLen;
  return { runs: 1, steps: spec.train.steps, tokens, flops: trainFlopsPerStep(baseModelConfig(spec), tokens, spec.train.seqLen) };
}

const add = (a: Work, b: Work): Work => ({ runs: a.runs + b.runs, steps: a.steps + b.steps, tokens: a.tokens + b.tokens, flops: a.flops + b.flops });
const NONE: Work = { runs: 0, steps: 0, tokens: 0, flops: 0 };

/**
 * Notebook 05's allocation arms before the laws are fitted: a method whose split needs
 * only the caps (uniform, proportional, ...) is allocated here exactly, so an arm that
 * equals another (the uniform split of a budget of `worldTranslationPairs` per language
 * is Figure 3's multilingual model) is counted once; a method that needs the laws
 * (optimal) is counted as runs of its own, an upper bound.
 */
function allocationRuns(s: Settings, multi: MultilingualPlan): { exact: TuneSpec[]; lawMethods: string[]; lawWork: Work } {
  const available = labAvailablePairs(s);
  // the caps alone decide these methods: the law's parameters are never read
  const caps = s.labLanguages.map((language) => ({ language, alpha: 1, beta: 1, gamma: 1, max: available[language]! }));
  const capOnly = s.allocationMethods.filter((m) => CAP_ONLY_METHODS.includes(m));
  const lawMethods = s.allocationMethods.filter((m) => !CAP_ONLY_METHODS.includes(m));
  const exact = multilingualPlan(s, labAllocations(caps, s.allocationBudget, capOnly)).arms.filter((a) => a.id.startsWith('allocation:')).flatMap((a) => a.specs);
  // each law method trains one multilingual model of tuneSteps per seed
  const one = tuneWork(multi.arms.find((a) => a.id === 'multilingual')!.specs[0]!);
  const runs = lawMethods.length * labSeeds(s).length;
  return { exact, lawMethods, lawWork: { runs, steps: one.steps * runs, tokens: one.tokens * runs, flops: one.flops * runs } };
}

/** The training every laboratory notebook of a preset asks for, each run counted once (see the module comment). */
export function presetCost(s: Settings, ctx: CostContext = {}): PresetCost {
  const seen = new Set<string>();
  const parts: CostPart[] = [];
  const part = (name: string, specs: readonly TuneSpec[], notes: string[] = [], unnamed: Work = NONE): void => {
    let work = NONE;
    let todo = NONE;
    for (const spec of specs) {
      const hash = configHash(spec);
      if (seen.has(hash)) continue;
      seen.add(hash);
      const w = tuneWork(spec);
      work = add(work, w);
      if (!ctx.stored?.(spec)) todo = add(todo, w);
    }
    // runs that cannot be named before others have run are counted and still to train
    parts.push({ part: name, listed: specs.length + unnamed.runs, notes, ...add(work, unnamed), todo: add(todo, unnamed) });
  };
  const base = baseSpecFromSettings(s);
  const baseReady = ctx.baseReady?.(base) ?? false;
  const pre = pretrainWork(base);
  parts.push({ part: 'base model (pre-training)', listed: 1, notes: baseReady ? ['committed or stored: not trained again'] : [], ...pre, todo: baseReady ? NONE : pre });

  const lab = labPlan(s);
  part('02 bilingual grid, scaling series', lab.all, lab.realSkipped ? [`no real-corpus run: ${lab.realSkipped}`] : []);
  const multi = multilingualPlan(s);
  const alloc = allocationRuns(s, multi);
  part('05 multilingual arms, allocations', [...scalingSpecs(s, s.labLanguages), ...multi.all, ...alloc.exact],
    alloc.lawMethods.length ? [`${alloc.lawMethods.join(', ')}: counted as runs of their own (the split needs notebook 02's fitted laws)`] : [], alloc.lawWork);
  part('06 grid measured', lab.grid.filter((x) => x.lang === s.labGridLanguages[0]));
  const other = otherFamily(s);
  const otherReady = ctx.baseReady?.(baseSpecFromSettings(other)) ?? false;
  part('07 ablations, other family', [...ablationSpecs(s), ...(otherReady ? familyGridSpecs(other) : [])],
    otherReady ? [] : [`no ${other.modelFamily} base ready: its grid is left out, as notebook 07 leaves it`]);
  if (ctx.language) part(`08 new language (${ctx.language.code})`, exploreSpecs(s, ctx.language));

  const cfg = baseModelConfig(base);
  return { model: { ...cfg, parameters: parameterCount(cfg) }, parts, total: parts.reduce(add, NONE), todo: parts.map((p) => p.todo).reduce(add, NONE) };
}

/** The speed finished runs kept, wall time per run (evaluation included): what the rest of a results store will take. */
export interface StoreSpeed {
  /** Token slots per second of one process, over the runs counted. */
  tokensPerSec: number;
  /** Runs counted: tuning runs trained start to end in one process. */
  runs: number;
  /** Runs left out: resumed after an interruption (their time covers a part) or trained by a twin (no time of their own). */
  skipped: number;
}

/** {@link StoreSpeed} of a store's tuning results, or null when none can be counted. */
export function storeSpeed(results: readonly ExperimentResult[]): StoreSpeed | null {
  let tokens = 0;
  let seconds = 0;
  let runs = 0;
  let skipped = 0;
  for (const r of results) {
    if (r.kind !== 'tune') continue;
    if (r.training.resumedFrom !== undefined || r.extra?.trainedBy !== undefined || !(r.training.seconds > 0)) {
      skipped++;
      continue;
    }
    tokens += tuneWork(upgradeTuneSpec(r.spec as TuneSpec)).tokens;
    seconds += r.training.seconds;
    runs++;
  }
  return runs ? { tokensPerSec: tokens / seconds, runs, skipped } : null;
}
