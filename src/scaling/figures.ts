/**
 * Figure-2-style pictures of fitted scaling laws (notebook 03): measured points, the
 * fitted curve and its 95% confidence band per language, on a log x axis.
 */

import type { Figure, Trace } from '../viz/plot';
import type { LawFit } from './fit';
import type { ScalingPoint } from './law';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

/** Hex colour to rgba with transparency. */
function rgba(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/**
 * Points, fitted curves and confidence bands for each language in `fits`, evaluated
 * on `xs` (e.g. logSpace(500, 1e6, 60)).
 */
export function lawCurvesFigure(
  fits: ReadonlyMap<string, LawFit>,
  points: readonly ScalingPoint[],
  xs: readonly number[],
  o: { title: string; yTitle?: string; kind?: 'confidence' | 'prediction' } = { title: 'Scaling laws' },
): Figure {
  const data: Trace[] = [];
  [...fits].forEach(([language, fit], k) => {
    const colour = PALETTE[k % PALETTE.length]!;
    const bands = xs.map((x) => fit.band(x, { kind: o.kind ?? 'confidence' }));
    data.push({ type: 'scatter', mode: 'lines', x: [...xs], y: bands.map((b) => b.hi), line: { width: 0 }, showlegend: false, hoverinfo: 'skip', legendgroup: language });
    data.push({
      type: 'scatter',
      mode: 'lines',
      x: [...xs],
      y: bands.map((b) => b.lo),
      line: { width: 0 },
      fill: 'tonexty',
      fillcolor: rgba(colour, 0.18),
      name: `${language} 95% band`,
      showlegend: false,
      hoverinfo: 'skip',
      legendgroup: language,
    });
    data.push({ type: 'scatter', mode: 'lines', x: [...xs], y: bands.map((b) => b.score), line: { color: colour }, name: `${language} fit`, legendgroup: language });
    const own = points.filter((p) => p.language === language);
    data.push({ type: 'scatter', mode: 'markers', x: own.map((p) => p.x), y: own.map((p) => p.score), marker: { color: colour, size: 7 }, name: `${language} points`, legendgroup: language, showlegend: false });
  });
  return {
    data,
    layout: {
      title: { text: o.title },
      xaxis: { title: { text: 'translation pairs X' }, type: 'log' },
      yaxis: { title: { text: o.yTitle ?? 'score S' } },
      height: 460,
      margin: { t: 60, b: 110, l: 70, r: 30 },
    },
  };
}
