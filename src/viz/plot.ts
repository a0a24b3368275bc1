/**
 * Plotly figures as plain data, and the HTML that draws them offline.
 *
 * Builders here return a {@link Figure} (traces + layout + provenance) and never touch
 * a display: notebooks show them through `src/notebook/`, the CLI writes them to
 * standalone HTML pages, tests inspect them as JSON. The plotly.js bundle is inlined
 * (no network), once per notebook or page.
 */

import * as fs from 'node:fs';
import { type Provenance, provenanceLine } from '../provenance';
import { escapeHtml } from './format';

/** A plotly trace; kept loose because plotly's own types are vast. */
export type Trace = Record<string, unknown> & { type?: string; name?: string };

export interface Figure {
  data: Trace[];
  layout: Record<string, unknown>;
  provenance?: Provenance;
}

export interface Series {
  name: string;
  y: number[];
  /** Symmetric error bars (e.g. a 95% interval half-width), same length as y. */
  errorY?: number[];
}

export interface AxesOptions {
  title: string;
  xTitle?: string;
  yTitle?: string;
  logX?: boolean;
  logY?: boolean;
  height?: number;
}

function checkLengths(x: readonly unknown[], series: readonly Series[]): void {
  for (const s of series) {
    if (s.y.length !== x.length) {
      throw new RangeError(`series "${s.name}" has ${s.y.length} values but x has ${x.length}`);
    }
    if (s.errorY && s.errorY.length !== x.length) {
      throw new RangeError(`series "${s.name}" has ${s.errorY.length} error values but x has ${x.length}`);
    }
  }
}

function baseLayout(o: AxesOptions): Record<string, unknown> {
  return {
    title: { text: o.title },
    // '-' lets plotly infer the axis type: categories for strings, linear for numbers
    xaxis: { title: { text: o.xTitle ?? '' }, type: o.logX ? 'log' : '-' },
    yaxis: { title: { text: o.yTitle ?? '' }, type: o.logY ? 'log' : '-' },
    height: o.height ?? 420,
    margin: { t: 60, b: 110, l: 70, r: 30 },
  };
}

function errorBars(s: Series): Record<string, unknown> | undefined {
  return s.errorY ? { type: 'data', array: s.errorY, visible: true } : undefined;
}

/** Lines with markers, one per series, over a shared x. */
export function lineFigure(x: readonly (number | string)[], series: readonly Series[], o: AxesOptions): Figure {
  checkLengths(x, series);
  return {
    data: series.map((s) => ({ type: 'scatter', mode: 'lines+markers', name: s.name, x: [...x], y: s.y, error_y: errorBars(s) })),
    layout: baseLayout(o),
  };
}

/** Grouped bars, one group per x category, one bar per series. */
export function barFigure(categories: readonly string[], series: readonly Series[], o: AxesOptions): Figure {
  checkLengths(categories, series);
  return {
    data: series.map((s) => ({ type: 'bar', name: s.name, x: [...categories], y: s.y, error_y: errorBars(s) })),
    layout: { ...baseLayout(o), barmode: 'group' },
  };
}

/** Points with optional text labels (e.g. a 2-D projection of representations). */
export function scatterFigure(
  groups: readonly { name: string; x: number[]; y: number[]; text?: string[] }[],
  o: AxesOptions,
): Figure {
  for (const g of groups) {
    if (g.x.length !== g.y.length) throw new RangeError(`group "${g.name}": ${g.x.length} x values but ${g.y.length} y values`);
  }
  return {
    data: groups.map((g) => ({ type: 'scatter', mode: 'markers', name: g.name, x: g.x, y: g.y, text: g.text })),
    layout: baseLayout(o),
  };
}

/** A line with a shaded band around it (e.g. a mean and its 95% interval). */
export interface BandSeries {
  name: string;
  y: number[];
  lower: number[];
  upper: number[];
}

const BAND_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

/** Lines over a shared x, each with a shaded band from `lower` to `upper`. */
export function bandFigure(x: readonly (number | string)[], series: readonly BandSeries[], o: AxesOptions): Figure {
  for (const s of series) {
    if (s.y.length !== x.length || s.lower.length !== x.length || s.upper.length !== x.length) {
      throw new RangeError(`band "${s.name}": y, lower and upper must each have ${x.length} values (x)`);
    }
  }
  const data: Trace[] = series.flatMap((s, i) => {
    const colour = BAND_COLOURS[i % BAND_COLOURS.length]!;
    return [
      { type: 'scatter', mode: 'lines', x: [...x], y: s.lower, line: { width: 0 }, showlegend: false, hoverinfo: 'skip', legendgroup: s.name },
      { type: 'scatter', mode: 'lines', x: [...x], y: s.upper, line: { width: 0 }, fill: 'tonexty', fillcolor: `${colour}33`, showlegend: false, hoverinfo: 'skip', legendgroup: s.name },
      { type: 'scatter', mode: 'lines+markers', name: s.name, x: [...x], y: s.y, line: { color: colour }, legendgroup: s.name },
    ];
  });
  return { data, layout: baseLayout(o) };
}

/** One panel of {@link scatterGridFigure}: a title and its groups of points. */
export interface ScatterPanel {
  title: string;
  groups: readonly { name: string; x: number[]; y: number[]; text?: string[] }[];
}

/**
 * Small multiples: scatter panels in a grid of `columns`, each with its own axes; a
 * group name keeps one colour and one legend entry across panels.
 */
export function scatterGridFigure(panels: readonly ScatterPanel[], o: { title: string; columns: number; height?: number }): Figure {
  if (panels.length === 0) throw new RangeError('scatterGridFigure needs at least one panel');
  const columns = Math.max(1, Math.min(o.columns, panels.length));
  const rows = Math.ceil(panels.length / columns);
  const colours = new Map<string, string>();
  const data: Trace[] = [];
  const annotations: Record<string, unknown>[] = [];
  const layout: Record<string, unknown> = {
    title: { text: o.title },
    grid: { rows, columns, pattern: 'independent', ygap: 0.35, xgap: 0.12 },
    height: o.height ?? Math.max(300, 230 * rows + 120),
    margin: { t: 70, b: 110, l: 40, r: 20 },
  };
  panels.forEach((p, i) => {
    const axis = i === 0 ? '' : String(i + 1);
    for (const g of p.groups) {
      if (g.x.length !== g.y.length) throw new RangeError(`panel "${p.title}", group "${g.name}": ${g.x.length} x values but ${g.y.length} y values`);
      const first = !colours.has(g.name);
      if (first) colours.set(g.name, BAND_COLOURS[colours.size % BAND_COLOURS.length]!);
      data.push({ type: 'scatter', mode: 'markers', name: g.name, x: g.x, y: g.y, text: g.text, xaxis: `x${axis}`, yaxis: `y${axis}`, marker: { size: 4, color: colours.get(g.name), opacity: 0.7 }, legendgroup: g.name, showlegend: first });
    }
    layout[`xaxis${axis}`] = { showticklabels: false, zeroline: false };
    layout[`yaxis${axis}`] = { showticklabels: false, zeroline: false };
    annotations.push({ text: p.title, xref: `x${axis} domain`, yref: `y${axis} domain`, x: 0.5, y: 1.12, xanchor: 'center', yanchor: 'bottom', showarrow: false, font: { size: 11 } });
  });
  return { data, layout: { ...layout, annotations } };
}

/**
 * A histogram of `values` in `bins` equal-width bins, as probability density, with an
 * optional reference density drawn as a line (e.g. the normal curve a sampler targets).
 */
export function histogramFigure(
  values: readonly number[],
  o: AxesOptions & { bins?: number; name?: string; reference?: { name: string; density: (x: number) => number } },
): Figure {
  if (values.length === 0) throw new RangeError('histogramFigure needs at least one value');
  const bins = o.bins ?? 30;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`histogramFigure: non-finite value ${v}`);
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]! += 1;
  const centres = counts.map((_, i) => lo + (i + 0.5) * width);
  const density = counts.map((c) => c / (values.length * width));
  const data: Trace[] = [{ type: 'bar', name: o.name ?? 'sample', x: centres, y: density, width: width * 0.95, opacity: 0.7 }];
  if (o.reference) {
    data.push({ type: 'scatter', mode: 'lines', name: o.reference.name, x: centres, y: centres.map(o.reference.density) });
  }
  return { data, layout: { ...baseLayout(o), bargap: 0.05 } };
}

/**
 * A copy of `fig` stamped with its provenance: stored on the figure and written as a
 * small footer under the plot (commit, preset, backend, seed, and the command that
 * regenerates it).
 */
export function withProvenance(fig: Figure, p: Provenance): Figure {
  const footer = {
    text: `${provenanceLine(p)}<br>regenerate: ${p.command}`,
    xref: 'paper',
    yref: 'paper',
    x: 0,
    y: -0.3,
    xanchor: 'left',
    yanchor: 'top',
    showarrow: false,
    align: 'left',
    font: { size: 9, color: '#777' },
  };
  const annotations = [...((fig.layout.annotations as unknown[]) ?? []), footer];
  return { data: fig.data, layout: { ...fig.layout, annotations }, provenance: p };
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

let plotlySource: string | undefined;

/**
 * HTML that defines `window.Plotly` from the bundled library. Jupyter Notebook pages
 * carry RequireJS, whose `define` would capture plotly's UMD bundle; it is hidden
 * while the bundle runs so that plotly always lands on `window`.
 */
export function plotlyLoaderHtml(): string {
  plotlySource ??= fs.readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), 'utf8');
  const src = plotlySource.replace(/<\/script/gi, '<\\/script');
  return [
    '<script>window.__xalignDefine = window.define; window.define = undefined;</script>',
    `<script>${src}</script>`,
    '<script>window.define = window.__xalignDefine;</script>',
  ].join('\n');
}

let figureCounter = 0;

/**
 * A `<div>` plus the script that draws `fig` into it once `window.Plotly` exists.
 * The element gets the class `xalign-figure` (the browser test counts those).
 */
export function figureHtml(fig: Figure, id = `xalign-fig-${++figureCounter}`): string {
  const height = typeof fig.layout.height === 'number' ? fig.layout.height : 420;
  const payload = scriptJson({ data: fig.data, layout: fig.layout, provenance: fig.provenance ?? null });
  return [
    `<div id="${id}" class="xalign-figure" style="width:100%;min-height:${height}px"></div>`,
    '<script>(function () {',
    `  var fig = ${payload};`,
    '  function draw(tries) {',
    `    var el = document.getElementById(${JSON.stringify(id)});`,
    '    if (!window.Plotly || !el) { if (tries < 200) setTimeout(function () { draw(tries + 1); }, 50); return; }',
    '    window.Plotly.newPlot(el, fig.data, fig.layout, { responsive: true, displaylogo: false });',
    '  }',
    '  draw(0);',
    '})();</script>',
  ].join('\n');
}

/** A complete standalone HTML page showing the given figures (the CLI's --html output). */
export function figurePageHtml(title: string, figs: readonly Figure[]): string {
  const esc = escapeHtml(title);
  return [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${esc}</title></head><body>`,
    `<h1 style="font-family:sans-serif">${esc}</h1>`,
    plotlyLoaderHtml(),
    ...figs.map((f) => figureHtml(f)),
    '</body></html>',
  ].join('\n');
}
