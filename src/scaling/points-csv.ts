/**
 * Reading measured points from CSV (`xalign fit --points FILE.csv`, notebook 03).
 * The header names the columns `language,gamma,x,score` (in any order; other columns
 * are ignored); one row per measured point; blank lines and lines starting with `#`
 * are skipped. Fields are plain (no quoting). Every error names the file and line.
 */

import * as fs from 'node:fs';
import { type ScalingPoint, validatePoints } from './law';

export const POINT_COLUMNS = ['language', 'gamma', 'x', 'score'] as const;

/** Parses CSV text; `file` is used in error messages. */
export function parsePointsCsv(text: string, file = 'points.csv'): (ScalingPoint & { where: string })[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let header: string[] | undefined;
  let index: Record<(typeof POINT_COLUMNS)[number], number> | undefined;
  const points: (ScalingPoint & { where: string })[] = [];
  const gammaOf = new Map<string, { gamma: number; line: number }>();
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split(',').map((c) => c.trim());
    const where = `${file} line ${lineNo}`;
    if (!header) {
      header = cells;
      const idx = {} as Record<(typeof POINT_COLUMNS)[number], number>;
      for (const col of POINT_COLUMNS) {
        const k = header.indexOf(col);
        if (k < 0) throw new RangeError(`${where}: header must name the columns ${POINT_COLUMNS.join(',')}; "${col}" is missing (got "${line}")`);
        idx[col] = k;
      }
      index = idx;
      return;
    }
    if (cells.length !== header.length) {
      throw new RangeError(`${where}: expected ${header.length} fields like the header, got ${cells.length}`);
    }
    const num = (col: 'gamma' | 'x' | 'score'): number => {
      const cell = cells[index![col]]!;
      const v = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(v)) throw new RangeError(`${where}: ${col} must be a finite number, got "${cell}"`);
      return v;
    };
    const language = cells[index!.language]!;
    if (language === '') throw new RangeError(`${where}: language is empty`);
    const point = { language, gamma: num('gamma'), x: num('x'), score: num('score'), where };
    validatePoints([point]);
    const seen = gammaOf.get(language);
    if (seen && seen.gamma !== point.gamma) {
      throw new RangeError(`${where}: gamma ${point.gamma} for "${language}" differs from ${seen.gamma} on line ${seen.line}; one gamma per language`);
    }
    gammaOf.set(language, { gamma: point.gamma, line: lineNo });
    points.push(point);
  });
  if (!header) throw new RangeError(`${file}: empty file; expected the header ${POINT_COLUMNS.join(',')}`);
  if (points.length === 0) throw new RangeError(`${file}: no data rows after the header`);
  return points;
}

/** Reads and parses a points CSV file. */
export function readPointsCsv(file: string): (ScalingPoint & { where: string })[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new RangeError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parsePointsCsv(text, file);
}
