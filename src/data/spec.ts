/**
 * Dataset specifications in the style of the paper's public code: dataset names joined
 * with `+`, each with an optional Python-style slice, e.g.
 * `alpaca_en+alpaca_zh+translation_ncwm_en-zh[0:100000]`. Slices are how the data-size
 * series behind the scaling law (Section 3.2, Figure 2) are made. Names resolve against
 * a registry of local datasets (see ./registry.ts). A parse error shows the spec with a
 * caret under the offending character.
 */

import { DataError } from './errors';

export interface SpecItem {
  name: string;
  /** Slice bounds as written (undefined = open). Negative values count from the end. */
  start?: number;
  end?: number;
  /** Character offset of the name in the spec (for error messages). */
  offset: number;
}

/** A spec error; `column` is the 0-based character offset it points at. */
export class SpecError extends DataError {
  constructor(
    readonly spec: string,
    readonly column: number,
    problem: string,
  ) {
    super(`${problem} at character ${column + 1}\n  ${spec}\n  ${' '.repeat(column)}^`);
    this.name = 'SpecError';
  }
}

const NAME_CHAR = /[A-Za-z0-9_.\-]/;

/** Parses a dataset specification into its items (no registry needed). */
export function parseDatasetSpec(spec: string): SpecItem[] {
  const items: SpecItem[] = [];
  let i = 0;
  const peek = () => spec[i];
  const fail = (what: string, at = i): never => {
    throw new SpecError(spec, at, what);
  };
  const readInt = (): number | undefined => {
    const m = /^-?\d+/.exec(spec.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return Number(m[0]);
  };
  if (spec.length === 0) fail('empty dataset specification; expected a name such as alpaca_en', 0);
  while (true) {
    const startName = i;
    while (i < spec.length && NAME_CHAR.test(spec[i]!)) i++;
    if (i === startName) {
      fail(
        peek() === undefined
          ? 'expected a dataset name after "+"'
          : `unexpected character ${JSON.stringify(peek())}; expected a dataset name (letters, digits, _ . -)`,
      );
    }
    const item: SpecItem = { name: spec.slice(startName, i), offset: startName };
    if (peek() === '[') {
      i++;
      const start = readInt();
      if (start !== undefined) item.start = start;
      if (peek() !== ':') fail(`expected ":" in the slice [start:end], found ${peek() === undefined ? 'the end' : JSON.stringify(peek())}`);
      i++;
      const end = readInt();
      if (end !== undefined) item.end = end;
      if (peek() !== ']') fail(`expected "]" to close the slice, found ${peek() === undefined ? 'the end' : JSON.stringify(peek())}`);
      i++;
    }
    items.push(item);
    if (i === spec.length) break;
    if (peek() !== '+') fail(`unexpected character ${JSON.stringify(peek())}; expected "+" or "[start:end]"`);
    i++;
  }
  return items;
}

/** Python-style slice bounds resolved against a length. */
export function sliceBounds(item: Pick<SpecItem, 'start' | 'end'>, length: number): [number, number] {
  const norm = (v: number | undefined, dflt: number) =>
    v === undefined ? dflt : v < 0 ? Math.max(0, length + v) : Math.min(length, v);
  const s = norm(item.start, 0);
  const e = norm(item.end, length);
  return [s, Math.max(s, e)];
}
