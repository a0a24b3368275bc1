/**
 * Table 2 of the paper in miniature (notebook 02): per target language, task and metric,
 * the mean score of each tuning condition over its seeds and the change against the
 * English-only baseline.
 */

import { CONDITIONS, type Condition } from './conditions';
import type { TuneSpec } from './spec';
import type { ExperimentResult } from './store';

/** The metrics shown per task (the headline one first). */
export const TABLE2_METRICS: Record<string, string[]> = {
  translation: ['chrf', 'bleu'],
  qa: ['contains', 'containsNative', 'containsAny', 'em'],
  knowledge: ['contains', 'containsNative', 'containsAny', 'em'],
  summarization: ['rougeL'],
};

export interface Table2Row {
  lang: string;
  task: string;
  metric: string;
  /** Scores evaluated in this language (the target language, or 'en' for English retention). */
  evalLang: string;
  seeds: number;
  'en-only': number | null;
  bilingual: number | null;
  'bilingual+translation': number | null;
  /** bilingual - en-only */
  'Δ bilingual': number | null;
  /** bilingual+translation - en-only */
  'Δ recipe': number | null;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/**
 * Rows of the Table-2-style comparison from stored tuning results. `evalLang` 'target'
 * scores each language in itself; 'en' scores English on the same models (does English
 * survive the tuning?).
 */
export function table2Rows(results: readonly ExperimentResult[], evalLang: 'target' | 'en' = 'target'): Table2Row[] {
  const tunes = results.filter((r) => r.kind === 'tune') as ExperimentResult<TuneSpec>[];
  const langs = [...new Set(tunes.map((r) => r.spec.lang))];
  const rows: Table2Row[] = [];
  for (const lang of langs) {
    const el = evalLang === 'en' ? 'en' : lang;
    for (const [task, metrics] of Object.entries(TABLE2_METRICS)) {
      for (const metric of metrics) {
        const by = (c: Condition) => tunes.filter((r) => r.spec.lang === lang && r.spec.condition === c).map((r) => r.metrics[task]?.[el]?.[metric]).filter((v): v is number => v !== undefined);
        const vals = Object.fromEntries(CONDITIONS.map((c) => [c, mean(by(c))])) as Record<Condition, number | null>;
        if (CONDITIONS.every((c) => vals[c] === null)) continue;
        const d = (c: Condition) => (vals[c] !== null && vals['en-only'] !== null ? vals[c]! - vals['en-only']! : null);
        rows.push({ lang, task, metric, evalLang: el, seeds: Math.max(...CONDITIONS.map((c) => by(c).length)), ...vals, 'Δ bilingual': d('bilingual'), 'Δ recipe': d('bilingual+translation') });
      }
    }
  }
  return rows;
}
