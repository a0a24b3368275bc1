/**
 * Evaluation metrics that match the reference tools (sacrebleu 2.x for BLEU and chrF,
 * Google rouge-score for ROUGE, the SQuAD/MLQA scripts for exact match), readers for
 * externally computed COMET/BLEURT/spBLEU scores, and significance tests.
 * `scoreCorpus` and `statsMetric` are the one entry the CLI and the notebooks share.
 */

import { Bleu, type BleuOptions } from './bleu';
import { Chrf } from './chrf';
import type { StatsMetric } from './common';
import { AnswerAccuracy, type AnswerStyle } from './exact-match';
import { Rouge, type RougeTokenizer, type RougeType } from './rouge';
import type { Normalization } from './text';
import type { BleuTokenizerName } from './tokenizers';

export * from './bleu';
export * from './chrf';
export * from './common';
export * from './exact-match';
export * from './external';
export * from './rouge';
export * from './significance';
export * from './text';
export * from './tokenizers';

export type MetricName = 'bleu' | 'chrf' | 'chrf++' | 'rouge' | 'em' | 'contains';
export const METRIC_NAMES: readonly MetricName[] = ['bleu', 'chrf', 'chrf++', 'rouge', 'em', 'contains'];

export interface ScoreOptions {
  /** BLEU tokenizer (13a, zh, char, intl, none). */
  tokenize?: BleuTokenizerName;
  /** Language code: BLEU's default tokenizer (zh), EM normalisation, ROUGE tokenizer (non-en: multilingual). */
  lang?: string;
  /** ROUGE tokenizer; default english, or multilingual when `lang` is set and not en. */
  rougeTokenizer?: RougeTokenizer;
  /** EM normalisation style (mlqa, squad). */
  style?: AnswerStyle;
  lowercase?: boolean;
  normalization?: Normalization;
}

/** The JSON-ready result of {@link scoreCorpus}: `metric`, `score` (0-100), `signature` and details. */
export interface CorpusScore {
  metric: string;
  score: number;
  signature: string;
  [detail: string]: unknown;
}

function rougeTok(opts: ScoreOptions): RougeTokenizer {
  return opts.rougeTokenizer ?? (opts.lang && opts.lang !== 'en' ? 'multilingual' : 'english');
}

/**
 * The metric `name` as additive per-segment statistics (for significance tests).
 * `rouge` means ROUGE-L F1; `rouge1`, `rouge2`, `rougeL` pick one.
 */
export function statsMetric(name: string, opts: ScoreOptions = {}): StatsMetric {
  const norm = opts.normalization ?? 'none';
  const bleuOpts: BleuOptions = { tokenize: opts.tokenize, lang: opts.lang, lowercase: opts.lowercase, normalization: norm };
  switch (name) {
    case 'bleu':
      return new Bleu(bleuOpts);
    case 'chrf':
      return new Chrf({ lowercase: opts.lowercase, normalization: norm });
    case 'chrf++':
      return new Chrf({ wordOrder: 2, lowercase: opts.lowercase, normalization: norm });
    case 'rouge':
    case 'rougeL':
    case 'rouge1':
    case 'rouge2':
      return new Rouge({ tokenizer: rougeTok(opts), normalization: norm }).asStatsMetric(name === 'rouge' ? 'rougeL' : (name as RougeType));
    case 'em':
      return new AnswerAccuracy('em', { lang: opts.lang, style: opts.style, normalization: norm });
    case 'contains':
      return new AnswerAccuracy('contains', { normalization: norm });
    default:
      throw new RangeError(`unknown metric "${name}"; expected one of ${[...METRIC_NAMES, 'rouge1', 'rouge2', 'rougeL'].join(', ')}`);
  }
}

/** Scores a corpus with metric `name`; `refs` is one reference stream or several. */
export function scoreCorpus(
  name: string,
  hyps: readonly string[],
  refs: readonly string[] | readonly (readonly string[])[],
  opts: ScoreOptions = {},
): CorpusScore {
  if (name === 'rouge') {
    const r = new Rouge({ tokenizer: rougeTok(opts), normalization: opts.normalization }).corpusScore(hyps, refs);
    return { metric: 'ROUGE', score: r.rougeL, signature: r.signature, rouge1: r.rouge1, rouge2: r.rouge2, rougeL: r.rougeL, detail: r.detail, segments: hyps.length };
  }
  const m = statsMetric(name, opts);
  if (m instanceof Bleu) {
    const r = m.corpusScore(hyps, refs);
    const { metric, score, signature, ...rest } = r;
    return { metric, score, signature, ...rest, segments: hyps.length };
  }
  if (m instanceof Chrf) {
    const r = m.corpusScore(hyps, refs);
    return { ...r, segments: hyps.length };
  }
  const r = (m as AnswerAccuracy).corpusScore(hyps, refs);
  return { ...r, segments: hyps.length };
}
