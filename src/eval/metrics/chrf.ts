/**
 * chrF (Popović, 2015) and chrF++ (Popović, 2017) as sacrebleu 2.x computes them:
 * character n-grams of orders 1..6 with whitespace removed, plus (chrF++) word unigrams
 * and bigrams after splitting a leading or trailing ASCII punctuation mark off each word;
 * per-order precision and recall averaged over the orders both sides have (sacrebleu's
 * default "effective order"), combined as an F-beta score with beta 2. Corpus scores sum
 * the statistics over segments; with several references each segment uses the one with
 * the best F.
 *
 * Serves the translation scores of the evaluation notebooks (translation chrF
 * rose with the number of pairs) and the data-size series of the scaling notebook.
 */

import { referencesPerSegment, signatureVersion, type StatsMetric, sumStats } from './common';
import { codePoints, normalizeLines, type Normalization, pySplit } from './text';

export interface ChrfOptions {
  /** Character n-gram order (default 6). */
  charOrder?: number;
  /** Word n-gram order (default 0 for chrF; chrF++ uses 2). */
  wordOrder?: number;
  /** Recall weight (default 2). */
  beta?: number;
  lowercase?: boolean;
  /** Keep whitespace inside character n-grams (default false). */
  whitespace?: boolean;
  /** chrF++.py / NLTK / Moses-style epsilon smoothing instead of effective order (default false). */
  epsSmoothing?: boolean;
  normalization?: Normalization;
}

export interface ChrfScore {
  metric: string;
  score: number;
  signature: string;
}

const PUNCTS = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** sacrebleu's chrF++ word split: a trailing, else a leading, punctuation mark becomes its own word. */
export function chrfWords(sent: string): string[] {
  const out: string[] = [];
  for (const w of pySplit(sent)) {
    const cps = codePoints(w);
    if (cps.length === 1) out.push(w);
    else if (PUNCTS.has(cps[cps.length - 1]!)) out.push(cps.slice(0, -1).join(''), cps[cps.length - 1]!);
    else if (PUNCTS.has(cps[0]!)) out.push(cps[0]!, cps.slice(1).join(''));
    else out.push(w);
  }
  return out;
}

function charNgrams(line: string, maxOrder: number, whitespace: boolean): Map<string, number>[] {
  const s = whitespace ? line : pySplit(line).join('');
  const out: Map<string, number>[] = [];
  if (!/[\ud800-\udfff]/.test(s)) {
    // One code unit per code point: slice the string directly (the common, fast case).
    for (let n = 1; n <= maxOrder; n++) {
      const m = new Map<string, number>();
      for (let i = 0; i + n <= s.length; i++) {
        const k = s.substring(i, i + n);
        m.set(k, (m.get(k) ?? 0) + 1);
      }
      out.push(m);
    }
    return out;
  }
  const cps = codePoints(s);
  for (let n = 1; n <= maxOrder; n++) {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= cps.length; i++) {
      const k = n === 1 ? cps[i]! : cps.slice(i, i + n).join('');
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    out.push(m);
  }
  return out;
}

function wordNgrams(words: readonly string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= words.length; i++) {
    const k = words.slice(i, i + n).join(' ');
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/** chrF / chrF++ as a {@link StatsMetric}: per segment [hyp, ref, match] for each order. */
export class Chrf implements StatsMetric {
  readonly name: string;
  readonly width: number;
  readonly charOrder: number;
  readonly wordOrder: number;
  readonly beta: number;
  private readonly lowercase: boolean;
  private readonly whitespace: boolean;
  private readonly epsSmoothing: boolean;
  private readonly normalization: Normalization;
  private nrefs: number | 'var' = 1;

  constructor(opts: ChrfOptions = {}) {
    this.charOrder = opts.charOrder ?? 6;
    this.wordOrder = opts.wordOrder ?? 0;
    this.beta = opts.beta ?? 2;
    this.lowercase = opts.lowercase ?? false;
    this.whitespace = opts.whitespace ?? false;
    this.epsSmoothing = opts.epsSmoothing ?? false;
    this.normalization = opts.normalization ?? 'none';
    this.width = 3 * (this.charOrder + this.wordOrder);
    this.name = `chrF${this.beta}` + '+'.repeat(this.wordOrder);
  }

  private ngrams(line: string): Map<string, number>[] {
    const s = this.lowercase ? line.toLowerCase() : line;
    const all = charNgrams(s, this.charOrder, this.whitespace);
    if (this.wordOrder > 0) {
      const words = chrfWords(s);
      for (let n = 1; n <= this.wordOrder; n++) all.push(wordNgrams(words, n));
    }
    return all;
  }

  /** The F score (0-100) from [hyp, ref, match] statistics per order. */
  scoreFromStats(stats: ArrayLike<number>): number {
    const eps = 1e-16;
    const order = this.charOrder + this.wordOrder;
    const factor = this.beta ** 2;
    let score = 0;
    let effOrder = 0;
    let avgPrec = 0;
    let avgRec = 0;
    for (let i = 0; i < order; i++) {
      const nHyp = stats[3 * i]!;
      const nRef = stats[3 * i + 1]!;
      const nMatch = stats[3 * i + 2]!;
      const prec = nHyp > 0 ? nMatch / nHyp : eps;
      const rec = nRef > 0 ? nMatch / nRef : eps;
      const denom = factor * prec + rec;
      score += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
      if (nHyp > 0 && nRef > 0) {
        avgPrec += prec;
        avgRec += rec;
        effOrder += 1;
      }
    }
    if (this.epsSmoothing) return (100 * score) / order;
    if (effOrder === 0) {
      avgPrec = 0;
      avgRec = 0;
    } else {
      avgPrec /= effOrder;
      avgRec /= effOrder;
    }
    if (avgPrec + avgRec) return (100 * ((1 + factor) * avgPrec * avgRec)) / (factor * avgPrec + avgRec);
    return 0;
  }

  segmentStats(hyps: readonly string[], refs: readonly string[] | readonly (readonly string[])[]): number[][] {
    const perSeg = referencesPerSegment(hyps.length, refs);
    const H = normalizeLines(hyps, this.normalization);
    const nrefSet = new Set<number>();
    const out: number[][] = [];
    for (let i = 0; i < H.length; i++) {
      const segRefs = normalizeLines(perSeg[i]!, this.normalization);
      nrefSet.add(segRefs.length);
      const hyp = this.ngrams(H[i]!);
      let best: number[] = [];
      let bestF = -1;
      for (const r of segRefs) {
        const ref = this.ngrams(r);
        const stats: number[] = [];
        for (let o = 0; o < hyp.length; o++) {
          const h = hyp[o]!;
          const rr = ref[o]!;
          let match = 0;
          let hypCount = 0;
          for (const [k, c] of h) {
            hypCount += c;
            const rc = rr.get(k);
            if (rc !== undefined) match += Math.min(c, rc);
          }
          let refCount = 0;
          for (const c of rr.values()) refCount += c;
          stats.push(rr.size > 0 ? hypCount : 0, refCount, match);
        }
        const f = this.scoreFromStats(stats);
        if (f > bestF) {
          bestF = f;
          best = stats;
        }
      }
      out.push(best);
    }
    this.nrefs = nrefSet.size <= 1 ? (nrefSet.values().next().value ?? 1) : 'var';
    return out;
  }

  /** sacrebleu's short chrF signature, e.g. `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:...`. */
  signature(): string {
    const parts = [
      `nrefs:${this.nrefs}`,
      `case:${this.lowercase ? 'lc' : 'mixed'}`,
      `eff:${this.epsSmoothing ? 'no' : 'yes'}`,
      `nc:${this.charOrder}`,
      `nw:${this.wordOrder}`,
      `space:${this.whitespace ? 'yes' : 'no'}`,
    ];
    if (this.normalization !== 'none') parts.push(`norm:${this.normalization}`);
    parts.push(`version:${signatureVersion()}`);
    return parts.join('|');
  }

  corpusScore(hyps: readonly string[], refs: readonly string[] | readonly (readonly string[])[]): ChrfScore {
    const stats = this.segmentStats(hyps, refs);
    return { metric: this.name, score: this.scoreFromStats(sumStats(stats, this.width)), signature: this.signature() };
  }
}

/** Corpus chrF (sacrebleu's `corpus_chrf` defaults: char order 6, word order 0, beta 2). */
export function corpusChrf(hyps: readonly string[], refs: readonly string[] | readonly (readonly string[])[], opts: ChrfOptions = {}): ChrfScore {
  return new Chrf(opts).corpusScore(hyps, refs);
}

/** Corpus chrF++ (word order 2). */
export function corpusChrfPlusPlus(
  hyps: readonly string[],
  refs: readonly string[] | readonly (readonly string[])[],
  opts: ChrfOptions = {},
): ChrfScore {
  return new Chrf({ wordOrder: 2, ...opts }).corpusScore(hyps, refs);
}

/** Sentence chrF of one hypothesis against its references. */
export function sentenceChrf(hyp: string, refs: readonly string[], opts: ChrfOptions = {}): ChrfScore {
  return new Chrf(opts).corpusScore(
    [hyp],
    refs.map((r) => [r]),
  );
}
