/**
 * A notebook's report page, finished for a reader. `kernels/runner.py` writes each
 * page with nbconvert's classic template; this module then gives it
 *
 * - the notebook's own title (its first Markdown heading) in `<title>` and in a page
 *   header that links back to the index;
 * - a style sheet that keeps the page within the window: code, provenance and output
 *   lines wrap, wide tables scroll inside their own box, CJK text has a font named;
 * - one shared copy of plotly.js: the bundle a notebook inlines (`plotlyLoaderHtml`,
 *   about 5 MB per page) is replaced by `<script src="plotly.min.js">`, a file written
 *   once into the report folder, so the report stays offline and its pages small.
 *
 * Finishing is idempotent: a finished page finished again is unchanged.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../io/atomic';
import { escapeHtml } from '../viz/format';
import { plotlyLoaderHtml } from '../viz/plot';
import type { NotebookJson } from './notebook-files';

/** The shared plotly bundle's file name in the report folder. */
export const PLOTLY_FILE = 'plotly.min.js';

/** Markdown inline syntax dropped from a heading: emphasis, code, math, links. */
function plainMarkdown(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\$([^$]*)\$/g, '$1')
    .replace(/(\*\*|__|\*|_)(\S(?:.*?\S)?)\1/g, '$2')
    .replace(/\s+#+\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The notebook's title: the text of its first Markdown heading, or null when it has none. */
export function notebookTitle(nb: NotebookJson): string | null {
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'markdown') continue;
    for (const line of [cell.source].flat().join('').split('\n')) {
      const m = /^ {0,3}#{1,6}\s+(.+)$/.exec(line);
      if (m) {
        const title = plainMarkdown(m[1]!);
        if (title) return title;
      }
    }
  }
  return null;
}

/**
 * Writes the plotly bundle to `outDir/plotly.min.js` unless an identical copy is
 * there; returns its path.
 */
export function writeSharedPlotly(outDir: string): string {
  const file = path.join(outDir, PLOTLY_FILE);
  const source = fs.readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'));
  if (!fs.existsSync(file) || !fs.readFileSync(file).equals(source)) writeFileAtomic(file, source);
  return file;
}

let loaderEnds: { start: string; end: string } | undefined;

/** The first and last line of `plotlyLoaderHtml()`, which hide RequireJS around the bundle. */
function plotlyLoaderEnds(): { start: string; end: string } {
  if (!loaderEnds) {
    const loader = plotlyLoaderHtml();
    loaderEnds = { start: loader.slice(0, loader.indexOf('\n')), end: loader.slice(loader.lastIndexOf('\n') + 1) };
  }
  return loaderEnds;
}

/**
 * `html` with every inlined plotly bundle replaced by a `<script src>` of the shared
 * copy (`src`, relative to the page). The RequireJS guard around it stays: a classic
 * script with `src` runs in document order, before the figures that wait for it.
 */
export function sharePlotly(html: string, src = PLOTLY_FILE): string {
  const { start, end } = plotlyLoaderEnds();
  const shared = `${start}\n<script src="${escapeHtml(src)}"></script>\n${end}`;
  let out = '';
  let at = 0;
  for (;;) {
    const i = html.indexOf(start, at);
    if (i < 0) break;
    const j = html.indexOf(end, i + start.length);
    if (j < 0) break;
    out += html.slice(at, i) + shared;
    at = j + end.length;
  }
  return out + html.slice(at);
}

/**
 * The style added to every page. A code, provenance or output line that does not
 * wrap (`white-space: pre`) widens the whole page; here lines wrap (a code line keeps
 * its indentation), wide tables scroll inside their own box, and Simplified Chinese
 * fonts follow the generic family: Latin text keeps the system's font, Han characters
 * are drawn in Chinese forms (Debian's fonts-noto-cjk, installed by `npm run setup`)
 * rather than whichever CJK font the system falls back to.
 */
export const PAGE_CSS = `
body {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif,
    "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei";
}
#notebook-container, .container { max-width: 100%; box-sizing: border-box; }
#notebook, #notebook-container, div.cell, div.inner_cell, div.input_area, div.output_wrapper, div.output,
div.output_area, div.output_subarea, div.text_cell_render, .rendered_html { min-width: 0; max-width: 100%; }
pre, code, .highlight pre, div.output_area pre, div.input_area pre, .rendered_html pre {
  white-space: pre-wrap; overflow-wrap: anywhere; word-break: normal;
}
.xalign-banner, .rendered_html p, .rendered_html li { overflow-wrap: anywhere; }
.rendered_html table, table.xalign-table { display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; }
.rendered_html table > caption, table.xalign-table > caption { display: block; text-align: left; padding: .2em 0; }
.rendered_html th, .rendered_html td, table.xalign-table th, table.xalign-table td { padding: .2em .6em; border-bottom: 1px solid #e1e4e8; }
.rendered_html img, .rendered_html svg, .rendered_html video { max-width: 100%; height: auto; }
.xalign-figure { max-width: 100%; overflow: hidden; }
header.xalign-page-header {
  position: sticky; top: 0; z-index: 10; margin: 0 0 .5em; padding: .45em 1em;
  background: #f6f8fa; border-bottom: 1px solid #d0d7de; font-size: 14px; overflow-wrap: anywhere;
}
header.xalign-page-header a { color: #0969da; text-decoration: none; }
header.xalign-page-header .xalign-page-title { font-weight: 600; }
`;

export interface PageInfo {
  /** The notebook's title (its first heading), else its name. */
  title: string;
  /** The index page, relative to this page. */
  indexHref?: string;
  /** The shared plotly bundle, relative to this page. */
  plotlySrc?: string;
}

function replaceOrInsert(html: string, existing: RegExp, replacement: string, before: RegExp, after = false): string {
  if (existing.test(html)) return html.replace(existing, () => replacement);
  const m = before.exec(html);
  if (!m) return html;
  const at = after ? m.index + m[0].length : m.index;
  return html.slice(0, at) + replacement + html.slice(at);
}

/** `html` (a page from nbconvert) finished: title, header, style, shared plotly. */
export function finishPageHtml(html: string, info: PageInfo): string {
  const title = escapeHtml(info.title);
  const headEnd = html.search(/<\/head>/i);
  let head = headEnd >= 0 ? html.slice(0, headEnd) : '';
  let body = headEnd >= 0 ? html.slice(headEnd) : html;
  head = head.replace(/<html(?![^>]*\blang=)([^>]*)>/i, '<html lang="en"$1>');
  head = replaceOrInsert(head, /<title>[\s\S]*?<\/title>/i, `<title>${title}</title>`, /<meta charset[^>]*>/i, true);
  head = head.replace(/<style id="xalign-report-style">[\s\S]*?<\/style>\n?/, '') + `<style id="xalign-report-style">${PAGE_CSS}</style>\n`;
  const header =
    `<header class="xalign-page-header"><a href="${escapeHtml(info.indexHref ?? 'index.html')}">xalign report</a> › ` +
    `<span class="xalign-page-title">${title}</span></header>`;
  body = replaceOrInsert(body, /<header class="xalign-page-header">[\s\S]*?<\/header>/, header, /<body[^>]*>/i, true);
  return sharePlotly(head + body, info.plotlySrc ?? PLOTLY_FILE);
}

/**
 * Finishes the page `outDir/NAME.html` in place (see the module comment) and writes
 * the shared plotly bundle beside it. Returns false when there is no page.
 */
export function finishNotebookPage(outDir: string, page: string, info: PageInfo): boolean {
  const file = path.join(outDir, page);
  if (!fs.existsSync(file)) return false;
  writeSharedPlotly(outDir);
  const before = fs.readFileSync(file, 'utf8');
  const after = finishPageHtml(before, info);
  if (after !== before) writeFileAtomic(file, after);
  return true;
}
