/**
 * ROUGE-1, ROUGE-2 and ROUGE-L (Lin, 2004) as Google's `rouge-score` package computes
 * them (precision, recall, F1 per segment; a corpus score is the mean over segments,
 * which is what its aggregator's mid value estimates), with two tokenizers:
 *
 * - `english`: rouge-score's default (no stemmer): lower-case, every run of characters
 *   other than a-z and 0-9 becomes a space, split. Text in other scripts vanishes, which
 *   is why a Chinese or Hindi summary scores 0 with it.
 * - `multilingual`: in the spirit of XL-Sum's multilingual rouge: lower-case, Unicode
 *   punctuation and symbols become spaces, letters keep their combining marks (Devanagari
 *   vowel signs, Arabic diacritics), and scripts written without spaces (Han, kana, Thai,
 *   Lao, Khmer, Myanmar) are split into one token per character, since no word
 *   segmenter is available here.
 *
 * Serves the summarisation scores of the evaluation notebooks (paper Section 5.1 and
 * Table 5: "XL-Sum ROUGE 27.6 vs 28.3").
 */

import { referencesPerSegment, signatureVersion, type StatsMetric } from './common';
import { normalizeLines, type Normalization } from './text';

export type RougeTokenizer = 'english' | 'multilingual';
export type RougeType = 'rouge1' | 'rouge2' | 'rougeL';
export const ROUGE_TYPES: readonly RougeType[] = ['rouge1', 'rouge2', 'rougeL'];

export interface RougeOptions {
  tokenizer?: RougeTokenizer;
  normalization?: Normalization;
}

/** Precision, recall and F1, each in [0, 1]. */
export interface PRF {
  precision: number;
  recall: number;
  fmeasure: number;
}

export type RougeSegmentScore = Record<RougeType, PRF>;

export interface RougeScore {
  metric: 'ROUGE';
  /** Mean F1 over segments, 0-100 (the headline numbers). */
  rouge1: number;
  rouge2: number;
  rougeL: number;
  /** Mean precision, recall and F1 per type, 0-100. */
  detail: Record<RougeType, PRF>;
  signature: string;
}

const NON_ALNUM_ASCII = /[^a-z0-9]+/g;
const VALID_TOKEN = /^[a-z0-9]+$/;

/** rouge-score's English tokenizer (`use_stemmer=False`). */
export function tokenizeRougeEnglish(text: string): string[] {
  const s = text.toLowerCase().replace(NON_ALNUM_ASCII, ' ');
  return s.split(/\s+/).filter((t) => VALID_TOKEN.test(t));
}

const NOT_WORD = /[^\p{L}\p{M}\p{N}]+/gu;
const CHAR_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]\p{M}*/gu;

/** The multilingual tokenizer described above. */
export function tokenizeRougeMultilingual(text: string): string[] {
  const s = text.toLowerCase().replace(NOT_WORD, ' ').replace(CHAR_SCRIPT, (m) => ` ${m} `);
  return s.split(/\s+/).filter((t) => t !== '');
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const k = n === 1 ? tokens[i]! : tokens.slice(i, i + n).join('\u0001');
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

function fmeasure(p: number, r: number): number {
  return p + r > 0 ? (2 * p * r) / (p + r) : 0;
}

function scoreNgrams(target: readonly string[], prediction: readonly string[], n: number): PRF {
  const t = ngramCounts(target, n);
  const p = ngramCounts(prediction, n);
  let overlap = 0;
  for (const [k, c] of t) {
    const pc = p.get(k);
    if (pc !== undefined) overlap += Math.min(c, pc);
  }
  const tCount = Math.max(0, target.length - n + 1);
  const pCount = Math.max(0, prediction.length - n + 1);
  const precision = overlap / Math.max(pCount, 1);
  const recall = overlap / Math.max(tCount, 1);
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** Length of the longest common subsequence of two token lists. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = ai === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

function scoreLcs(target: readonly string[], prediction: readonly string[]): PRF {
  if (target.length === 0 || prediction.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const lcs = lcsLength(target, prediction);
  const precision = lcs / prediction.length;
  const recall = lcs / target.length;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** ROUGE-1/2/L of one prediction against one target, given tokens. */
export function rougeTokens(target: readonly string[], prediction: readonly string[]): RougeSegmentScore {
  return { rouge1: scoreNgrams(target, prediction, 1), rouge2: scoreNgrams(target, prediction, 2), rougeL: scoreLcs(target, prediction) };
}

/** ROUGE scorer; `segmentScores` is rouge-score's `score` (and `score_multi`: best F per type over references). */
export class Rouge {
  readonly tokenizer: RougeTokenizer;
  private readonly normalization: Normalization;
  private readonly tok: (s: string) => string[];

  constructor(opts: RougeOptions = {}) {
    this.tokenizer = opts.tokenizer ?? 'english';
    if (this.tokenizer !== 'english' && this.tokenizer !== 'multilingual') {
      throw new RangeError(`unknown ROUGE tokenizer "${String(this.tokenizer)}"; expected english or multilingual`);
    }
    this.tok = this.tokenizer === 'english' ? tokenizeRougeEnglish : tokenizeRougeMultilingual;
    this.normalization = opts.normalization ?? 'none';
  }

  tokenize(text: string): string[] {
    return this.tok(this.normalization === 'nfc' ? text.normalize('NFC') : text);
  }

  /** Per-segment scores: prediction `hyps[i]` against its reference(s). */
  segmentScores(hyps: readonly string[], refs: readonly string[] | readonly (readonly string[])[]): RougeSegmentScore[] {
    const perSeg = referencesPerSegment(hyps.length, refs);
    const H = normalizeLines(hyps, this.normalization);
    return H.map((h, i) => {
      const pred = this.tok(h);
      let best: RougeSegmentScore | null = null;
      for (const r of normalizeLines(perSeg[i]!, this.normalization)) {
        const s = rougeTokens(this.tok(r), pred);
        if (best === null) best = s;
        else for (const t of ROUGE_TYPES) if (s[t].fmeasure > best[t].fmeasure) best[t] = s[t];
      }
      return best ?? rougeTokens([], pred);
    });
  }

  signature(): string {
    const parts = [`tok:${this.tokenizer}`, 'stem:no'];
    if (this.normalization !== 'none') parts.push(`norm:${this.normalization}`);
    parts.push(`version:${signatureVersion()}`);
    return parts.join('|');
  }

  corpusScore(hyps: readonly string[], refs: readonly string[] | readonly (readonly string[])[]): RougeScore {
    const segs = this.segmentScores(hyps, refs);
    const n = Math.max(segs.length, 1);
    const detail = {} as Record<RougeType, PRF>;
    for (const t of ROUGE_TYPES) {
      let p = 0;
      let r = 0;
      let f = 0;
      for (const s of segs) {
        p += s[t].precision;
        r += s[t].recall;
        f += s[t].fmeasure;
      }
      detail[t] = { precision: (100 * p) / n, recall: (100 * r) / n, fmeasure: (100 * f) / n };
    }
    return {
      metric: 'ROUGE',
      rouge1: detail.rouge1.fmeasure,
      rouge2: detail.rouge2.fmeasure,
      rougeL: detail.rougeL.fmeasure,
      detail,
      signature: this.signature(),
    };
  }

  /** One ROUGE type's F1 as a {@link StatsMetric} (per segment [F1, 1]; score = 100 x mean). */
  asStatsMetric(type: RougeType = 'rougeL'): StatsMetric {
    const names: Record<RougeType, string> = { rouge1: 'ROUGE-1', rouge2: 'ROUGE-2', rougeL: 'ROUGE-L' };
    return {
      name: names[type],
      width: 2,
      segmentStats: (hyps, refs) => this.segmentScores(hyps, refs).map((s) => [s[type].fmeasure, 1]),
      scoreFromStats: (sum) => (sum[1]! > 0 ? (100 * sum[0]!) / sum[1]! : 0),
      signature: () => this.signature(),
    };
  }
}

/** Corpus ROUGE-1/2/L (mean F1 over segments, 0-100) with rouge-score's English tokenizer by default. */
export function corpusRouge(hyps: readonly string[], refs: readonly string[] | readonly (readonly string[])[], opts: RougeOptions = {}): RougeScore {
  return new Rouge(opts).corpusScore(hyps, refs);
}
