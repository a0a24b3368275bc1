/**
 * Notebook 05's analysis of its arms (src/experiments/multilingual.ts) in one place:
 * Figure 3's scores per language and arm with intervals, English retention, the
 * Table 3 comparison of allocations (measured against predicted) and the verdicts on
 * claims 5-7 (src/experiments/verdict.ts).
 */

import type { AllocationLaw } from '../allocation';
import { barFigure, type Figure } from '../viz/plot';
import { compareRuns, type ConditionComparison, seedSummary, type SeedSummary } from './compare';
import { ALL_LANGUAGES } from './conditions';
import type { Settings } from '../config/presets';
import { allocationArmId, labAllocations, type LabAllocation, measuredLaws, multilingualPlan } from './multilingual';
import type { TuneSpec } from './spec';
import { configHash, type ExperimentResult } from './store';
import {
  allocationEvidence, type AllocationEvidence, allocationVerdict, type ClaimVerdict, multilingualVerdict, type MultilingualEvidence, steepnessEvidence,
  type SteepnessEvidence, steepnessVerdict,
} from './verdict';

/** The scores Figure 3 and the claim-5 comparisons read, in the target language. */
export const MULTILINGUAL_SCORES: readonly (readonly [string, string])[] = [['translation', 'chrf'], ['qa', 'contains'], ['knowledge', 'contains'], ['summarization', 'rougeL']];
/** The zero-shot scores (every score but translation). */
export const ZERO_SHOT_SCORES = MULTILINGUAL_SCORES.filter(([task]) => task !== 'translation');

export interface ArmScore {
  lang: string;
  task: string;
  metric: string;
  arm: string;
  summary: SeedSummary;
}

export interface Table3Row {
  method: string;
  lang: string;
  pairs: number;
  /** The law's score at `pairs`. */
  predicted: number;
  /** Measured translation score over seeds. */
  measured: SeedSummary;
}

export interface MultilingualAnalysis {
  langs: string[];
  /** Every arm's score per language and score (Figure 3; arms without results left out). */
  scores: ArmScore[];
  /** English scores of the English-only model and of each multilingual arm. */
  english: ArmScore[];
  /** Claim 5's evidence per multilingual arm (equal steps first). */
  claim5: MultilingualEvidence[];
  table3: Table3Row[];
  /** Each allocation method other than uniform against uniform. */
  allocation: AllocationEvidence[];
  steepness: SteepnessEvidence;
  /** Claim 5 for each multilingual arm, then claims 6 (optimal against uniform) and 7. */
  verdicts: ClaimVerdict[];
}

export interface MultilingualAnalysisOptions {
  /** The lab languages, in order. */
  langs: readonly string[];
  laws: readonly AllocationLaw[];
  allocations: readonly LabAllocation[];
  budget: number;
  samples: number;
  seed: number;
}

/** The runs of `arm` tested in `lang`: one-language arms keep that language's runs, multilingual arms all of theirs. */
function armRuns(arms: Readonly<Record<string, readonly ExperimentResult<TuneSpec>[]>>, arm: string, lang: string): ExperimentResult<TuneSpec>[] {
  return (arms[arm] ?? []).filter((r) => r.spec.lang === lang || r.spec.lang === ALL_LANGUAGES);
}

function summaryOf(runs: readonly ExperimentResult<TuneSpec>[], task: string, lang: string, metric: string): SeedSummary | null {
  const v = runs.map((r) => r.metrics[task]?.[lang]?.[metric]).filter((x): x is number => x !== undefined);
  return v.length ? seedSummary(v) : null;
}

/** The analysis of notebook 05's arms (see the module comment). */
export function analyseMultilingual(arms: Readonly<Record<string, readonly ExperimentResult<TuneSpec>[]>>, o: MultilingualAnalysisOptions): MultilingualAnalysis {
  const langs = [...o.langs];
  const cmp = (a: string, b: string, lang: string, task: string, metric: string, evalLang = lang): ConditionComparison =>
    compareRuns(armRuns(arms, a, lang), armRuns(arms, b, lang), { lang, task, metric, a, b, evalLang, samples: o.samples, seed: o.seed });
  const armIds = Object.keys(arms).filter((a) => (arms[a] ?? []).length > 0);
  const scores: ArmScore[] = langs.flatMap((lang) => MULTILINGUAL_SCORES.flatMap(([task, metric]) => armIds.flatMap((arm) => {
    const summary = summaryOf(armRuns(arms, arm, lang), task, lang, metric);
    return summary ? [{ lang, task, metric, arm, summary }] : [];
  })));
  // the English-only models of every language train on the same data: the first language's stand for all
  const englishOf = (arm: string) => (arm === 'en-only' ? armRuns(arms, arm, langs[0]!) : arms[arm] ?? []);
  const multiArms = ['multilingual', 'multilingual-summed'].filter((a) => (arms[a] ?? []).length > 0);
  const english: ArmScore[] = ['en-only', ...multiArms].flatMap((arm) => ZERO_SHOT_SCORES.flatMap(([task, metric]) => {
    const summary = summaryOf(englishOf(arm), task, 'en', metric);
    return summary ? [{ lang: 'en', task, metric, arm, summary }] : [];
  }));
  const claim5 = multiArms.map((arm): MultilingualEvidence => ({
    arm: `${arm} (${arms[arm]![0]!.spec.train.steps} steps)`,
    vsBaseline: langs.flatMap((lang) => MULTILINGUAL_SCORES.map(([task, metric]) => cmp('en-only', arm, lang, task, metric))),
    vsBilingual: langs.flatMap((lang) => MULTILINGUAL_SCORES.map(([task, metric]) => cmp('bilingual+translation', arm, lang, task, metric))),
    english: ZERO_SHOT_SCORES.map(([task, metric]) =>
      compareRuns(englishOf('en-only'), englishOf(arm), { lang: 'en', task, metric, a: 'en-only', b: arm, evalLang: 'en', samples: o.samples, seed: o.seed })),
  }));
  const table3: Table3Row[] = o.allocations.flatMap((a) => langs.map((lang) => ({
    method: a.method, lang, pairs: a.pairs[lang] ?? 0, predicted: a.predicted[lang] ?? NaN,
    measured: summaryOf(arms[allocationArmId(a.method)] ?? [], 'translation', lang, 'chrf') ?? { seeds: 0, mean: NaN, lower: null, upper: null },
  })));
  const perSeed = (method: string) => Object.fromEntries((arms[allocationArmId(method)] ?? []).map((r) => [r.spec.seed, Object.fromEntries(langs.map((l) => [l, r.metrics.translation?.[l]?.chrf ?? NaN]))]));
  const used = (method: string) => Object.values(o.allocations.find((a) => a.method === method)?.pairs ?? {}).reduce((t, n) => t + n, 0);
  const hasUniform = (arms[allocationArmId('uniform')] ?? []).length > 0;
  const allocation = hasUniform
    ? o.allocations.filter((a) => a.method !== 'uniform' && (arms[allocationArmId(a.method)] ?? []).length > 0).map((a) => {
      const [m, u] = [allocationArmId(a.method), allocationArmId('uniform')];
      return allocationEvidence(a.method, 'uniform', { [a.method]: perSeed(a.method), uniform: perSeed('uniform') },
        langs.map((lang) => cmp(u, m, lang, 'translation', 'chrf')),
        langs.flatMap((lang) => ZERO_SHOT_SCORES.map(([task, metric]) => cmp(u, m, lang, task, metric))),
        { method: used(a.method), baseline: used('uniform') });
    })
    : [];
  const steepness = steepnessEvidence(o.laws, o.budget);
  const optimal = allocation.find((e) => e.method === 'optimal');
  const verdicts: ClaimVerdict[] = [
    ...claim5.map((e) => multilingualVerdict(e)),
    optimal ? allocationVerdict(optimal) : { claim: 6, verdict: 'not assessed', reason: 'the optimal and the uniform allocation were not both trained' },
    steepnessVerdict(steepness),
  ];
  return { langs, scores, english, claim5, table3, allocation, steepness, verdicts };
}

/**
 * Figure 3 for one score: a group of bars per language, a bar per arm (in `arms`' order,
 * those with results), the mean over seeds with its 95% interval as the error bar (none
 * with one seed).
 */
export function armScoresFigure(a: MultilingualAnalysis, task: string, metric: string, arms: readonly { id: string; name: string }[], title: string): Figure {
  const of = (arm: string, lang: string) => a.scores.find((s) => s.arm === arm && s.lang === lang && s.task === task && s.metric === metric)?.summary;
  const shown = arms.filter((arm) => a.langs.some((l) => of(arm.id, l)));
  return barFigure(a.langs, shown.map((arm) => ({
    name: arm.name,
    y: a.langs.map((l) => of(arm.id, l)?.mean ?? NaN),
    errorY: a.langs.map((l) => {
      const s = of(arm.id, l);
      return s && s.upper !== null ? s.upper - s.mean : 0;
    }),
  })), { title, xTitle: 'language', yTitle: `${task} ${metric}` });
}

/**
 * Notebook 05's analysis of a recorded run (its settings, gamma and results, as
 * `readRecordedRun` gives them), by the same code as the live one: the laws from its
 * scaling series, its allocations, its arms matched by config hash. Null when it holds
 * no multilingual run.
 */
export function analyseRecordedMultilingual(rec: { settings: Settings; gamma: Readonly<Record<string, number>>; results: readonly ExperimentResult<TuneSpec>[] }): MultilingualAnalysis | null {
  const RS = rec.settings;
  if (!rec.results.some((r) => r.spec.condition === 'multilingual')) return null;
  const series = rec.results.filter((r) => r.spec.condition === 'bilingual+translation' && r.spec.seed === RS.seed && !r.spec.data.real);
  const { laws } = measuredLaws(series, rec.gamma, RS);
  const allocations = labAllocations(laws, RS.allocationBudget, RS.allocationMethods);
  const byHash = new Map(rec.results.map((r) => [r.provenance.configHash, r]));
  const arms = Object.fromEntries(multilingualPlan(RS, allocations).arms.map((a) => [a.id, a.specs.map((s) => byHash.get(configHash(s))).filter((r): r is ExperimentResult<TuneSpec> => r !== undefined)]));
  return analyseMultilingual(arms, { langs: RS.labLanguages, laws, allocations, budget: RS.allocationBudget, samples: RS.bootstrapSamples, seed: RS.seed });
}
