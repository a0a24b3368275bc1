/**
 * Committed notebooks carry narrative and code only: no outputs, no execution counts,
 * no per-run metadata. `checkNotebook` finds what would have to be cleaned;
 * `cleanNotebook` cleans. Files are written the way Jupyter writes them (keys sorted,
 * one-space indent, final newline), so cleaning a clean notebook changes nothing.
 */

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { writeFileAtomic } from '../io/atomic';

interface Cell {
  cell_type: string;
  source: string | string[];
  metadata?: Record<string, unknown>;
  outputs?: unknown[];
  execution_count?: number | null;
  [k: string]: unknown;
}

export interface NotebookJson {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** Cell metadata keys written by a run (timings, scroll state) and dropped on clean. */
const RUN_METADATA = ['execution', 'collapsed', 'scrolled', 'ExecuteTime'];

/** Parses a notebook file; errors name the file. */
export function readNotebook(file: string): NotebookJson {
  let nb: NotebookJson;
  try {
    nb = JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJson;
  } catch (e) {
    throw new Error(`${file}: not a readable notebook (${(e as Error).message})`);
  }
  if (!Array.isArray(nb.cells) || typeof nb.nbformat !== 'number') {
    throw new Error(`${file}: not a notebook (missing "cells" or "nbformat")`);
  }
  return nb;
}

/** Problems that make `nb` unfit to commit, one line each, naming the cell. */
export function checkNotebook(nb: NotebookJson, file = 'notebook'): string[] {
  const problems: string[] = [];
  nb.cells.forEach((cell, i) => {
    const where = `${file}: cell ${i + 1}`;
    if (cell.cell_type === 'code') {
      if (cell.outputs && cell.outputs.length > 0) problems.push(`${where} has ${cell.outputs.length} output(s)`);
      if (cell.execution_count !== null && cell.execution_count !== undefined) {
        problems.push(`${where} has execution_count ${cell.execution_count}`);
      }
    }
    for (const k of RUN_METADATA) if (cell.metadata && k in cell.metadata) problems.push(`${where} has run metadata "${k}"`);
    if (nb.nbformat === 4 && nb.nbformat_minor >= 5 && typeof cell.id !== 'string') problems.push(`${where} has no cell id (nbformat 4.5)`);
  });
  if (nb.metadata?.kernelspec && (nb.metadata.kernelspec as { name?: string }).name !== 'tslab') {
    problems.push(`${file}: kernelspec is not the project's tslab kernel`);
  }
  return problems;
}

/** A copy of `nb` without outputs, execution counts or run metadata. */
export function cleanNotebook(nb: NotebookJson): NotebookJson {
  const ids = new Set(nb.cells.map((c) => c.id).filter((id): id is string => typeof id === 'string'));
  const cells = nb.cells.map((cell, i) => {
    const metadata = { ...(cell.metadata ?? {}) };
    for (const k of RUN_METADATA) delete metadata[k];
    const out: Cell = { ...cell, metadata };
    if (nb.nbformat === 4 && nb.nbformat_minor >= 5 && typeof cell.id !== 'string') {
      // nbformat 4.5 requires cell ids; derive a stable one from position and source
      let n = 0;
      let id = '';
      do id = createHash('sha1').update(`${i}:${n++}:${[cell.source].flat().join('')}`).digest('hex').slice(0, 8);
      while (ids.has(id));
      ids.add(id);
      out.id = id;
    }
    if (cell.cell_type === 'code') {
      out.outputs = [];
      out.execution_count = null;
    }
    return out;
  });
  return { ...nb, cells };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The notebook as Jupyter would write it. */
export function formatNotebook(nb: NotebookJson): string {
  return JSON.stringify(sortKeys(nb), null, 1) + '\n';
}

/** Cleans `file` in place; returns whether it changed. */
export function cleanNotebookFile(file: string): boolean {
  const before = fs.readFileSync(file, 'utf8');
  const after = formatNotebook(cleanNotebook(readNotebook(file)));
  if (after === before) return false;
  writeFileAtomic(file, after);
  return true;
}
