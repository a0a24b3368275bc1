/**
 * Readers for segment scores computed elsewhere. COMET (wmt22-comet-da), BLEURT and
 * spBLEU (BLEU on FLORES-101 SentencePiece pieces) need models or tokenizer files that
 * cannot be downloaded here; a user computes them on another machine and hands the
 * per-segment scores over as a file, and the notebooks read them with
 * {@link readSegmentScores}. The corpus score of COMET and BLEURT is the mean of the
 * segment scores (reported x100 in the paper); for spBLEU a file of sentence scores gives
 * only their mean: the corpus spBLEU itself is `corpusBleu` with `tokenize: 'none'` on
 * text already split into SentencePiece pieces.
 *
 * Accepted formats (the error names the file, the line or index, and what was expected):
 * - JSON: an array of numbers; an array of objects with a numeric field (`field`, else
 *   the first of score, COMET, comet, BLEURT, bleurt, spBLEU, spbleu); an object with
 *   `scores` holding either; or an object with exactly one array value holding either
 *   (the shape of `comet-score --to_json`, keyed by the hypothesis file).
 * - TSV / plain text: one segment per line, the score in the last tab-separated column
 *   (or the column named `field` in a header line); a first line whose last column is
 *   not a number is read as a header.
 *
 * Serves paper Table 3 (COMET 84.22 -> 84.70, BLEURT 69.73 -> 70.42).
 */

import { readAllLines } from '../../data/lines';

export interface SegmentScores {
  /** Which metric the file holds, as the caller named it. */
  metric: string;
  file: string;
  scores: number[];
  /** Mean of the segment scores (in the file's own units). */
  mean: number;
}

const FIELDS = ['score', 'COMET', 'comet', 'BLEURT', 'bleurt', 'spBLEU', 'spbleu'];

/** A score cell: a number in decimal ("0.81", "-1.2e-3"); not "0x10", "NaN" or "Infinity". */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** The number a TSV cell spells in decimal, or NaN. */
function cellNumber(cell: string): number {
  return DECIMAL.test(cell) ? Number(cell) : NaN;
}

/** The scores of a JSON array `where`, refusing an empty one: a mean of no scores is no score. */
function nonEmptyJsonArray(arr: unknown[], file: string, field: string | undefined, where: string): number[] {
  if (arr.length === 0) throw new Error(`${file}: the JSON array ${where ? `"${where}"` : 'at the top level'} holds no scores`);
  return fromJsonArray(arr, file, field, where);
}

function fromJsonArray(arr: unknown[], file: string, field: string | undefined, where: string): number[] {
  return arr.map((x, i) => {
    if (typeof x === 'number' && Number.isFinite(x)) return x;
    if (x !== null && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      const key = field ?? FIELDS.find((f) => typeof o[f] === 'number');
      if (key !== undefined && typeof o[key] === 'number' && Number.isFinite(o[key])) return o[key] as number;
      throw new Error(`${file}: ${where}[${i}] has no numeric field ${field ? `"${field}"` : `(tried ${FIELDS.join(', ')})`}`);
    }
    throw new Error(`${file}: ${where}[${i}] should be a number or an object with a score, got ${JSON.stringify(x)}`);
  });
}

/** Parses segment scores from file text (see the module comment for formats). */
export function parseSegmentScores(text: string, file: string, field?: string): number[] {
  const trimmed = text.replace(/^\ufeff/, '').trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (e) {
      throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
    }
    if (Array.isArray(data)) return nonEmptyJsonArray(data, file, field, '');
    const o = data as Record<string, unknown>;
    if (Array.isArray(o.scores)) return nonEmptyJsonArray(o.scores, file, field, 'scores');
    const arrays = Object.entries(o).filter(([, v]) => Array.isArray(v));
    if (arrays.length === 1) return nonEmptyJsonArray(arrays[0]![1] as unknown[], file, field, arrays[0]![0]);
    throw new Error(`${file}: expected a JSON array of scores, an object with "scores", or an object with exactly one array; found keys ${Object.keys(o).join(', ') || '(none)'}`);
  }
  if (trimmed === '') throw new Error(`${file}: the file is empty; expected one score per line (TSV) or JSON`);
  const lines = trimmed.split(/\r?\n/);
  let col = -1;
  let start = 0;
  const head = lines[0]!.split('\t');
  if (!Number.isFinite(cellNumber(head[head.length - 1]!.trim()))) {
    if (lines.length === 1) {
      throw new Error(`${file}: no scores: line 1 (${JSON.stringify(lines[0]!.slice(0, 40))}) is not a number, so it would be a header, and no line follows; expected one score per line (TSV) or JSON`);
    }
    start = 1;
    if (field !== undefined) {
      col = head.findIndex((h) => h.trim() === field);
      if (col < 0) throw new Error(`${file}: line 1 (header) has no column "${field}"; columns: ${head.join(', ')}`);
    }
  } else if (field !== undefined) {
    throw new Error(`${file}: line 1 is a score, not a header, so no column is named "${field}"; add a header line or leave the field out`);
  }
  const out: number[] = [];
  for (let i = start; i < lines.length; i++) {
    const cells = lines[i]!.split('\t');
    const cell = (col >= 0 ? cells[col] : cells[cells.length - 1])?.trim() ?? '';
    const v = cellNumber(cell);
    if (!Number.isFinite(v)) throw new Error(`${file}: line ${i + 1}: expected a number in the score column, got "${cell}"`);
    out.push(v);
  }
  return out;
}

/**
 * Reads a file of per-segment scores (JSON or TSV) for `metric` (COMET, BLEURT, spBLEU,
 * ...). The file is read with the data readers' LineReader, so invalid UTF-8 is a
 * DataError naming the file, line and byte offset; a file without any score is an error.
 */
export function readSegmentScores(file: string, metric = 'COMET', opts: { field?: string; expectLines?: number } = {}): SegmentScores {
  const scores = parseSegmentScores(readAllLines(file).join('\n'), file, opts.field);
  if (opts.expectLines !== undefined && scores.length !== opts.expectLines) {
    throw new Error(`line counts differ: ${file} has ${scores.length} scores, expected ${opts.expectLines}`);
  }
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  return { metric, file, scores, mean };
}

/**
 * Precomputed segment scores as significance-test statistics: one row [score, 1] per
 * segment, so that `scoreFromMeanStats` (x `scale`) gives the corpus mean.
 */
export function meanStats(scores: readonly number[]): number[][] {
  return scores.map((v) => [v, 1]);
}

/** Corpus score of {@link meanStats} rows: `scale` x mean. */
export function scoreFromMeanStats(scale = 1): (sum: ArrayLike<number>) => number {
  return (sum) => (sum[1]! > 0 ? (scale * sum[0]!) / sum[1]! : 0);
}
