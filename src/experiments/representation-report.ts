/**
 * Notebook 06's analysis (paper Section 6, Figure 4 and Table 4): the alignment
 * measures of src/representations per model and layer, pooled over seeds, the answer
 * consistency of each tuned model, the comparisons behind claims 8 and 9, and the
 * figures. Models come in as {@link RepresentedModel}s (an arm, a seed, the states of
 * ./representations.ts and, for tuned models, the consistency and the stored result).
 */

import { ALIGNMENT_MEASURES, alignmentContrast, type AlignmentMeasure, type Interval } from '../representations/align';
import { CONSISTENCY_METRICS, consistencyInterval, type ConsistencyMetric, poolStats } from '../representations/consistency';
import { type Projection, project2d, stackRows } from '../representations/project';
import { bandFigure, type Figure, scatterGridFigure } from '../viz/plot';
import { compareRuns, type ConditionComparison } from './compare';
import { CONSISTENCY_TASKS, type LayerStates, type ModelConsistency } from './representations';
import type { TuneSpec } from './spec';
import type { ExperimentResult } from './store';
import { type ClaimVerdict, consistencyVerdict, type ConsistencyEvidence, representationVerdict, type RepresentationEvidence } from './verdict';

/** The aligned model of claims 8 and 9 (the paper's recipe) and the baseline it is set against. */
export const ALIGNED_ARM = 'bilingual+translation';
export const BASELINE_ARM = 'en-only';

/** One model's measurements. */
export interface RepresentedModel {
  /** 'base', a condition ('en-only', 'bilingual', 'bilingual+translation') or 'multilingual'. */
  arm: string;
  seed: number;
  states: LayerStates;
  /** Tuned models only. */
  consistency?: ModelConsistency;
  result?: ExperimentResult<TuneSpec>;
}

export interface LayerMeasureRow {
  arm: string;
  layer: number;
  measure: AlignmentMeasure;
  /** Mean over the arm's seeds, with a 95% interval over sentences (bootstrap; jackknife for CKA and the centroid distance). */
  value: number;
  lower: number;
  upper: number;
  seeds: number;
}

export interface ConsistencyRow {
  arm: string;
  task: string;
  metric: ConsistencyMetric;
  /** Over the records pooled across the arm's seeds, with a 95% bootstrap interval over records. */
  value: number;
  lower: number;
  upper: number;
  seeds: number;
}

export interface RepresentationAnalysis {
  lang: string;
  arms: string[];
  /** Hidden states per model (blocks + 1): the embeddings, the output of each block but the last, the last block's output after the final norm. */
  layers: number;
  measures: LayerMeasureRow[];
  consistency: ConsistencyRow[];
  claim8: RepresentationEvidence;
  claim9: ConsistencyEvidence;
  /** sameValueAny and chrf comparisons (each rewards an X answer written in English): reported beside claim 9, not judged. */
  reported: ConditionComparison[];
  verdicts: ClaimVerdict[];
}

/** The middle hidden states of a model with `layers` states: all but the first (embeddings) and the last (final norm). */
export function middleLayers(layers: number): number[] {
  return Array.from({ length: Math.max(0, layers - 2) }, (_, i) => i + 1);
}

const pairsOf = (models: readonly RepresentedModel[], layer: number) => models.map((m) => [m.states.english[layer]!, m.states.other[layer]!] as const);

/** A model's consistency as a tune result (its metrics and per-record statistics), for the paired tests of compare.ts. */
function asResult(m: RepresentedModel): ExperimentResult<TuneSpec> {
  if (!m.result || !m.consistency) throw new RangeError(`${m.arm} seed ${m.seed}: a tuned model needs its result and consistency`);
  return { ...m.result, metrics: m.consistency.metrics, extra: { segments: m.consistency.segments } };
}

/** Everything notebook 06 reports for one language (see the module comment). */
export function analyseRepresentations(models: readonly RepresentedModel[], o: { lang: string; samples: number; seed: number }): RepresentationAnalysis {
  if (models.length === 0) throw new RangeError('analyseRepresentations: no models');
  const arms = [...new Set(models.map((m) => m.arm))];
  const layers = models[0]!.states.english.length;
  for (const m of models) if (m.states.english.length !== layers) throw new RangeError(`${m.arm} seed ${m.seed}: ${m.states.english.length} layers, others ${layers}`);
  const of = (arm: string) => models.filter((m) => m.arm === arm);
  const measures: LayerMeasureRow[] = arms.flatMap((arm) =>
    Array.from({ length: layers }, (_, layer) => {
      const c = alignmentContrast(pairsOf(of(arm), layer), [], ALIGNMENT_MEASURES, { samples: o.samples, seed: o.seed });
      return ALIGNMENT_MEASURES.map((measure) => ({ arm, layer, measure, value: c[measure].value, lower: c[measure].lower, upper: c[measure].upper, seeds: of(arm).length }));
    }).flat(),
  );
  const consistency: ConsistencyRow[] = arms.flatMap((arm) => {
    const ms = of(arm).filter((m) => m.consistency);
    if (ms.length === 0) return [];
    return CONSISTENCY_TASKS.flatMap((task) =>
      CONSISTENCY_METRICS.map((metric) => {
        const i: Interval = consistencyInterval(metric, poolStats(ms.map((m) => m.consistency!.segments[task]![o.lang]![metric])), { samples: o.samples, seed: o.seed });
        return { arm, task, metric, ...i, seeds: ms.length };
      }),
    );
  });
  // claim 8: the seeds both models ran, at the middle layers
  const [aligned, baseline] = [of(ALIGNED_ARM), of(BASELINE_ARM)];
  const seeds = aligned.map((m) => m.seed).filter((s) => baseline.some((b) => b.seed === s));
  const mids = middleLayers(layers);
  const paired = (ms: readonly RepresentedModel[]) => ms.filter((m) => seeds.includes(m.seed));
  const contrast = seeds.length && mids.length
    ? alignmentContrast(mids.flatMap((l) => pairsOf(paired(aligned), l)), mids.flatMap((l) => pairsOf(paired(baseline), l)), ['top1', 'centroidDistance'], { samples: o.samples, seed: o.seed })
    : null;
  const nan: Interval = { value: NaN, lower: NaN, upper: NaN };
  const claim8: RepresentationEvidence = { lang: o.lang, middleLayers: mids, pairedSeeds: seeds.length, top1: contrast?.top1 ?? nan, centroidDistance: contrast?.centroidDistance ?? nan };
  // claim 9: agreement of the aligned model against the English-only one
  const tuned = (ms: readonly RepresentedModel[]) => ms.filter((m) => m.consistency && m.result).map(asResult);
  const compare = (metric: ConsistencyMetric) =>
    tuned(aligned).length && tuned(baseline).length
      ? CONSISTENCY_TASKS.map((task) => compareRuns(tuned(baseline), tuned(aligned), { lang: o.lang, task, metric, a: BASELINE_ARM, b: ALIGNED_ARM, evalLang: o.lang, samples: o.samples, seed: o.seed }))
      : [];
  const claim9: ConsistencyEvidence = { lang: o.lang, comparisons: compare('sameValue') };
  return {
    lang: o.lang, arms, layers, measures, consistency, claim8, claim9, reported: [...compare('sameValueAny'), ...compare('chrf')],
    verdicts: [representationVerdict(claim8), consistencyVerdict(claim9)],
  };
}

/** One alignment measure across layers, a line per arm with its 95% band. */
export function layerMeasureFigure(a: RepresentationAnalysis, measure: AlignmentMeasure, o: { title: string; names?: Readonly<Record<string, string>> }): Figure {
  const x = Array.from({ length: a.layers }, (_, i) => i);
  const row = (arm: string, layer: number) => a.measures.find((r) => r.arm === arm && r.layer === layer && r.measure === measure)!;
  return bandFigure(x, a.arms.map((arm) => ({
    name: o.names?.[arm] ?? arm,
    y: x.map((l) => row(arm, l).value),
    lower: x.map((l) => row(arm, l).lower),
    upper: x.map((l) => row(arm, l).upper),
  })), { title: o.title, xTitle: `hidden state (0 = embeddings, ${a.layers - 1} = final norm)`, yTitle: measure });
}

/**
 * Figure 4 as small multiples: for each arm (rows) and each of `layers` (columns), the
 * English and X states of one model (the arm's first seed) mapped to two dimensions by
 * `method`, English and X in two colours.
 */
export function projectionFigure(models: readonly RepresentedModel[], o: { arms: readonly string[]; layers: readonly number[]; lang: string; method: Projection; seed: number; title: string; names?: Readonly<Record<string, string>> }): Figure {
  const panels = o.arms.flatMap((arm) => {
    const m = models.filter((x) => x.arm === arm).sort((p, q) => p.seed - q.seed)[0];
    if (!m) return [];
    return o.layers.map((layer) => {
      const [e, x] = [m.states.english[layer]!, m.states.other[layer]!];
      const p = project2d(stackRows(e, x), o.method, { seed: o.seed });
      return {
        title: `${o.names?.[arm] ?? arm}, state ${layer}`,
        groups: [
          { name: 'English', x: p.x.slice(0, e.rows), y: p.y.slice(0, e.rows) },
          { name: o.lang, x: p.x.slice(e.rows), y: p.y.slice(e.rows) },
        ],
      };
    });
  });
  return scatterGridFigure(panels, { title: o.title, columns: o.layers.length });
}
