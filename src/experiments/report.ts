/**
 * The analysis notebook 02 runs on a laboratory grid, in one function, so a live run
 * and a recorded one (data/world/recorded-*) are judged by the same code: paired
 * comparisons of the conditions, the scaling points and their fitted laws, the data
 * each language needs against gamma, and the verdicts on claims 1-4.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fitLawsByLanguage, type LawFit } from '../scaling/fit';
import type { ScalingPoint } from '../scaling/law';
import { compareConditions, type ConditionComparison } from './compare';
import { CONDITIONS, type Condition } from './conditions';
import { resolvePreset, type Settings } from '../config/presets';
import { targetPairs, type TuneSpec, upgradeResults } from './spec';
import { scalingPoints } from './scaling';
import { type ExperimentResult, ResultStore } from './store';
import {
  type ClaimVerdict, comparisonVerdict, scalingEvidence, scalingVerdict, type SimilarityEvidence, similarityEvidence, similarityVerdict,
} from './verdict';

/** The condition pairs compared (A, B): B - A is reported. */
export const CONDITION_PAIRS: readonly (readonly [Condition, Condition])[] = [['en-only', 'bilingual'], ['en-only', 'bilingual+translation'], ['bilingual', 'bilingual+translation']];
/** Headline scores (task, metric); all but translation are the zero-shot scores of claims 1 and 2. */
export const HEADLINE_SCORES: readonly (readonly [string, string])[] = [['qa', 'contains'], ['qa', 'containsAny'], ['knowledge', 'contains'], ['knowledge', 'containsAny'], ['summarization', 'rougeL'], ['translation', 'chrf']];
/** The zero-shot scores followed along the scaling series (label: task, metric). */
export const SCALING_ZERO_SHOT: Readonly<Record<string, readonly [string, string]>> = {
  'knowledge containsAny': ['knowledge', 'containsAny'], 'qa containsAny': ['qa', 'containsAny'], 'summarization rougeL': ['summarization', 'rougeL'],
};

export const CLAIM_STATEMENTS: Readonly<Record<number, string>> = {
  1: 'bilingual tuning (the recipe) beats English-only on non-English QA, knowledge and summarisation',
  2: 'the translation task helps the zero-shot tasks, not only translation (recipe against bilingual instructions alone)',
  3: 'more translation data raises translation and zero-shot scores, the law fits, gains diminish',
  4: 'languages less similar to English need more data',
  5: 'one multilingual model is on par with the bilingual ones, beats the English-only baseline and keeps its English',
  6: 'under a budget, the optimised allocation beats the uniform one on translation (zero-shot results mixed)',
  7: 'the optimised allocation favours languages whose scaling curves are steeper',
  8: 'representations of parallel sentences overlap in the middle layers of the aligned model and stay apart in the English-only one',
  9: 'the aligned model answers an instruction in X much as it answers the same instruction in English',
  10: 'the pairs used as a translation task beat the same target-side text used for continued pre-training, except on knowledge infilling',
};

export interface LabAnalysis {
  langs: string[];
  comparisons: ConditionComparison[];
  /** Translation chrF against pairs, one point per language and size. */
  chrfPoints: ScalingPoint[];
  zeroShotPoints: Record<string, ScalingPoint[]>;
  fits: Map<string, LawFit>;
  similarity: SimilarityEvidence;
  verdicts: ClaimVerdict[];
}

/**
 * Analyses `grid` (the three conditions per language and seed) and `series` (the recipe
 * at several pair counts) with gamma per language; languages come from the grid.
 */
export function analyseLab(grid: readonly ExperimentResult[], series: readonly ExperimentResult[], gamma: Readonly<Record<string, number>>, o: { samples: number; seed: number }): LabAnalysis {
  const tunes = grid.filter((r) => r.kind === 'tune') as ExperimentResult<TuneSpec>[];
  const langs = [...new Set(tunes.map((r) => r.spec.lang))];
  const complete = langs.filter((lang) => CONDITIONS.every((c) => tunes.some((r) => r.spec.lang === lang && r.spec.condition === c)));
  const comparisons = complete.flatMap((lang) => HEADLINE_SCORES.flatMap(([task, metric]) => CONDITION_PAIRS.map(([a, b]) =>
    compareConditions(tunes, { lang, task, metric, a, b, samples: o.samples, seed: o.seed }))));
  const chrfPoints = scalingPoints(series, gamma, 'translation', 'chrf');
  const zeroShotPoints = Object.fromEntries(Object.entries(SCALING_ZERO_SHOT).map(([k, [task, metric]]) => [k, scalingPoints(series, gamma, task, metric)]));
  const seriesLangs = [...new Set(chrfPoints.map((p) => p.language))].filter((l) => chrfPoints.filter((p) => p.language === l).length >= 3);
  const fits = fitLawsByLanguage(chrfPoints.filter((p) => seriesLangs.includes(p.language)), { context: 'laboratory scaling series' });
  const similarity = similarityEvidence(chrfPoints.filter((p) => seriesLangs.includes(p.language)));
  const zs = (a: string, b: string) => comparisons.filter((c) => c.a === a && c.b === b && c.task !== 'translation');
  const verdicts = [
    comparisonVerdict(1, zs('en-only', 'bilingual+translation')),
    comparisonVerdict(2, zs('bilingual', 'bilingual+translation')),
    scalingVerdict(seriesLangs.map((lang) => scalingEvidence(lang, chrfPoints.filter((p) => p.language === lang), fits.get(lang)!.r2,
      Object.fromEntries(Object.entries(zeroShotPoints).map(([k, ps]) => [k, ps.filter((p) => p.language === lang)]))))),
    similarityVerdict(similarity),
  ];
  return { langs: complete, comparisons, chrfPoints, zeroShotPoints, fits, similarity, verdicts };
}

/** What `lab.cjs grid` (test/bench/gpu/lab-entry.ts) writes next to a recorded store. */
export interface RecordedRunMeta {
  command: string;
  commit: string;
  preset: string;
  overrides: Record<string, unknown>;
  backend: string;
  backendDetail: string;
  machine: { platform: string; arch: string; cpus: number; cpuModel: string; node: string; gpu: string | null };
  started: string;
  seconds: number;
  workers: number;
  gamma: Record<string, number>;
  specs: number;
  finished: string[];
  missing: string[];
  /** Every setting of the run (records from before this field: see {@link recordedSettings}). */
  settings?: Settings;
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

/** A recorded run folder (STORE/recorded.json with STORE/results.json or STORE/results/*.json) with the settings it ran with ({@link recordedSettings}), or null when `dir` has none. */
export function readRecordedRun(dir: string): { meta: RecordedRunMeta; settings: Settings; results: ExperimentResult<TuneSpec>[] } | null {
  const metaFile = path.join(dir, 'recorded.json');
  if (!fs.existsSync(metaFile)) return null;
  const meta = readJson<RecordedRunMeta>(metaFile);
  for (const k of ['finished', 'missing'] as const) if (!Array.isArray(meta[k])) throw new Error(`${metaFile}: field "${k}" must be a list of config hashes`);
  if (typeof meta.gamma !== 'object' || meta.gamma === null) throw new Error(`${metaFile}: field "gamma" must map languages to gamma`);
  // all results in one file (what lab.cjs writes), else one file per result
  const all = path.join(dir, 'results.json');
  const listed = fs.existsSync(all) ? readJson<ExperimentResult[]>(all) : new ResultStore(dir).list();
  if (!Array.isArray(listed)) throw new Error(`${all}: expected a list of results`);
  // results of older spec versions are read in today's shape
  const results = upgradeResults(listed.filter((r) => r.kind === 'tune')) as ExperimentResult<TuneSpec>[];
  const missing = meta.finished.filter((h) => !results.some((r) => r.provenance.configHash === h));
  if (missing.length) throw new Error(`${metaFile}: lists ${missing.length} finished run(s) with no result in ${dir} (first: ${missing[0]})`);
  return { meta, settings: recordedSettings(meta, metaFile), results };
}

/** Splits tuning results into the condition grid (the recipe at `gridPairs` pairs) and the scaling series (the recipe at seed `seriesSeed`). */
export function splitLabResults(results: readonly ExperimentResult[], gridPairs: number, seriesSeed: number): { grid: ExperimentResult<TuneSpec>[]; series: ExperimentResult<TuneSpec>[] } {
  const tunes = results.filter((r) => r.kind === 'tune') as ExperimentResult<TuneSpec>[];
  const recipe = (r: ExperimentResult<TuneSpec>) => r.spec.condition === 'bilingual+translation' && !r.spec.data.real;
  return {
    grid: tunes.filter((r) => !r.spec.data.real && (!recipe(r) || targetPairs(r.spec) === gridPairs)),
    series: tunes.filter((r) => recipe(r) && r.spec.seed === seriesSeed),
  };
}

/** The recorded run folders under `root` (each with a recorded.json), sorted by name; none when `root` is absent. */
export function recordedRunDirs(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).sort().map((d) => path.join(root, d)).filter((d) => fs.existsSync(path.join(d, 'recorded.json')));
}

/** A recorded run's label and provenance, as markdown: the folder, its README when it has one, machine, backend, commit, settings, time, runs finished and the command. */
export function recordedRunHeader(dir: string, m: RecordedRunMeta): string {
  return [
    `**Recorded result** from \`${dir}\`, not computed by this notebook.`,
    ...(fs.existsSync(path.join(dir, 'README.md')) ? [`- how it ran (sessions, times) and how to regenerate it: \`${path.join(dir, 'README.md')}\``] : []),
    `- machine: ${m.machine.gpu ?? 'no GPU'}, ${m.machine.cpus} CPU cores (${m.machine.cpuModel}); backend ${m.backend}; ${m.workers} worker processes`,
    `- commit ${m.commit}, preset ${m.preset} with ${JSON.stringify(m.overrides)}; started ${m.started}, ${(m.seconds / 60).toFixed(1)} min`,
    `- ${m.finished.length} of ${m.specs} runs finished${m.missing.length ? ` (${m.missing.length} not started before the deadline; the same command resumes them)` : ''}`,
    `- command: \`${m.command}\``,
  ].join('\n');
}

/**
 * The settings a recorded run trained with: the `settings` its recorded.json holds, or,
 * for a record without them, its preset's settings today with its overrides (a preset
 * whose defaults changed since would then be misread; records made now carry every
 * setting).
 */
export function recordedSettings(m: RecordedRunMeta, file = 'recorded.json'): Settings {
  if (m.settings) return m.settings;
  return resolvePreset(m.preset, m.overrides as Partial<Settings>, `${file}: field "overrides"`).settings;
}
