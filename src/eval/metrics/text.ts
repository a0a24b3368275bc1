/**
 * Text helpers shared by the metrics: Python-compatible whitespace splitting (the
 * reference tools are Python, and `str.split()` splits on more characters than
 * JavaScript's `\s`), optional Unicode normalisation, and checks on parallel corpora.
 *
 * Serves the evaluation notebooks (translation, QA, summarisation scores) and the
 * `xalign score` / `xalign significance` commands; paper Section 4 (evaluation setup).
 */

import { readAllLines } from '../../data/lines';

/**
 * The characters Python 3's `str.isspace()` accepts (what `str.split()`,
 * `str.strip()` and `str.rstrip()` use with no argument). JavaScript's `\s` differs:
 * it lacks U+001C..U+001F and U+0085 and adds U+FEFF.
 */
export const PY_WHITESPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPLIT_RE = new RegExp(`[${PY_WHITESPACE}]+`);
const LEADING_RE = new RegExp(`^[${PY_WHITESPACE}]+`);
const TRAILING_RE = new RegExp(`[${PY_WHITESPACE}]+$`);

/** Python's `s.split()`: split on runs of whitespace, dropping empty pieces. */
export function pySplit(s: string): string[] {
  const parts = s.split(SPLIT_RE);
  let start = 0;
  let end = parts.length;
  if (end > 0 && parts[0] === '') start = 1;
  if (end > start && parts[end - 1] === '') end -= 1;
  return start === 0 && end === parts.length ? parts : parts.slice(start, end);
}

/** Python's `s.rstrip()`. */
export function pyRstrip(s: string): string {
  return s.replace(TRAILING_RE, '');
}

/** Python's `s.strip()`. */
export function pyStrip(s: string): string {
  return s.replace(LEADING_RE, '').replace(TRAILING_RE, '');
}

/** Unicode normalisation before scoring: `none` (the default, as sacrebleu) or `nfc`. */
export type Normalization = 'none' | 'nfc';

/** Applies `normalization` to every line (a no-op for `none`). */
export function normalizeLines(lines: readonly string[], normalization: Normalization = 'none'): string[] {
  if (normalization === 'none') return lines.slice();
  if (normalization === 'nfc') return lines.map((l) => l.normalize('NFC'));
  throw new RangeError(`normalization must be "none" or "nfc", got "${String(normalization)}"`);
}

/**
 * Throws when a hypothesis stream and a reference stream differ in length; the message
 * names both counts (and the streams' labels, typically file names).
 */
export function checkLineCounts(hyps: readonly unknown[], refs: readonly unknown[], hypLabel = 'hypotheses', refLabel = 'references'): void {
  if (hyps.length !== refs.length) {
    throw new Error(`line counts differ: ${hypLabel} has ${hyps.length} lines, ${refLabel} has ${refs.length}`);
  }
}

/**
 * Reads a file of one segment per line (UTF-8), with the data readers' LineReader
 * (src/data/lines.ts). A byte-order mark is dropped; a final newline does not make an
 * extra empty segment; a "\r" before each "\n" is dropped; every other character,
 * including inner empty lines, is kept as it is. Invalid UTF-8 is a DataError naming the
 * file, the line and the byte offset: a mis-encoded line is never scored as U+FFFD.
 */
export function readSegments(file: string): string[] {
  return readAllLines(file) as string[]; // invalid: 'error' throws instead of returning null
}

/** Splits a string into code points (Python's view of a `str`). */
export function codePoints(s: string): string[] {
  // Fast path: no surrogates means one code unit per code point.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return Array.from(s);
  }
  return s.split('');
}
