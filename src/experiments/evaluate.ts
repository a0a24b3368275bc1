/**
 * Evaluation of a tuned model on the world's tasks (paper Section 4, Table 2; notebook 02):
 * greedy decoding of each test record's prompt, then
 * - translation (FLORES-like): corpus chrF and BLEU;
 * - qa (XQuAD/MLQA-like) and knowledge (mLAMA-like): exact match and the public code's
 *   "contains" accuracy, each strict (the answer in the evaluated language) and
 *   any-language (the answer in the language or in English, `answerEnglish`), as
 *   docs/world.md explains, and strict without the loan-word answers (`containsNative`);
 * - summarization (XL-Sum-like): ROUGE-L (and ROUGE-1/2), multilingual tokenizer
 *   outside English.
 * Metrics come from src/eval/metrics, so they agree with `xalign score`.
 */

import { compactPrompt } from '../data/records';
import { scoreCorpus, statsMetric } from '../eval/metrics';
import type { StatsMetric } from '../eval/metrics/common';
import { corpusContains, corpusExactMatch } from '../eval/metrics/exact-match';
import { generate } from '../model/generate';
import { encodeInstruction, type Tokenizer } from '../model/tokenizer';
import type { Transformer } from '../model/transformer';
import type { World } from '../world/world';
import { DEFAULT_TASK_FORMAT, type TaskFormat, type WorldExample } from '../world/tasks';
import { realTranslationRecords } from './real-data';
import type { TuneSpec } from './spec';
import type { MetricValues } from './store';

/** The instruction text X of a record, as the trainer builds it (src/data/records.ts). */
export const recordPrompt = compactPrompt;

/** Greedy outputs for `records`, batched by prompt length; prompts too long keep their last tokens. */
export async function predict(
  model: Transformer,
  tok: Tokenizer,
  records: readonly WorldExample[],
  opts: { maxNewTokens: number; batchSize?: number },
): Promise<string[]> {
  const maxLen = model.config.maxSeqLen;
  const maxNew = Math.max(1, Math.min(opts.maxNewTokens, maxLen - 8));
  const prompts = records.map((r) => {
    const p = encodeInstruction(tok, recordPrompt(r)).prompt;
    const room = maxLen - maxNew;
    return p.length <= room ? p : [p[0]!, ...p.slice(p.length - room + 1)];
  });
  const order = prompts.map((_, i) => i).sort((a, b) => prompts[a]!.length - prompts[b]!.length || a - b);
  const out: string[] = new Array(records.length).fill('');
  const bs = opts.batchSize ?? 16;
  for (let s = 0; s < order.length; s += bs) {
    const idx = order.slice(s, s + bs);
    const gen = await generate(model, idx.map((i) => prompts[i]!), { maxNewTokens: maxNew, stopTokens: [tok.special.eos], padToken: tok.special.pad });
    idx.forEach((i, k) => {
      const ids = gen[k]!.filter((t) => t !== tok.special.eos);
      out[i] = tok.decode(ids, { skipSpecial: true }).trim();
    });
  }
  return out;
}

/** Scores predictions of one task in one language (see the module comment). */
export function scoreTask(task: string, lang: string, records: readonly WorldExample[], hyps: readonly string[]): MetricValues {
  const refs = records.map((r) => r.output);
  switch (task) {
    case 'translation':
      return { chrf: scoreCorpus('chrf', hyps, refs).score, bleu: scoreCorpus('bleu', hyps, refs, { lang }).score };
    case 'knowledge': {
      // the output is the whole sentence with the blank filled; the value counts (contains)
      const strict = [records.map((r) => r.answer)];
      const any = [strict[0]!, records.map((r) => (r.answerEnglish && r.answerEnglish !== r.answer ? r.answerEnglish : ''))];
      return {
        em: corpusExactMatch(hyps, [refs], { lang }).score,
        contains: corpusContains(hyps, strict).score,
        containsAny: corpusContains(hyps, any).score,
        ...nativeContains(records, hyps),
      };
    }
    case 'qa': {
      // reference streams (one answer per segment each); an empty gold never matches
      const strict = [records.map((r) => r.answer)];
      const any = [strict[0]!, records.map((r) => (r.answerEnglish && r.answerEnglish !== r.answer ? r.answerEnglish : ''))];
      return {
        em: corpusExactMatch(hyps, strict, { lang }).score,
        contains: corpusContains(hyps, strict).score,
        emAny: corpusExactMatch(hyps, any, { lang }).score,
        containsAny: corpusContains(hyps, any).score,
        ...nativeContains(records, hyps),
      };
    }
    case 'summarization': {
      const r = scoreCorpus('rouge', hyps, refs, { lang });
      return { rougeL: r.score, rouge1: r.rouge1 as number, rouge2: r.rouge2 as number };
    }
    default:
      return { chrf: scoreCorpus('chrf', hyps, refs).score };
  }
}

/**
 * Strict contains over the records whose answer in X differs from its English word.
 * Where a value is a loan word spelled as in English, an English answer also counts as
 * strict, so strict cannot tell recall in X from an answer in English there
 * (docs/world.md). `containsNative` leaves those records out ({@link nativeIndices});
 * in English, or where every answer is a loan word, it is not reported.
 */
export function nativeContains(records: readonly WorldExample[], hyps: readonly string[]): { containsNative?: number } {
  const keep = nativeIndices(records);
  if (keep.length === 0) return {};
  return { containsNative: corpusContains(keep.map((i) => hyps[i]!), [keep.map((i) => records[i]!.answer)]).score };
}

/** Indices of the records whose answer is not spelled as its English word (none in English). */
export function nativeIndices(records: readonly WorldExample[]): number[] {
  return records.map((_, i) => i).filter((i) => records[i]!.lang !== 'en' && records[i]!.answerEnglish !== undefined && records[i]!.answer !== records[i]!.answerEnglish);
}

/** Most new tokens to decode for a task: short answers for qa/knowledge, about the reference length otherwise. */
export function maxNewTokensFor(task: string, tok: Tokenizer, records: readonly WorldExample[]): number {
  const longest = Math.max(1, ...records.map((r) => tok.encode(r.output).length));
  const room = Math.ceil(longest * 1.5) + 4;
  // a QA answer may be a value alone: leave room for a model that answers with a sentence
  return task === 'qa' ? Math.max(12, room) : room;
}

/** The metrics whose per-segment statistics a result keeps, for paired tests across conditions. */
export const SEGMENT_METRICS: Record<string, string[]> = {
  translation: ['chrf'],
  qa: ['contains', 'containsAny'],
  knowledge: ['contains', 'containsAny'],
  summarization: ['rougeL'],
};

/** The additive statistics behind a stored metric name (contains/containsAny and the consistency agreements sameValue/sameValueAny: an accuracy, [hit, 1] per record; rougeL: ROUGE-L F1; chrf). */
export function segmentMetric(name: string, lang: string): StatsMetric {
  const base: Record<string, string> = { chrf: 'chrf', contains: 'contains', containsAny: 'contains', rougeL: 'rouge', sameValue: 'contains', sameValueAny: 'contains' };
  const m = base[name];
  if (!m) throw new RangeError(`no per-segment statistics for metric "${name}"; expected ${Object.keys(base).join(', ')}`);
  return statsMetric(m, { lang });
}

/** Per-segment statistics of a task's predictions for each metric in {@link SEGMENT_METRICS}. */
export function segmentStatsFor(task: string, lang: string, records: readonly WorldExample[], hyps: readonly string[]): Record<string, number[][]> {
  const out: Record<string, number[][]> = {};
  for (const name of SEGMENT_METRICS[task] ?? []) {
    const refs: string[][] =
      name === 'containsAny'
        ? [records.map((r) => r.answer), records.map((r) => (r.answerEnglish && r.answerEnglish !== r.answer ? r.answerEnglish : ''))]
        : name === 'contains'
          ? [records.map((r) => r.answer)]
          : [records.map((r) => r.output)];
    out[name] = segmentMetric(name, lang).segmentStats(hyps, refs).map((row) => [...row]);
  }
  return out;
}

/** Per-segment statistics: segments[task][lang][metric] = one row per test record (see SEGMENT_METRICS). */
export type SegmentStats = Record<string, Record<string, Record<string, number[][]>>>;

/** One test record of each task and language, with the model's output (a result's `extra.samples`). */
export interface EvalSample {
  prompt: string;
  output: string;
  gold: string;
}

/** What {@link evaluateTuned} returns. */
export interface TunedEvaluation {
  metrics: Record<string, Record<string, MetricValues>>;
  segments: SegmentStats;
  samples: Record<string, EvalSample>;
  /** TASK/LANG: how many test records `containsNative` counts (the others have loan-word answers). */
  nativeRecords: Record<string, number>;
  /** TASK/LANG: the first {@link MISSES_KEPT} records whose answer the output does not contain (qa, knowledge), to read what went wrong. */
  misses: Record<string, EvalSample[]>;
}

/** Wrong answers a result keeps per task and language. */
export const MISSES_KEPT = 5;

/** Evaluates a model on a tune spec's test tasks and languages (metrics[task][lang]), and on the real corpus when the spec asks. */
export async function evaluateTuned(model: Transformer, tok: Tokenizer, world: World, ev: TuneSpec['eval'], format: Readonly<TaskFormat> = DEFAULT_TASK_FORMAT): Promise<TunedEvaluation> {
  const out: TunedEvaluation = { metrics: {}, segments: {}, samples: {}, nativeRecords: {}, misses: {} };
  const score = async (key: string, task: WorldExample['task'], lang: string, recs: WorldExample[]) => {
    const hyps = await predict(model, tok, recs, { maxNewTokens: maxNewTokensFor(task, tok, recs) });
    const m = scoreTask(task, lang, recs, hyps);
    (out.metrics[key] ??= {})[lang] = m;
    const seg = segmentStatsFor(task, lang, recs, hyps);
    (out.segments[key] ??= {})[lang] = seg;
    out.samples[`${key}/${lang}`] = { prompt: recordPrompt(recs[0]!), output: hyps[0]!, gold: recs[0]!.output };
    if (seg.contains) {
      const missed = recs.map((r, i) => ({ prompt: recordPrompt(r), output: hyps[i]!, gold: r.answer })).filter((_, i) => seg.contains![i]![0] === 0);
      out.misses[`${key}/${lang}`] = missed.slice(0, MISSES_KEPT);
    }
    if (m.containsNative !== undefined) out.nativeRecords[`${key}/${lang}`] = nativeIndices(recs).length;
  };
  for (const task of ev.tasks) {
    for (const lang of ev.langs) {
      if (task === 'translation' && lang === 'en') continue;
      await score(task, task, lang, world.examples(task, lang, 'test', ev.n, format));
    }
  }
  if (ev.realTranslation) await score('translation-real', 'translation', ev.langs[0]!, realTranslationRecords(ev.langs[0]!, 'test', ev.n));
  return out;
}
