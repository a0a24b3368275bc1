/**
 * Plain CSV with a header line, as the project's small tables are written: no quoting,
 * cells trimmed, blank lines and lines starting with `#` (provenance) skipped. Every
 * error names the file and line.
 */

import * as fs from 'node:fs';

/** One data line: its cells by column name, and `file:line` for messages. */
export interface CsvRecord {
  where: string;
  cells: Record<string, string>;
}

/**
 * Reads `file`; the header must name every column of `required` (`missing` words the
 * message for those it lacks); a data line must have as many cells as the header.
 */
export function readHeaderCsv(file: string, o: { required: readonly string[]; missing: (absent: string[]) => string }): { header: string[]; rows: CsvRecord[] } {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such file`);
  let header: string[] | null = null;
  const rows: CsvRecord[] = [];
  fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const cells = line.split(',').map((c) => c.trim());
    if (!header) {
      const absent = o.required.filter((c) => !cells.includes(c));
      if (absent.length) throw new Error(`${where}: ${o.missing(absent)}`);
      header = cells;
      return;
    }
    if (cells.length !== header.length) throw new Error(`${where}: ${cells.length} fields, the header has ${header.length}`);
    rows.push({ where, cells: Object.fromEntries(header.map((h, j) => [h, cells[j]!])) });
  });
  if (!header) throw new Error(`${file}: no header line (${o.required.join(',')})`);
  return { header, rows };
}
