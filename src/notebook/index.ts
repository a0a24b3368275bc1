/**
 * The notebook side of xalign: a session plus display helpers for the tslab kernel.
 *
 * This is the only module that imports tslab (whose display functions throw outside a
 * kernel); the CLI and the tests never load it. Every notebook starts with
 *
 *     import { startNotebook } from './src/notebook';
 *     const nb = await startNotebook('03-scaling-laws');
 *
 * which prints the preset, seed, backend and commit, and inlines plotly.js once so
 * that later `nb.show(figure)` calls draw offline and survive the HTML export.
 */

import type { ColumnTable } from 'arquero';
import * as tslab from 'tslab';
import { type PoolOptions, runLabel, type TuneSpec } from '../experiments';
import { provenanceLine } from '../provenance';
import { describeStep } from '../train/trainer';
import { createSession, type Session } from '../session';
import { type Figure, figureHtml, plotlyLoaderHtml, withProvenance } from '../viz/plot';
import { tableHtml, type TableOptions } from '../viz/table';
import { escapeHtml, formatDuration } from '../viz/format';

export interface NotebookSession extends Session {
  /** Draws a figure, stamped with this session's provenance. */
  show(fig: Figure): void;
  /** Shows an arquero table. */
  table(table: ColumnTable, options?: TableOptions): void;
  /** Shows Markdown text. */
  markdown(text: string): void;
  /**
   * A live progress line that updates in place; call the returned function with the
   * number of units done (and an optional note).
   */
  progress(label: string, total: number): (done: number, note?: string) => void;
  /**
   * A progress line for a pool of tuning runs, to pass as its `onProgress`: runs finished
   * (trained now, with their time, or reused) and every tenth step of the runs in flight.
   */
  poolProgress(label: string, specs: readonly TuneSpec[]): NonNullable<PoolOptions['onProgress']>;
}



/** Starts the notebook `name` (its file name without `.ipynb`). */
export async function startNotebook(name: string): Promise<NotebookSession> {
  const session = await createSession(name);
  tslab.display.html(
    plotlyLoaderHtml() +
      `<div class="xalign-banner" style="font-family:monospace;font-size:12px;color:#555">` +
      `${escapeHtml(provenanceLine(session.provenance))}<br>backend: ${escapeHtml(session.backend.reason)}</div>`,
  );
  const progress = (label: string, total: number) => {
    const display = tslab.newDisplay();
    const start = Date.now();
    return (done: number, note?: string) => {
      const elapsed = (Date.now() - start) / 1000;
      const frac = total > 0 ? Math.min(1, done / total) : 1;
      const eta = frac > 0 && frac < 1 ? ` · ETA ${formatDuration((elapsed * (1 - frac)) / frac)}` : '';
      const bar = '█'.repeat(Math.round(frac * 30)).padEnd(30, '░');
      display.text(`${label} ${bar} ${done}/${total} · ${formatDuration(elapsed)}${eta}${note ? ` · ${note}` : ''}`);
    };
  };
  return {
    ...session,
    show(fig: Figure): void {
      tslab.display.html(figureHtml(withProvenance(fig, session.provenance)));
    },
    table(table: ColumnTable, options?: TableOptions): void {
      tslab.display.html(tableHtml(table, options));
    },
    markdown(text: string): void {
      tslab.display.markdown(text);
    },
    progress,
    poolProgress(label: string, specs: readonly TuneSpec[]) {
      const bar = progress(label, specs.length);
      let finished = 0;
      return (i, e) => {
        if (e.type === 'done' || e.type === 'reused') bar(++finished, `${runLabel(specs[i]!)} ${e.type === 'done' ? `in ${e.seconds.toFixed(0)} s` : 'reused'}`);
        else if (e.type === 'step' && e.step % 10 === 0) bar(finished, `${runLabel(specs[i]!)}: ${describeStep(e)}`);
      };
    },
  };
}
