/**
 * Line-aligned parallel text: two files where line i of one translates line i of the
 * other (`train.en` / `train.zh`, the layout of OPUS Moses downloads and of the paper's
 * public code, Section 4.1 / Table 1). Reading streams both files together, so a
 * million-line pair is summarised in bounded memory. Line counts that differ are an
 * error naming both files and both counts. Serves notebook 01 and `xalign data`.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from './errors';
import { LineReader, type LineReaderOptions } from './lines';

export interface Pair {
  src: string;
  tgt: string;
}

export interface ParallelReadOptions extends LineReaderOptions {
  /** Allow an empty pair of files (default: an empty file is an error). */
  allowEmpty?: boolean;
}

export interface ParallelReadReport {
  pairs: number;
  /** Pairs dropped because one side had invalid UTF-8 (invalid: 'skip'). */
  skippedInvalid: number;
  bytes: number;
}

/**
 * Streams the pairs of `srcFile` / `tgtFile` in batches to `fn`. Throws a DataError if
 * the line counts differ (after reading both to the end, to report both counts), if a
 * file is empty, or on invalid UTF-8 (unless `invalid: 'skip'`).
 */
export function forEachPairBatch(
  srcFile: string,
  tgtFile: string,
  fn: (batch: Pair[]) => void,
  options: ParallelReadOptions = {},
): ParallelReadReport {
  const a = new LineReader(srcFile, options);
  const b = new LineReader(tgtFile, options);
  let qa: (string | null)[] = [];
  let qb: (string | null)[] = [];
  let ia = 0;
  let ib = 0;
  let doneA = false;
  let doneB = false;
  let pairs = 0;
  let skipped = 0;
  try {
    while (true) {
      if (ia >= qa.length && !doneA) {
        const x = a.nextBatch();
        if (x === null) doneA = true;
        else (qa = x), (ia = 0);
      }
      if (ib >= qb.length && !doneB) {
        const x = b.nextBatch();
        if (x === null) doneB = true;
        else (qb = x), (ib = 0);
      }
      const n = Math.min(qa.length - ia, qb.length - ib);
      if (n > 0) {
        const out: Pair[] = [];
        for (let k = 0; k < n; k++) {
          const s = qa[ia + k]!;
          const t = qb[ib + k]!;
          if (s === null || t === null) skipped++;
          else out.push({ src: s, tgt: t });
        }
        ia += n;
        ib += n;
        pairs += out.length;
        if (out.length) fn(out);
        continue;
      }
      break; // one side is exhausted (a batch is never empty)
    }
    // One side may have lines left: drain it to report both counts.
    while (!doneA && a.nextBatch() !== null);
    while (!doneB && b.nextBatch() !== null);
  } finally {
    a.close();
    b.close();
  }
  if (a.lineCount !== b.lineCount) {
    throw new DataError(
      `line counts differ: ${srcFile} has ${a.lineCount} lines, ${tgtFile} has ${b.lineCount}; ` +
        `the two sides of a parallel corpus must align line by line`,
      { file: srcFile },
    );
  }
  if (a.lineCount === 0 && !options.allowEmpty) {
    throw new DataError(`${srcFile} and ${tgtFile} are empty: expected one sentence per line`, { file: srcFile });
  }
  return { pairs, skippedInvalid: skipped, bytes: a.bytesRead + b.bytesRead };
}

/** Reads all pairs of a (small enough) parallel corpus into memory. */
export function readParallel(srcFile: string, tgtFile: string, options: ParallelReadOptions = {}): Pair[] {
  const out: Pair[] = [];
  forEachPairBatch(srcFile, tgtFile, (b) => void out.push(...b), options);
  return out;
}

function checkSegment(s: string, side: string, i: number): void {
  if (/[\n\r]/.test(s)) {
    throw new DataError(`pair ${i}: the ${side} side contains a line break; one segment per line is required`, {
      record: i,
      field: side,
    });
  }
}

/**
 * Writes pairs as `prefix.srcLang` / `prefix.tgtLang` (e.g. `train.en`, `train.zh`),
 * both atomically: nothing is renamed into place until both sides are complete and valid.
 * Returns the two paths.
 */
export function writeParallel(prefix: string, srcLang: string, tgtLang: string, pairs: Iterable<Pair>): [string, string] {
  const fa = `${prefix}.${srcLang}`;
  const fb = `${prefix}.${tgtLang}`;
  fs.mkdirSync(path.dirname(fa), { recursive: true });
  const ta = path.join(path.dirname(fa), `.${path.basename(fa)}.${process.pid}.tmp`);
  const tb = path.join(path.dirname(fb), `.${path.basename(fb)}.${process.pid}.tmp`);
  const da = fs.openSync(ta, 'w');
  const db = fs.openSync(tb, 'w');
  let ok = false;
  try {
    let i = 0;
    let bufA: string[] = [];
    let bufB: string[] = [];
    const flush = () => {
      if (bufA.length) fs.writeSync(da, bufA.join(''));
      if (bufB.length) fs.writeSync(db, bufB.join(''));
      bufA = [];
      bufB = [];
    };
    for (const p of pairs) {
      checkSegment(p.src, 'source', i);
      checkSegment(p.tgt, 'target', i);
      bufA.push(p.src + '\n');
      bufB.push(p.tgt + '\n');
      if (++i % 10000 === 0) flush();
    }
    flush();
    ok = true;
  } finally {
    fs.closeSync(da);
    fs.closeSync(db);
    if (!ok) {
      fs.rmSync(ta, { force: true });
      fs.rmSync(tb, { force: true });
    }
  }
  fs.renameSync(ta, fa);
  fs.renameSync(tb, fb);
  return [fa, fb];
}
