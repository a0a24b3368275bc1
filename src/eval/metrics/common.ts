/**
 * What every corpus metric shares: per-segment sufficient statistics that add up over
 * a corpus, a score computed from their sum, and a signature. Paired bootstrap
 * resampling and approximate randomisation (significance.ts) work on any metric of
 * this shape, exactly as sacrebleu's tests do on its metrics.
 *
 * Serves the significance marks of paper Table 3 ("significant at p < 0.05").
 */

import { xalignVersion } from '../../provenance';

/** A corpus-level metric as sufficient statistics: what significance tests need. */
export interface StatsMetric {
  /** Display name, e.g. "BLEU", "chrF2++", "ROUGE-L", "EM". */
  name: string;
  /** Number of statistics per segment. */
  width: number;
  /** Per-segment statistics, `hyps.length` rows of `width` numbers. */
  segmentStats(hyps: readonly string[], refs: readonly string[] | readonly (readonly string[])[]): number[][];
  /** The corpus score (0-100) from statistics summed over segments. */
  scoreFromStats(sum: ArrayLike<number>): number;
  /** sacrebleu-style signature of the settings. */
  signature(): string;
}

/** Version tag written into signatures: which implementation produced a number. */
export function signatureVersion(): string {
  return `xalign-${xalignVersion()}`;
}

/** Sums segment statistics (rows) column by column. */
export function sumStats(stats: readonly (readonly number[])[], width: number): number[] {
  const total = new Array<number>(width).fill(0);
  for (const row of stats) for (let j = 0; j < width; j++) total[j]! += row[j]!;
  return total;
}

/**
 * Accepts references as one stream (`string[]`, one reference per segment) or several
 * streams (`string[][]`, sacrebleu's layout: `refs[k][i]` is reference k of segment i),
 * and returns the per-segment reference lists. Every stream must match the hypotheses
 * in length; the error names both counts.
 */
export function referencesPerSegment(
  nHyps: number,
  refs: readonly string[] | readonly (readonly string[])[],
): string[][] {
  const streams: readonly (readonly string[])[] =
    refs.length === 0 || typeof refs[0] === 'string' ? [refs as readonly string[]] : (refs as readonly (readonly string[])[]);
  streams.forEach((s, k) => {
    if (s.length !== nHyps) {
      const label = streams.length === 1 ? 'references' : `reference stream ${k + 1}`;
      throw new Error(`line counts differ: hypotheses have ${nHyps} lines, ${label} has ${s.length}`);
    }
  });
  const out: string[][] = [];
  for (let i = 0; i < nHyps; i++) out.push(streams.map((s) => s[i]!));
  return out;
}
