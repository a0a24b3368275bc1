/**
 * Tables for notebooks and reports: arquero tables rendered as compact HTML.
 */

import type { ColumnTable } from 'arquero';
import { escapeHtml } from './format';

export interface TableOptions {
  /** Caption shown above the table. */
  caption?: string;
  /** Maximum rows shown (default 20); the caption says how many were left out. */
  limit?: number;
  /** Digits after the decimal point for non-integer numbers (default 3). */
  digits?: number;
}


function formatCell(v: unknown, digits: number): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(digits);
  if (Array.isArray(v)) return v.map((x) => formatCell(x, digits)).join(', ');
  return String(v);
}

/** HTML for an arquero table: numbers right-aligned, a caption with the row count. */
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
            const align = typeof v === 'number' ? ' style="text-align:right"' : '';
            return `<td${align}>${escapeHtml(formatCell(v, digits))}</td>`;
          })
          .join('') +
        '</tr>',
    )
    .join('');
  return `<table class="xalign-table">${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
