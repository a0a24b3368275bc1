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
 * (continuation and likelihood ranking, src/experiments/runner.ts `probeFacts`).
 */

import { seedSummary, type SeedSummary } from './compare';
import type { MetricValues } from './store';

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
