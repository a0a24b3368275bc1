/**
 * The report's front page, `out/index.html`: one row per notebook, listed by its title
 * (its first heading) with its file name, status, run time, preset, backend, seed and
 * commit, linking the executed notebook's page.
 */

import { escapeHtml, formatDuration } from '../viz/format';

export interface NotebookResult {
  notebook: string;
  /** The notebook's title (its first Markdown heading), or null when it has none. */
  title?: string | null;
  ok: boolean;
  seconds: number | null;
  cells: number | null;
  /** 1-based index among code cells of the cell that failed, if any. */
  failedCell: number | null;
  /** "error", "timeout", "kernel died", ... or null when ok. */
  failure: string | null;
  /** Why the notebook was not run on this preset (its metadata says so), or null. */
  skipped?: string | null;
  preset: string;
  backend: string;
  seed: number;
  commit: string;
  /** Page name relative to the index, or null when none was written. */
  html: string | null;
}

export interface IndexPageInfo {
  preset: string;
  overridden: string[];
  totalSeconds: number;
}

/** The index page as a complete HTML document. */
export function indexPageHtml(results: readonly NotebookResult[], info: IndexPageInfo): string {
  const okCount = results.filter((r) => r.ok && !r.skipped).length;
  const skipCount = results.filter((r) => r.skipped).length;
  const rows = results
    .map((r) => {
      const label = escapeHtml(r.title || r.notebook);
      const linked = r.html ? `<a href="${escapeHtml(r.html)}">${label}</a>` : label;
      const name = r.title && r.title !== r.notebook ? `${linked}<br><code class="file">${escapeHtml(r.notebook)}</code>` : linked;
      const status = r.skipped
        ? `<span class="skipped">skipped: ${escapeHtml(r.skipped)}</span>`
        : r.ok
        ? '<span class="ok">ok</span>'
        : `<span class="failed">failed${r.failedCell !== null ? ` at cell ${r.failedCell}` : ''} (${escapeHtml(r.failure ?? '?')})</span>`;
      return (
        `<tr data-status="${r.skipped ? 'skipped' : r.ok ? 'ok' : 'failed'}"><td>${name}</td><td>${status}</td>` +
        `<td class="num">${formatDuration(r.seconds)}</td><td class="num">${r.cells ?? '–'}</td>` +
        `<td>${escapeHtml(r.preset)}</td><td>${escapeHtml(r.backend)}</td><td class="num">${r.seed}</td><td><code>${escapeHtml(r.commit)}</code></td></tr>`
      );
    })
    .join('\n');
  const overridden = info.overridden.length ? ` (overridden: ${escapeHtml(info.overridden.join(', '))})` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>xalign report (${escapeHtml(info.preset)})</title>
<style>
body { font-family: system-ui, sans-serif, "Noto Sans CJK SC"; margin: 2em auto; padding: 0 1em; max-width: 64em; color: #222; overflow-wrap: break-word; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: .35em .6em; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
th, td.num { white-space: nowrap; }
code.file { color: #666; font-size: .85em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #1a7f37; } .failed { color: #cf222e; font-weight: bold; } .skipped { color: #777; }
</style></head>
<body>
<h1>xalign: reproduction report</h1>
<p>Preset <b>${escapeHtml(info.preset)}</b>${overridden}; ${okCount} of ${results.length} notebooks ran without error${skipCount ? ` (${skipCount} skipped on this preset)` : ''} in ${formatDuration(info.totalSeconds)}.
Regenerate with <code>PRESET=${escapeHtml(info.preset)} npm run reproduce</code>.</p>
<table>
<thead><tr><th>notebook</th><th>status</th><th>time</th><th>cells</th><th>preset</th><th>backend</th><th>seed</th><th>commit</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}
