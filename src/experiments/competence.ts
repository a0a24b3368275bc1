/**
 * English competence of tuned models (notebook 02; the premise of paper Section 5.1):
 * before asking whether an ability carries over to language X, check that tuning taught
 * the ability at all, in English. Three scores of the English test sets after tuning,
 * each against a target on how well a model is trained (never on which condition wins):
 *
 * | score | metric | target |
 * |---|---|---|
 * | knowledge (held-out facts, mLAMA-like) | contains, strict | >= 70% |
 * | context QA (XQuAD-like) | contains | >= 50% |
 * | summarisation (XL-Sum-like) | ROUGE-L | >= 40 |
 *
 * beside what the base model knew before tuning: its held-out fact completion in English
 * (continuation and likelihood ranking, src/experiments/base.ts `probeFacts`).
 */

import { seedSummary, type SeedSummary } from './compare';
import { targetPairs, type TuneSpec } from './spec';
import type { ExperimentResult, MetricValues } from './store';

/** One competence score: where it is read in a tuning result's metrics, and its target. */
export interface CompetenceScore {
  task: 'knowledge' | 'qa' | 'summarization';
  metric: string;
  target: number;
  label: string;
}

export const COMPETENCE_SCORES: readonly CompetenceScore[] = [
  { task: 'knowledge', metric: 'contains', target: 70, label: 'knowledge (contains, %)' },
  { task: 'qa', metric: 'contains', target: 50, label: 'context QA (contains, %)' },
  { task: 'summarization', metric: 'rougeL', target: 40, label: 'summarisation (ROUGE-L)' },
];

/** The competence summary stored with each tuning result (`extra.competence`). */
export interface Competence {
  lang: 'en';
  /** Score after tuning, per task. */
  scores: Record<CompetenceScore['task'], number>;
  /** Whether each score reaches its target. */
  met: Record<CompetenceScore['task'], boolean>;
  /** The base model's held-out fact completion in English before tuning (%), when probed. */
  base?: { contains: number; rank?: number };
}

/** The competence summary of one tuning result's metrics (`metrics[task].en`), with the base probe when given. */
export function competenceOf(metrics: Record<string, Record<string, MetricValues>>, baseProbe?: Record<string, MetricValues>): Competence {
  const scores = {} as Competence['scores'];
  const met = {} as Competence['met'];
  for (const s of COMPETENCE_SCORES) {
    const v = metrics[s.task]?.en?.[s.metric];
    if (v === undefined) throw new Error(`competence: the result has no English ${s.task} ${s.metric}; evaluate with English among the languages`);
    scores[s.task] = v;
    met[s.task] = v >= s.target;
  }
  const en = baseProbe?.en;
  return { lang: 'en', scores, met, ...(en ? { base: { contains: en.contains!, ...(en.rank !== undefined ? { rank: en.rank } : {}) } } : {}) };
}

/** One row of {@link competenceTable}: a language and condition, each score's mean and 95% interval over seeds. */
export interface CompetenceRow {
  lang: string;
  condition: string;
  seeds: number;
  scores: Record<CompetenceScore['task'], SeedSummary>;
  /** Whether the mean over seeds reaches each target. */
  met: Record<CompetenceScore['task'], boolean>;
  /** All three means reach their targets. */
  competent: boolean;
}

/**
 * Competence per (language, condition) over seeds, from tuning results that carry
 * `extra.competence` or English metrics. Rows in the order first seen.
 */
export function competenceTable(results: readonly { spec: { lang: string; condition: string }; metrics: Record<string, Record<string, MetricValues>> }[]): CompetenceRow[] {
  const groups = new Map<string, { lang: string; condition: string; comps: Competence[] }>();
  for (const r of results) {
    const key = `${r.spec.lang}\u0000${r.spec.condition}`;
    if (!groups.has(key)) groups.set(key, { lang: r.spec.lang, condition: r.spec.condition, comps: [] });
    groups.get(key)!.comps.push(competenceOf(r.metrics));
  }
  return [...groups.values()].map(({ lang, condition, comps }) => {
    const scores = {} as CompetenceRow['scores'];
    const met = {} as CompetenceRow['met'];
    for (const s of COMPETENCE_SCORES) {
      scores[s.task] = seedSummary(comps.map((c) => c.scores[s.task]));
      met[s.task] = scores[s.task].mean >= s.target;
    }
    return { lang, condition, seeds: comps.length, scores, met, competent: COMPETENCE_SCORES.every((s) => met[s.task]) };
  });
}

/**
 * Notebook 02's competence rows: the paired grid per condition, then each point of the
 * scaling series that is not a grid run, as "recipe, N pairs".
 */
export function labCompetence(grid: readonly ExperimentResult<TuneSpec>[], series: readonly ExperimentResult<TuneSpec>[]): CompetenceRow[] {
  const inGrid = new Set(grid.map((g) => g.provenance.configHash));
  return competenceTable([
    ...grid,
    ...series.filter((r) => !inGrid.has(r.provenance.configHash)).map((r) => ({ spec: { lang: r.spec.lang, condition: `recipe, ${targetPairs(r.spec)} pairs` }, metrics: r.metrics })),
  ]);
}

/** A competence row for display: each score as "mean (lower to upper)", marked when below its target. */
export function competenceDisplay(r: CompetenceRow): Record<string, string | number> {
  const interval = (x: SeedSummary) => (x.lower === null ? x.mean.toFixed(1) : `${x.mean.toFixed(1)} (${x.lower.toFixed(1)} to ${x.upper!.toFixed(1)})`);
  return {
    lang: r.lang, condition: r.condition, seeds: r.seeds,
    ...Object.fromEntries(COMPETENCE_SCORES.map((s) => [`${s.label} >= ${s.target}`, `${interval(r.scores[s.task])}${r.met[s.task] ? '' : ' (below)'}`])),
  };
}

/** One sentence on whether the English-only models are competent, naming every row below a target otherwise. */
export function competenceSummary(rows: readonly CompetenceRow[]): string {
  const baseline = rows.filter((r) => r.condition === 'en-only');
  if (baseline.length > 0 && baseline.every((r) => r.competent)) {
    return `English-only models meet every competence target in ${baseline.map((r) => r.lang).join(', ')}: the comparisons below are between models that learned their tasks.`;
  }
  const below = rows.filter((r) => !r.competent).map((r) => `${r.lang} ${r.condition} (${COMPETENCE_SCORES.filter((s) => !r.met[s.task]).map((s) => s.task).join(', ')})`);
  return `Below target: ${below.join('; ')}. Read the comparisons below with that in mind.`;
}
