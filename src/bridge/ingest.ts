/**
 * What comes back from a real run (paper scale), read into xalign's analyses:
 *
 * - a scores table, CSV with the header `language,pairs,metric,value,seed` (`seed` may be
 *   empty or its column left out; an optional `condition` column names the training
 *   condition, e.g. `bilingual+translation`; `#` lines are comments), one measurement per
 *   line;
 * - a predictions folder: one JSONL file per task and language, named
 *   `TASK_LANG[_pN][_sS].jsonl` (N pairs, seed S; e.g. `translation_zh_p10000_s1.jsonl`),
 *   each line `{"prediction": "...", "reference": "..." | ["...", ...]}`, scored here with
 *   the project's metrics (translation chrF and BLEU, QA and knowledge `contains`,
 *   summarisation ROUGE-L).
 *
 * Both become the same rows; `scorePoints` turns them into the scaling points that
 * `xalign fit` and notebook 03 read (mean over seeds per language and size). Every error
 * names the file and line.
 */

import type { ConditionComparison } from '../experiments/compare';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scoreCorpus } from '../eval/metrics';
import { readHeaderCsv } from '../io/csv';
import { corpusContains } from '../eval/metrics/exact-match';
import type { ScalingPoint } from '../scaling/law';

export interface ScoreRow {
  language: string;
  /** Translation pairs the model was tuned with (0 for none; null where the table leaves it empty: not stated). */
  pairs: number | null;
  metric: string;
  value: number;
  seed: number | null;
  /** The training condition, where the table has that column (else absent). */
  condition?: string;
  /** Where the row came from: `file:line`, or the predictions file. */
  source: string;
}

const HEADER = ['language', 'pairs', 'metric', 'value', 'seed'] as const;

/** Reads a scores table; see the module comment. */
export function readScoresTable(file: string): ScoreRow[] {
  const { header, rows } = readHeaderCsv(file, {
    required: HEADER.filter((h) => h !== 'seed'),
    missing: (absent) => `the header must name ${HEADER.join(', ')} (seed may be left out); missing ${absent.join(', ')}`,
  });
  if (rows.length === 0) throw new Error(`${file}: no rows after the header`);
  return rows.map(({ where: at, cells }) => {
    const get = (k: string) => cells[k] ?? '';
    const language = get('language');
    if (!/^[a-z]{2,3}$/.test(language)) throw new Error(`${at}: language must be a 2-3 letter lower-case code, got "${language}"`);
    const pairs = get('pairs') === '' ? null : Number(get('pairs'));
    if (pairs !== null && (!Number.isInteger(pairs) || pairs < 0)) throw new Error(`${at}: pairs must be a whole number >= 0 or empty (not stated), got "${get('pairs')}"`);
    const metric = get('metric');
    if (!/^[A-Za-z][A-Za-z0-9_.+-]*$/.test(metric)) throw new Error(`${at}: metric must be a name such as chrf or contains, got "${metric}"`);
    const value = Number(get('value'));
    if (get('value') === '' || !Number.isFinite(value)) throw new Error(`${at}: value must be a number, got "${get('value')}"`);
    const s = get('seed');
    const seed = s === '' ? null : Number(s);
    if (seed !== null && !Number.isInteger(seed)) throw new Error(`${at}: seed must be a whole number or empty, got "${s}"`);
    const condition = header.includes('condition') ? get('condition') : undefined;
    if (condition !== undefined && !/^[a-z][a-z0-9+-]*$/.test(condition)) throw new Error(`${at}: condition must be a name such as en-only or bilingual+translation, got "${condition}"`);
    return { language, pairs, metric, value, seed, ...(condition !== undefined ? { condition } : {}), source: at };
  });
}

/** The metrics each task is scored with. */
export const INGEST_TASKS: Readonly<Record<string, readonly string[]>> = {
  translation: ['chrf', 'bleu'],
  qa: ['contains'],
  knowledge: ['contains'],
  summarization: ['rougeL'],
};

const PREDICTIONS_FILE = /^([a-z]+)_([a-z]{2,3})(?:_p(\d+))?(?:_s(\d+))?\.jsonl$/;

/** Scores every `TASK_LANG[_pN][_sS].jsonl` file of a folder; see the module comment. */
export function scorePredictions(dir: string): ScoreRow[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${dir}: not a folder`);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  if (files.length === 0) throw new Error(`${dir}: no .jsonl predictions (TASK_LANG[_pN][_sS].jsonl)`);
  return files.flatMap((name) => {
    const file = path.join(dir, name);
    const m = PREDICTIONS_FILE.exec(name);
    if (!m) throw new Error(`${file}: the name must be TASK_LANG[_pN][_sS].jsonl, e.g. translation_zh_p10000_s1.jsonl`);
    const [, task, language, p, s] = m;
    const metrics = INGEST_TASKS[task!];
    if (!metrics) throw new Error(`${file}: unknown task "${task}"; known: ${Object.keys(INGEST_TASKS).join(', ')}`);
    const hyps: string[] = [];
    const refs: string[][] = [];
    fs.readFileSync(file, 'utf8').split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '') return;
      let rec: { prediction?: unknown; reference?: unknown };
      try {
        rec = JSON.parse(line);
      } catch (e) {
        throw new Error(`${file}:${i + 1}: not valid JSON (${(e as Error).message})`);
      }
      const ref = typeof rec.reference === 'string' ? [rec.reference] : rec.reference;
      if (typeof rec.prediction !== 'string') throw new Error(`${file}:${i + 1}: "prediction" must be a string`);
      if (!Array.isArray(ref) || ref.length === 0 || !ref.every((r) => typeof r === 'string')) throw new Error(`${file}:${i + 1}: "reference" must be a string or a list of strings`);
      hyps.push(rec.prediction);
      refs.push(ref as string[]);
    });
    if (hyps.length === 0) throw new Error(`${file}: no predictions`);
    // sacrebleu's layout: one stream per reference position (a record with fewer references repeats its first)
    const streams = Array.from({ length: Math.max(...refs.map((r) => r.length)) }, (_, k) => refs.map((r) => r[k] ?? r[0]!));
    const golds = streams.length === 1 ? streams[0]! : streams;
    const value = (metric: string): number => {
      if (metric === 'contains') return corpusContains(hyps, golds).score;
      if (metric === 'rougeL') return scoreCorpus('rouge', hyps, streams[0]!, { lang: language }).score;
      return scoreCorpus(metric, hyps, golds, { lang: language }).score;
    };
    return metrics.map((metric) => ({ language: language!, pairs: p ? Number(p) : 0, metric, value: value(metric), seed: s ? Number(s) : null, source: file }));
  });
}

/** Rows of a file (a scores table) or a folder (predictions). */
export function ingest(target: string): ScoreRow[] {
  if (!fs.existsSync(target)) throw new Error(`${target}: no such file or folder`);
  return fs.statSync(target).isDirectory() ? scorePredictions(target) : readScoresTable(target);
}

/** Mean per language, condition, metric and size over its rows (`n`), which come from `seeds` distinct seeds (no seed given counts as one). */
export function meanScores(rows: readonly ScoreRow[]): { language: string; condition?: string; metric: string; pairs: number | null; n: number; seeds: number; mean: number }[] {
  const groups = new Map<string, ScoreRow[]>();
  for (const r of rows) {
    const k = `${r.language}\t${r.condition ?? ''}\t${r.metric}\t${r.pairs}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((g) => ({
    language: g[0]!.language, ...(g[0]!.condition !== undefined ? { condition: g[0]!.condition } : {}), metric: g[0]!.metric, pairs: g[0]!.pairs,
    n: g.length, seeds: new Set(g.map((r) => r.seed)).size, mean: g.reduce((t, r) => t + r.value, 0) / g.length,
  })).sort((a, b) => a.language.localeCompare(b.language) || (a.condition ?? '').localeCompare(b.condition ?? '') || a.metric.localeCompare(b.metric) || (a.pairs ?? -1) - (b.pairs ?? -1));
}

/**
 * Scaling points of one metric (sizes > 0, mean over seeds), with each language's gamma;
 * a language without gamma is an error naming it. Rows of a table with conditions count
 * when their condition has translation pairs (the recipe's series).
 */
export function scorePoints(rows: readonly ScoreRow[], metric: string, gamma: Readonly<Record<string, number>>): ScalingPoint[] {
  const means = meanScores(rows).filter((m) => m.metric === metric && m.pairs !== null && m.pairs > 0);
  const conditions = new Set(means.map((m) => m.condition ?? ''));
  if (conditions.size > 1) throw new Error(`the ${metric} rows with pairs > 0 come from several conditions (${[...conditions].join(', ')}); fit one condition's series at a time`);
  if (means.length === 0) throw new Error(`no ${metric} rows with pairs > 0 to fit`);
  return means.map((m) => {
    const g = gamma[m.language];
    if (g === undefined) throw new Error(`no gamma for ${m.language}: give it with --gamma ${m.language}=VALUE`);
    return { language: m.language, gamma: g, x: m.pairs!, score: m.mean };
  });
}

/** The laboratory task a benchmark's metric scores (the paper's benchmarks and the project's metrics). */
export const METRIC_TASKS: Readonly<Record<string, string>> = {
  comet: 'translation', bleurt: 'translation', bleu: 'translation', chrf: 'translation',
  mlqa: 'qa', xquad: 'qa', contains: 'qa', mlama: 'knowledge', 'xlsum-rouge': 'summarization', rougeL: 'summarization',
};

/**
 * Condition `b` against condition `a` of one language in a scores table, one comparison
 * per metric both conditions have, in the shape the verdict rules read
 * (src/experiments/verdict.ts). A table holds means, not the per-record statistics a
 * paired test needs, so `pValue` is null: the rules then say "not assessed", and `delta`
 * gives the direction only.
 */
export function tableComparisons(rows: readonly ScoreRow[], language: string, a: string, b: string): ConditionComparison[] {
  const means = meanScores(rows).filter((m) => m.language === language);
  const of = (c: string, metric: string) => means.find((m) => m.condition === c && m.metric === metric);
  const metrics = [...new Set(means.filter((m) => m.condition === a).map((m) => m.metric))].filter((metric) => of(b, metric));
  if (metrics.length === 0) throw new RangeError(`no metric has both ${a} and ${b} for ${language}`);
  return metrics.map((metric) => {
    for (const c of [a, b]) {
      const sizes = means.filter((m) => m.condition === c && m.metric === metric);
      if (sizes.length > 1) throw new RangeError(`${language} ${c} has ${metric} at ${sizes.length} pair counts (${sizes.map((m) => m.pairs ?? 'unstated').join(', ')}); compare one size at a time`);
    }
    const [x, y] = [of(a, metric)!, of(b, metric)!];
    const summary = (m: typeof x) => ({ seeds: m.seeds, mean: m.mean, lower: null, upper: null });
    return {
      lang: language, task: METRIC_TASKS[metric] ?? metric, metric, evalLang: language, a, b,
      seedsA: summary(x), seedsB: summary(y), delta: y.mean - x.mean, pairedSeeds: 0, pValue: null, segments: 0,
    };
  });
}
