/**
 * Streaming statistics of a parallel corpus: pairs, characters, whitespace tokens,
 * mean lengths, mean length ratio, empty lines and the scripts used, computed in one
 * pass in bounded memory (a few counters per file, whatever its size). Serves
 * notebook 01 (Table 1 of the paper beside our corpora), `xalign data summarise` and
 * `npm run bench:data`.
 */

import { forEachPairBatch, type Pair, type ParallelReadOptions } from './parallel';

export interface SideSummary {
  chars: number;
  tokens: number;
  empty: number;
  meanChars: number;
  meanTokens: number;
}

export interface ParallelSummary {
  pairs: number;
  bytes: number;
  skippedInvalid: number;
  src: SideSummary;
  tgt: SideSummary;
  /** Mean of target chars / source chars over pairs with a non-empty source. */
  meanCharRatio: number;
  /** Share of target characters per script (Latin, Greek, Han, ...), letters only. */
  tgtScripts: Record<string, number>;
}

const SCRIPT_TESTS: [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Han', /\p{Script=Han}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
];

/** The script of one character (letters only; others return undefined). */
export function scriptOf(ch: string): string | undefined {
  const c = ch.codePointAt(0)!;
  if (c < 0x80) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 'Latin' : undefined;
  for (const [name, re] of SCRIPT_TESTS) if (re.test(ch)) return name;
  return /\p{L}/u.test(ch) ? 'Other' : undefined;
}

/** Counts letters per script in `text` into `into`. */
export function countScripts(text: string, into: Record<string, number>): void {
  for (const ch of text) {
    const s = scriptOf(ch);
    if (s) into[s] = (into[s] ?? 0) + 1;
  }
}

/** Whitespace-separated tokens in `s` (Chinese has few: see the per-character columns). */
export function countTokens(s: string): number {
  let n = 0;
  let inTok = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ws = c === 32 || c === 9 || c === 0x3000 || c === 0xa0;
    if (!ws && !inTok) n++;
    inTok = !ws;
  }
  return n;
}

/** Accumulates a summary batch by batch; `scriptSample` limits script counting to the first N pairs. */
export class SummaryAccumulator {
  pairs = 0;
  private sc = 0;
  private st = 0;
  private tc = 0;
  private tt = 0;
  private se = 0;
  private te = 0;
  private ratioSum = 0;
  private ratioN = 0;
  readonly scripts: Record<string, number> = {};
  constructor(private readonly scriptSample = 10000) {}

  add(batch: readonly Pair[]): void {
    for (const p of batch) {
      const a = p.src.length;
      const b = p.tgt.length;
      this.sc += a;
      this.tc += b;
      this.st += countTokens(p.src);
      this.tt += countTokens(p.tgt);
      if (a === 0) this.se++;
      else {
        this.ratioSum += b / a;
        this.ratioN++;
      }
      if (b === 0) this.te++;
      if (this.pairs < this.scriptSample) countScripts(p.tgt, this.scripts);
      this.pairs++;
    }
  }

  result(bytes = 0, skippedInvalid = 0): ParallelSummary {
    const n = Math.max(1, this.pairs);
    const total = Object.values(this.scripts).reduce((x, y) => x + y, 0) || 1;
    const tgtScripts: Record<string, number> = {};
    for (const [k, v] of Object.entries(this.scripts).sort((x, y) => y[1] - x[1])) tgtScripts[k] = v / total;
    return {
      pairs: this.pairs,
      bytes,
      skippedInvalid,
      src: { chars: this.sc, tokens: this.st, empty: this.se, meanChars: this.sc / n, meanTokens: this.st / n },
      tgt: { chars: this.tc, tokens: this.tt, empty: this.te, meanChars: this.tc / n, meanTokens: this.tt / n },
      meanCharRatio: this.ratioN ? this.ratioSum / this.ratioN : 0,
      tgtScripts,
    };
  }
}

/** Summarises a line-aligned pair of files in one streaming pass. */
export function summariseParallel(srcFile: string, tgtFile: string, options: ParallelReadOptions = {}): ParallelSummary {
  const acc = new SummaryAccumulator();
  const r = forEachPairBatch(srcFile, tgtFile, (b) => acc.add(b), options);
  return acc.result(r.bytes, r.skippedInvalid);
}

/** Summarises pairs already in memory. */
export function summarisePairs(pairs: readonly Pair[]): ParallelSummary {
  const acc = new SummaryAccumulator();
  acc.add(pairs);
  return acc.result();
}
