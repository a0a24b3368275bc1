/**
 * Tables for notebooks and reports: arquero tables rendered as compact HTML.
 */

import type { ColumnTable } from 'arquero';
import { escapeHtml, formatFixed, nonFiniteText } from './format';

export interface TableOptions {
  /** Caption shown above the table. */
  caption?: string;
  /** Maximum rows shown (default 20); the caption says how many were left out. */
  limit?: number;
  /** Digits after the decimal point for non-integer numbers (default 3). */
  digits?: number;
}

/**
 * Why a column's number can be undefined (NaN) or unbounded (Infinity), by what the
 * column holds, so that the cell says so in words. R^2 = 1 - SSE/SST is undefined only
 * when SST = 0 (src/scaling/fit.ts); a rank correlation only when one side does not
 * vary; data needed is infinite when the target is never reached.
 */
const NON_FINITE_REASONS: readonly { column: RegExp; nan?: string; infinite?: string }[] = [
  { column: /^R(2|²|\^2)$/i, nan: 'all points equal' },
  { column: /correlation|^rho$|^ρ$/i, nan: 'no variation to rank' },
  { column: /pairs|data needed|extrapolation/i, infinite: 'target never reached' },
];

function nonFiniteCell(v: number, column: string): string {
  const reason = NON_FINITE_REASONS.find((r) => r.column.test(column));
  return nonFiniteText(v, Number.isNaN(v) ? reason?.nan : reason?.infinite);
}

function formatCell(v: unknown, digits: number, column: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return nonFiniteCell(v, column);
    return Number.isInteger(v) ? v.toLocaleString('en-US') : formatFixed(v, digits);
  }
  if (Array.isArray(v)) return v.map((x) => formatCell(x, digits, column)).join(', ');
  return String(v);
}

/**
 * HTML for an arquero table: numbers right-aligned, a caption with the row count; a
 * number with no finite value is said in words with the reason its column implies
 * ("undefined: all points equal" for R², "unbounded: target never reached").
 */
export function tableHtml(table: ColumnTable, options: TableOptions = {}): string {
  const limit = options.limit ?? 20;
  const digits = options.digits ?? 3;
  const names = table.columnNames();
  const rows = table.objects({ limit }) as Record<string, unknown>[];
  const total = table.numRows();
  const more = total > rows.length ? ` (first ${rows.length} of ${total.toLocaleString('en-US')} rows)` : '';
  const caption = options.caption !== undefined || more ? `<caption style="text-align:left">${escapeHtml(options.caption ?? '')}${more}</caption>` : '';
  const head = names.map((n) => `<th>${escapeHtml(n)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        '<tr>' +
        names
          .map((n) => {
            const v = r[n];
            const align = typeof v === 'number' && Number.isFinite(v) ? ' style="text-align:right"' : '';
            return `<td${align}>${escapeHtml(formatCell(v, digits, n))}</td>`;
          })
          .join('') +
        '</tr>',
    )
    .join('');
  return `<table class="xalign-table">${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
