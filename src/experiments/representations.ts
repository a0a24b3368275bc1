/**
 * What notebook 06 measures on a laboratory model (paper Section 6): its sentence
 * representations of parallel sentences, layer by layer, and how consistently it
 * answers the same instruction in English and in X.
 *
 * - The parallel sentences are the world's translation test pairs (English source, X
 *   reference): statements, questions and summaries about strangers, which no tuning
 *   run trains on. Each is mean-pooled over its real tokens at every layer.
 * - Consistency decodes the test records of QA, knowledge and summarisation in
 *   English and in X (the same records: src/world/tasks.ts) and scores the pairs of
 *   answers (src/representations/consistency.ts).
 *
 * Both are kept in an analysis folder (a tuning run's: `STORE/runs/HASH/analysis/`;
 * states in the `layer-NN.npy` layout of `xalign represent`, the answers as JSON, each
 * written atomically), and read back when asked again with the same sentences or
 * records; answers are scored anew each time.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { sumStats } from '../eval/metrics/common';
import { writeJsonAtomic } from '../io/atomic';
import { loadModel } from '../model/checkpoint';
import type { Tokenizer } from '../model/tokenizer';
import type { Transformer } from '../model/transformer';
import { type AnswerPair, CONSISTENCY_METRICS, consistencyScore, consistencyStats, type ConsistencyMetric, readBack } from '../representations/consistency';
import { readLayerDir, writeLayerDir } from '../representations/layers';
import type { RepresentationMatrix } from '../similarity/retrieval';
import type { TaskFormat, TaskId, WorldExample } from '../world/tasks';
import { lossyEnglish } from '../world/transduce';
import type { World } from '../world/world';
import { maxNewTokensFor, predict } from './evaluate';
import { meanStates } from './gamma';
import type { RepresentedModel } from './representation-report';
import type { TuneSpec } from './spec';
import { configHash, type ExperimentResult, type ResultStore } from './store';

/** The tasks whose answers are compared across languages (translation has no English answer to compare). */
export const CONSISTENCY_TASKS: readonly TaskId[] = ['qa', 'knowledge', 'summarization'];

/**
 * n parallel sentences: the English sources of the translation test split and their X
 * references, each English and each X sentence once (the split can state one fact of
 * one person twice, and two English sentences can read alike in a language that drops
 * articles; a sentence twice would be its own rival in retrieval). Fewer than n when the
 * split has fewer distinct pairs among its first 3n.
 */
export function parallelSentences(world: World, lang: string, n: number): { english: string[]; other: string[] } {
  const [seenEn, seenX] = [new Set<string>(), new Set<string>()];
  const recs = world.examples('translation', lang, 'test', 3 * n).filter((r) => !seenEn.has(r.input) && !seenX.has(r.output) && seenEn.add(r.input) && seenX.add(r.output)).slice(0, n);
  return { english: recs.map((r) => r.input), other: recs.map((r) => r.output) };
}

/** Mean-pooled states of both languages, one matrix per layer (embeddings first). */
export interface LayerStates {
  english: RepresentationMatrix[];
  other: RepresentationMatrix[];
  /** Where they are kept (folders `en/` and `LANG/`). */
  dir: string;
}

function withModel<T>(modelDir: string, f: (model: Transformer, tok: Tokenizer) => Promise<T>): Promise<T> {
  const loaded = loadModel(modelDir);
  if (!loaded.tokenizer) throw new Error(`${modelDir}: model has no tokenizer.json`);
  return f(loaded.model, loaded.tokenizer).finally(() => loaded.model.dispose());
}

/** States of {@link parallelSentences} under the model in `modelDir`, computed once and kept under `analysisDir` (see the module comment). */
export async function modelLayerStates(modelDir: string, analysisDir: string, world: World, lang: string, n: number): Promise<LayerStates> {
  const dir = path.join(analysisDir, `states-${lang}-${n}`);
  const [enDir, xDir] = [path.join(dir, 'en'), path.join(dir, lang)];
  const done = path.join(dir, 'done.json');
  const { english, other } = parallelSentences(world, lang, n);
  // the sentences' hash: states of other sentences (a changed world or selection) are computed anew
  const sentences = configHash([english, other]);
  const kept = fs.existsSync(done) ? (JSON.parse(fs.readFileSync(done, 'utf8')) as { sentences?: string }) : null;
  if (kept?.sentences !== sentences) {
    await withModel(modelDir, async (model, tok) => {
      const d = model.config.dModel;
      writeLayerDir(enDir, await meanStates(model, tok, english), english.length, d);
      writeLayerDir(xDir, await meanStates(model, tok, other), other.length, d);
    });
    writeJsonAtomic(done, { lang, n, count: english.length, sentences });
  }
  return { english: readLayerDir(enDir).layers, other: readLayerDir(xDir).layers, dir };
}

/**
 * The pairs of answers to compare: `english[i]` answers English record `records[i]`,
 * `other[i]` the same record in `lang` (see src/representations/consistency.ts).
 */
export function answerPairs(world: World, lang: string, records: readonly WorldExample[], english: readonly string[], other: readonly string[]): AnswerPair[] {
  const t = world.transducers.get(lang);
  if (!t) throw new RangeError(`consistency: language "${lang}" is not in this world (${world.languages.join(', ')})`);
  if (english.length !== records.length || other.length !== records.length) throw new RangeError(`consistency: ${records.length} records but ${english.length} English and ${other.length} ${lang} answers`);
  const { script, articles, morphology } = t.spec;
  const unspaced = script.kind === 'logograms' ? (script.logogramsPerWord ?? 2) : 0;
  const xWords = { spaced: unspaced === 0, prefix: articles.definite === 'prefix' ? (morphology.definitePrefix ?? '') : '' };
  return records.map((r, i) => {
    let englishLossy = english[i]!;
    try {
      englishLossy = lossyEnglish(t.spec, english[i]!);
    } catch {
      // an answer outside the grammar is compared as written
    }
    const values = r.relation ? world.kb.values[r.relation] : world.kb.options.relations.flatMap((rel) => world.kb.values[rel]);
    return {
      english: english[i]!, x: other[i]!, xInEnglish: readBack((s) => t.toEnglish(s), other[i]!, unspaced), englishLossy,
      values: values.map((v) => v.toLowerCase()), valuesX: values.map((v) => t.word(v).toLowerCase()), xWords,
    };
  });
}

/** A model's answers and their consistency in one language (see the module comment). */
export interface ModelConsistency {
  lang: string;
  n: number;
  format: TaskFormat;
  /** metrics[task][lang] = { sameValue, sameValueAny, chrf }: the shape of a result's metrics, so the paired tests of compare.ts apply. */
  metrics: Record<string, Record<string, Record<ConsistencyMetric, number>>>;
  /** segments[task][lang][metric] = one row of statistics per test record. */
  segments: Record<string, Record<string, Record<ConsistencyMetric, number[][]>>>;
  /** The first few answer pairs of each task, to read. */
  samples: Record<string, (AnswerPair & { instruction: string; correct: string })[]>;
}

/** The answers a model gave, as kept on disk: per task, the English and the X answers in record order. */
interface KeptAnswers {
  lang: string;
  n: number;
  format: TaskFormat;
  answers: Record<string, { english: string[]; other: string[] }>;
}

/** How many answer pairs per task a {@link ModelConsistency} keeps to show. */
export const CONSISTENCY_SAMPLES = 3;

/**
 * Answers of the model in `modelDir` to n test records per task in English and in
 * `lang`, compared. The answers (not the scores) are kept under `analysisDir`, so a
 * second call decodes nothing and scores with the current code.
 */
export async function modelConsistency(modelDir: string, analysisDir: string, world: World, lang: string, o: { n: number; format: TaskFormat }): Promise<ModelConsistency> {
  if (!world.transducers.has(lang)) throw new RangeError(`consistency: language "${lang}" is not in this world (${world.languages.join(', ')})`);
  const file = path.join(analysisDir, `answers-${lang}-${o.n}.json`);
  const records = (task: TaskId, l: string) => world.examples(task, l, 'test', o.n, o.format);
  let kept = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as KeptAnswers) : null;
  if (!kept || JSON.stringify(kept.format) !== JSON.stringify(o.format) || CONSISTENCY_TASKS.some((t) => !kept!.answers[t])) {
    const fresh: KeptAnswers = { lang, n: o.n, format: o.format, answers: {} };
    await withModel(modelDir, async (model, tok) => {
      for (const task of CONSISTENCY_TASKS) {
        const answer = (recs: WorldExample[]) => predict(model, tok, recs, { maxNewTokens: maxNewTokensFor(task, tok, recs) });
        fresh.answers[task] = { english: await answer(records(task, 'en')), other: await answer(records(task, lang)) };
      }
    });
    writeJsonAtomic(file, fresh);
    kept = fresh;
  }
  const out: ModelConsistency = { lang, n: o.n, format: o.format, metrics: {}, segments: {}, samples: {} };
  for (const task of CONSISTENCY_TASKS) {
    const en = records(task, 'en');
    const pairs = answerPairs(world, lang, en, kept.answers[task]!.english, kept.answers[task]!.other);
    const stats = consistencyStats(pairs);
    out.segments[task] = { [lang]: stats };
    out.metrics[task] = { [lang]: Object.fromEntries(CONSISTENCY_METRICS.map((m) => [m, consistencyScore(m, sumStats(stats[m], stats[m][0]?.length ?? 0))])) as Record<ConsistencyMetric, number> };
    out.samples[task] = pairs.slice(0, CONSISTENCY_SAMPLES).map((p, i) => ({ ...p, instruction: `${en[i]!.instruction}\n${en[i]!.input}`.trim(), correct: en[i]!.output }));
  }
  return out;
}

/** A model to measure: its arm, seed and folders, and its stored result when it is a tuned one. */
export interface ModelToMeasure {
  arm: string;
  seed: number;
  modelDir: string;
  analysisDir: string;
  result?: ExperimentResult<TuneSpec>;
}

/** The analysis folder of a stored tune result. */
export function resultAnalysisDir(store: ResultStore, result: ExperimentResult): string {
  return path.join(store.runDir(result.provenance.configHash), 'analysis');
}

/** The states of `sentences` parallel sentences of every model and, for tuned ones, the consistency over `records` records per task (see the module comment). */
export async function measureModels(
  models: readonly ModelToMeasure[],
  world: World,
  lang: string,
  o: { sentences: number; records: number; onModel?: (done: number, m: ModelToMeasure) => void },
): Promise<RepresentedModel[]> {
  const out: RepresentedModel[] = [];
  for (const m of models) {
    const states = await modelLayerStates(m.modelDir, m.analysisDir, world, lang, o.sentences);
    const consistency = m.result ? await modelConsistency(m.modelDir, m.analysisDir, world, lang, { n: o.records, format: m.result.spec.format }) : undefined;
    out.push({ arm: m.arm, seed: m.seed, states, ...(consistency ? { consistency } : {}), ...(m.result ? { result: m.result } : {}) });
    o.onModel?.(out.length, m);
  }
  return out;
}
