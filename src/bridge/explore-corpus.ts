/**
 * A real language at paper scale (notebook 08 and `xalign explore --language CODE`): what
 * can be said of it from its parallel corpus (`xalign data build --lang CODE`), and how
 * far the scaling-law chain goes with what the user brings from a real model:
 *
 * - always: the corpus's pairs per split, lengths, and the LLaMA tokenizer's fertility on
 *   both sides (Table 1 and notebook 01's columns);
 * - with the model's sentence states of parallel text (`.npy`, English and X, one row per
 *   sentence): gamma, the retrieval score of src/similarity;
 * - with scores at several pair counts (a scores table, src/bridge/ingest.ts): the law
 *   S = 100 - alpha (gamma X)^-beta (gamma 1 when no states were given: the law then
 *   reads in pairs alone), the pairs for a target score;
 * - with other languages' laws (the allocation JSON) and a budget: the language's share
 *   of it, its cap being its corpus's training pairs.
 *
 * Each piece that cannot be computed is named in `missing` with what would give it.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { allocateBy, readLawsJson, wholePairs, type AllocationLaw } from '../allocation';
import { corpusDir } from '../data/registry';
import { tokenizerFertility, type Fertility } from '../data/fertility';
import { type Pair, readParallel } from '../data/parallel';
import { summarisePairs, type ParallelSummary } from '../data/summary';
import { dataForTarget, fitScalingLaw } from '../scaling/fit';
import { matrixFromNpy, readNpy, retrievalSimilarity } from '../similarity';
import { readScoresTable, scorePoints } from './ingest';

export interface CorpusExploreOptions {
  /** The corpus root's parent (default: the project's data root). */
  corpusRoot?: string;
  /** Sentence states of parallel text from a real model: English rows and X rows, the same sentences in the same order. */
  states?: { english: string; other: string };
  /** A scores table with this language's scores at several pair counts. */
  scores?: string;
  /** The metric of the scores to fit (default chrf). */
  metric?: string;
  /** Target score for the pairs needed. */
  target?: number;
  /** Other languages' laws (allocation JSON) and the budget to share with them. */
  laws?: string;
  budget?: number;
  /** Sentences for the fertility measurement (default 2000, the first of the train split). */
  fertilitySample?: number;
}

/** The split a language's statistics are read from: train when the corpus has one, else test, else the UDHR set (a build without packages). */
export function corpusSplit(lang: string, root?: string): { split: 'train' | 'test' | 'udhr'; english: string; other: string } {
  const dir = path.join(corpusDir(root), `en-${lang}`);
  for (const split of ['train', 'test', 'udhr'] as const) {
    const [english, other] = [path.join(dir, `${split}.en`), path.join(dir, `${split}.${lang}`)];
    if (fs.existsSync(other) && fs.statSync(other).size > 0) return { split, english, other };
  }
  throw new Error(`explore: no corpus for "${lang}" in ${dir}; build it with \`npx xalign data build --lang ${lang}\``);
}

/** LLaMA tokenizer fertility on the first `n` pairs of a language's {@link corpusSplit}, X side and English side. */
export function corpusFertility(lang: string, n = 2000, root?: string): { split: string; sample: number; english: Fertility; other: Fertility } {
  const c = corpusSplit(lang, root);
  return pairsFertility(readParallel(c.english, c.other), c.split, n);
}

function pairsFertility(all: readonly Pair[], split: string, n: number): { split: string; sample: number; english: Fertility; other: Fertility } {
  const pairs = all.slice(0, n);
  return { split, sample: pairs.length, english: tokenizerFertility(pairs.map((p) => p.src)), other: tokenizerFertility(pairs.map((p) => p.tgt)) };
}

export interface CorpusExploration {
  lang: string;
  /** Pairs per split; the summary (lengths, scripts) of `split`: train, else test, else UDHR. */
  corpus: { dir: string; splits: Record<string, number>; summary: ParallelSummary; split: string };
  fertility: { split: string; english: Fertility; other: Fertility; sample: number };
  gamma: number | null;
  law: { alpha: number; beta: number; gamma: number; r2: number; n: number; metric: string } | null;
  target: { score: number; pairs: number; lo: number; hi: number } | null;
  allocation: { budget: number; pairs: Record<string, number>; share: number; uniformPairs: Record<string, number> } | null;
  /** What could not be computed, and what to bring for it. */
  missing: string[];
}

/** The chain for a real corpus language (see the module comment). */
export function exploreCorpusLanguage(lang: string, o: CorpusExploreOptions = {}): CorpusExploration {
  const dir = path.join(corpusDir(o.corpusRoot), `en-${lang}`);
  const file = (split: string, side: string) => path.join(dir, `${split}.${side}`);
  const main = corpusSplit(lang, o.corpusRoot);
  // each split read once: its count, and for the main split the summary and the fertility
  const read: Record<string, Pair[]> = {};
  for (const s of ['train', 'dev', 'test', 'udhr']) if (fs.existsSync(file(s, lang))) read[s] = readParallel(file(s, 'en'), file(s, lang), { allowEmpty: true });
  const splits = Object.fromEntries(Object.entries(read).map(([s, pairs]) => [s, pairs.length]));
  const summary = summarisePairs(read[main.split]!);
  const missing: string[] = [];
  let gamma: number | null = null;
  if (o.states) {
    const e = readNpy(o.states.english);
    const x = readNpy(o.states.other);
    gamma = retrievalSimilarity(matrixFromNpy(e, o.states.english), matrixFromNpy(x, o.states.other), [o.states.english, o.states.other]).similarity;
  } else missing.push('gamma: give the model\'s sentence states of parallel text (--states EN.npy,X.npy)');
  let law: CorpusExploration['law'] = null;
  let target: CorpusExploration['target'] = null;
  let allocation: CorpusExploration['allocation'] = null;
  const metric = o.metric ?? 'chrf';
  if (o.scores) {
    const rows = readScoresTable(o.scores).filter((r) => r.language === lang);
    if (!rows.some((r) => r.metric === metric && r.pairs !== null && r.pairs > 0)) throw new RangeError(`${o.scores}: no ${metric} rows for ${lang} with pairs > 0 (the law needs its scores at several pair counts)`);
    const points = scorePoints(rows, metric, { [lang]: gamma ?? 1 });
    const fit = fitScalingLaw(points, { context: `${o.scores}, ${lang} ${metric}` });
    law = { alpha: fit.alpha, beta: fit.beta, gamma: fit.gamma, r2: fit.r2, n: fit.n, metric };
    if (o.target !== undefined) {
      const need = dataForTarget(fit, o.target);
      target = { score: o.target, pairs: need.x, lo: need.lo, hi: need.hi };
    } else missing.push('pairs needed: give a target score (--target S)');
    if (o.laws && o.budget !== undefined && !splits.train) missing.push(`budget share: ${lang} has no train split to cap its share (a build without its Debian packages)`);
    else if (o.laws && o.budget !== undefined) {
      const others = readLawsJson(o.laws).filter((l) => l.language !== lang);
      const laws: AllocationLaw[] = [...others, { language: lang, alpha: fit.alpha, beta: fit.beta, gamma: fit.gamma, max: splits.train! }];
      const opt = allocateBy('optimal', laws, o.budget);
      const uni = allocateBy('uniform', laws, o.budget);
      const pairs = wholePairs(opt, laws);
      allocation = { budget: o.budget, pairs, share: pairs[lang]! / o.budget, uniformPairs: wholePairs(uni, laws) };
    } else missing.push('budget share: give the other languages\' laws and a budget (--laws FILE.json --budget C)');
  } else missing.push(`scaling law: give ${lang}'s scores at three pair counts or more (--scores FILE.csv, the ingest format)`);
  return {
    lang,
    corpus: { dir, splits, summary, split: main.split },
    fertility: pairsFertility(read[main.split]!, main.split, o.fertilitySample ?? 2000),
    gamma,
    law,
    target,
    allocation,
    missing,
  };
}
