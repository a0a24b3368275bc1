/**
 * BLEU (Papineni et al., 2002) as sacrebleu 2.x computes it: a chosen tokenizer, word
 * n-grams up to order 4 clipped by the (maximum over references) reference counts, the
 * closest reference length, brevity penalty, and `exp` smoothing by default (the NIST
 * smoothing of mteval-v13a). Corpus BLEU sums the statistics over segments; sentence
 * BLEU uses effective order, as sacrebleu's `sentence_bleu`.
 *
 * Serves the translation scores of the evaluation notebooks (paper Section 4, Table 3:
 * "BLEU 33.81 -> 34.40"), and spBLEU where the user supplies SentencePiece-tokenized text.
 */

import { referencesPerSegment, signatureVersion, type StatsMetric, sumStats } from './common';
import { normalizeLines, type Normalization, pyRstrip, pySplit } from './text';
import { bleuTokenizer, type BleuTokenizerName } from './tokenizers';

export type BleuSmoothMethod = 'exp' | 'floor' | 'add-k' | 'none';

const SMOOTH_DEFAULTS: Record<BleuSmoothMethod, number | null> = { none: null, floor: 0.1, 'add-k': 1, exp: null };

export interface BleuOptions {
  /** Tokenizer (default `13a`, or `zh` when `lang` is "zh", as sacrebleu). */
  tokenize?: BleuTokenizerName;
  /** Target language code; only chooses the default tokenizer. */
  lang?: string;
  /** Lower-case hypothesis and references first (default false). */
  lowercase?: boolean;
  smoothMethod?: BleuSmoothMethod;
  /** Value for `floor` (default 0.1) and `add-k` (default 1). */
  smoothValue?: number;
  /** Highest n-gram order (default 4). */
  maxNgramOrder?: number;
  /** Drop orders with no hypothesis n-grams (default false; true for sentence BLEU). */
  effectiveOrder?: boolean;
  /** Unicode normalisation before scoring (default none). */
  normalization?: Normalization;
}

/** A BLEU result: the score (0-100) and what it was computed from. */
export interface BleuScore {
  metric: 'BLEU';
  score: number;
  /** Matched n-grams per order. */
  counts: number[];
  /** Hypothesis n-grams per order. */
  totals: number[];
  /** Precisions per order, in percent (after smoothing). */
  precisions: number[];
  /** Brevity penalty. */
  bp: number;
  sysLen: number;
  refLen: number;
  ratio: number;
  signature: string;
  /** sacrebleu's verbose line: "p1/p2/p3/p4 (BP = ... ratio = ... hyp_len = ... ref_len = ...)". */
  verbose: string;
}

interface Resolved {
  tokenize: BleuTokenizerName;
  lowercase: boolean;
  smoothMethod: BleuSmoothMethod;
  smoothValue: number | undefined;
  maxOrder: number;
  effectiveOrder: boolean;
  normalization: Normalization;
}

function resolve(opts: BleuOptions): Resolved {
  const smoothMethod = opts.smoothMethod ?? 'exp';
  if (!(smoothMethod in SMOOTH_DEFAULTS)) {
    throw new RangeError(`unknown BLEU smoothing "${smoothMethod}"; expected exp, floor, add-k or none`);
  }
  const maxOrder = opts.maxNgramOrder ?? 4;
  if (!Number.isInteger(maxOrder) || maxOrder < 1) throw new RangeError(`maxNgramOrder must be a positive integer, got ${maxOrder}`);
  return {
    tokenize: opts.tokenize ?? (opts.lang === 'zh' ? 'zh' : '13a'),
    lowercase: opts.lowercase ?? false,
    smoothMethod,
    smoothValue: opts.smoothValue,
    maxOrder,
    effectiveOrder: opts.effectiveOrder ?? false,
    normalization: opts.normalization ?? 'none',
  };
}

/** sacrebleu's floored log: log(0) is -9999999999 rather than -Infinity. */
function myLog(x: number): number {
  return x === 0 ? -9999999999 : Math.log(x);
}

/**
 * BLEU from summed statistics, sacrebleu's `compute_bleu`: `correct`/`total` per order,
 * system and reference lengths. Exported for tests against published statistics.
 */
export function computeBleu(
  correctIn: readonly number[],
  totalIn: readonly number[],
  sysLen: number,
  refLen: number,
  opts: { smoothMethod?: BleuSmoothMethod; smoothValue?: number; effectiveOrder?: boolean; maxNgramOrder?: number } = {},
): { score: number; bp: number; precisions: number[]; counts: number[]; totals: number[] } {
  const method = opts.smoothMethod ?? 'none';
  const value = opts.smoothValue ?? SMOOTH_DEFAULTS[method] ?? 0;
  const maxOrder = opts.maxNgramOrder ?? 4;
  const correct = correctIn.slice();
  const total = totalIn.slice();
  let bp = 1.0;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0;
  const precisions = new Array<number>(maxOrder).fill(0);
  if (!correct.some((c) => c !== 0)) return { score: 0, bp, precisions, counts: correctIn.slice(), totals: totalIn.slice() };
  let smoothMteval = 1;
  let effOrder = maxOrder;
  for (let n = 1; n <= maxOrder; n++) {
    if (method === 'add-k' && n > 1) {
      correct[n - 1]! += value;
      total[n - 1]! += value;
    }
    if (total[n - 1] === 0) break;
    if (opts.effectiveOrder) effOrder = n;
    if (correct[n - 1] === 0) {
      if (method === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total[n - 1]!);
      } else if (method === 'floor') {
        precisions[n - 1] = (100 * value) / total[n - 1]!;
      }
    } else {
      precisions[n - 1] = (100 * correct[n - 1]!) / total[n - 1]!;
    }
  }
  let logSum = 0;
  for (let i = 0; i < effOrder; i++) logSum += myLog(precisions[i]!);
  return { score: bp * Math.exp(logSum / effOrder), bp, precisions, counts: correct, totals: total };
}

/** Counts word n-grams of orders 1..maxOrder, keyed by the tokens joined with a space. */
function ngramCounts(tokens: readonly string[], maxOrder: number): Map<string, number> {
  const counts = new Map<string, number>();
  const len = tokens.length;
  for (let i = 0; i < len; i++) {
    let key = '';
    for (let n = 1; n <= maxOrder && i + n <= len; n++) {
      key = n === 1 ? tokens[i]! : key + ' ' + tokens[i + n - 1]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

function orderOf(key: string): number {
  let n = 1;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) === 32) n++;
  return n;
}

/** sacrebleu's choice of reference length: the closest to the hypothesis, the shorter on ties. */
function closestRefLen(hypLen: number, refLens: readonly number[]): number {
  let closestDiff = -1;
  let closestLen = -1;
  for (const r of refLens) {
    const diff = Math.abs(hypLen - r);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closestLen = r;
    } else if (diff === closestDiff && r < closestLen) {
      closestLen = r;
    }
  }
  return closestLen;
}

/** BLEU as a {@link StatsMetric}: per segment [hypLen, refLen, correct x N, total x N]. */
export class Bleu implements StatsMetric {
  readonly name = 'BLEU';
  readonly width: number;
  private readonly o: Resolved;
  private readonly tok: (line: string) => string;
  private nrefs: number | 'var' = 1;

  constructor(opts: BleuOptions = {}) {
    this.o = resolve(opts);
    this.tok = bleuTokenizer(this.o.tokenize);
    this.width = 2 + 2 * this.o.maxOrder;
  }

  private prep(line: string): string[] {
    const s = this.o.lowercase ? line.toLowerCase() : line;
    return pySplit(this.tok(pyRstrip(s)));
  }

  segmentStats(hyps: readonly string[], refs: readonly string[] | readonly (readonly string[])[]): number[][] {
    const perSeg = referencesPerSegment(hyps.length, refs);
    const H = normalizeLines(hyps, this.o.normalization);
    const maxOrder = this.o.maxOrder;
    const nrefSet = new Set<number>();
    const out: number[][] = [];
    for (let i = 0; i < H.length; i++) {
      const segRefs = normalizeLines(perSeg[i]!, this.o.normalization);
      nrefSet.add(segRefs.length);
      let refNgrams: Map<string, number> | null = null;
      const refLens: number[] = [];
      for (const r of segRefs) {
        const toks = this.prep(r);
        refLens.push(toks.length);
        const c = ngramCounts(toks, maxOrder);
        if (refNgrams === null) refNgrams = c;
        else for (const [k, v] of c) if (v > (refNgrams.get(k) ?? 0)) refNgrams.set(k, v);
      }
      const hypToks = this.prep(H[i]!);
      const hypNgrams = ngramCounts(hypToks, maxOrder);
      const row = new Array<number>(this.width).fill(0);
      row[0] = hypToks.length;
      row[1] = closestRefLen(hypToks.length, refLens);
      for (const [k, v] of hypNgrams) {
        const n = orderOf(k) - 1;
        row[2 + maxOrder + n]! += v;
        const r = refNgrams?.get(k);
        if (r !== undefined) row[2 + n]! += Math.min(v, r);
      }
      out.push(row);
    }
    this.nrefs = nrefSet.size <= 1 ? (nrefSet.values().next().value ?? 1) : 'var';
    return out;
  }

  /** The full BLEU result from summed statistics. */
  resultFromStats(sum: ArrayLike<number>): BleuScore {
    const m = this.o.maxOrder;
    const stats = Array.from(sum);
    const sysLen = stats[0]!;
    const refLen = stats[1]!;
    const r = computeBleu(stats.slice(2, 2 + m), stats.slice(2 + m, 2 + 2 * m), sysLen, refLen, {
      smoothMethod: this.o.smoothMethod,
      smoothValue: this.o.smoothValue,
      effectiveOrder: this.o.effectiveOrder,
      maxNgramOrder: m,
    });
    const ratio = refLen ? sysLen / refLen : 0;
    const verbose =
      `${r.precisions.map((p) => p.toFixed(1)).join('/')} (BP = ${r.bp.toFixed(3)} ` +
      `ratio = ${ratio.toFixed(3)} hyp_len = ${sysLen} ref_len = ${refLen})`;
    return {
      metric: 'BLEU',
      score: r.score,
      counts: r.counts,
      totals: r.totals,
      precisions: r.precisions,
      bp: r.bp,
      sysLen,
      refLen,
      ratio,
      signature: this.signature(),
      verbose,
    };
  }

  scoreFromStats(sum: ArrayLike<number>): number {
    return this.resultFromStats(sum).score;
  }

  /** sacrebleu's short signature, e.g. `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:xalign-0.1.0`. */
  signature(): string {
    const def = SMOOTH_DEFAULTS[this.o.smoothMethod];
    let smooth: string = this.o.smoothMethod;
    if (def !== null) smooth += `[${(this.o.smoothValue ?? def).toFixed(2)}]`;
    const parts = [
      `nrefs:${this.nrefs}`,
      `case:${this.o.lowercase ? 'lc' : 'mixed'}`,
      `eff:${this.o.effectiveOrder ? 'yes' : 'no'}`,
      `tok:${this.o.tokenize}`,
      `smooth:${smooth}`,
      `version:${signatureVersion()}`,
    ];
    if (this.o.normalization !== 'none') parts.splice(parts.length - 1, 0, `norm:${this.o.normalization}`);
    return parts.join('|');
  }

  /** Corpus BLEU of `hyps` against one reference stream or several. */
  corpusScore(hyps: readonly string[], refs: readonly string[] | readonly (readonly string[])[]): BleuScore {
    return this.resultFromStats(sumStats(this.segmentStats(hyps, refs), this.width));
  }
}

/**
 * Corpus BLEU, sacrebleu's `corpus_bleu` with the same defaults (13a, exp smoothing,
 * no effective order). `refs` is one reference stream or several (`refs[k][i]`).
 */
export function corpusBleu(
  hyps: readonly string[],
  refs: readonly string[] | readonly (readonly string[])[],
  opts: BleuOptions = {},
): BleuScore {
  return new Bleu(opts).corpusScore(hyps, refs);
}

/** Sentence BLEU, sacrebleu's `sentence_bleu`: effective order on by default. */
export function sentenceBleu(hyp: string, refs: readonly string[], opts: BleuOptions = {}): BleuScore {
  return new Bleu({ effectiveOrder: true, ...opts }).corpusScore(
    [hyp],
    refs.map((r) => [r]),
  );
}
