/**
 * Two-dimensional maps of sentence states for Figure 4: exact PCA (./pca.ts) and UMAP
 * (the `umap-js` package: a non-linear map that keeps neighbourhoods, so two languages
 * whose translation pairs are neighbours overlap even when a linear projection shows
 * them apart). UMAP here is seeded from the project's generator, so a map repeats; its
 * axes have no meaning of their own and distances between far clusters are not to be
 * read. Both take the English and X states of one layer stacked, English first.
 */

import { UMAP } from 'umap-js';
import { Rng } from '../random/rng';
import type { RepresentationMatrix } from '../similarity/retrieval';
import { pca } from './pca';

/** The rows of `a` then those of `b`, as one matrix (same columns). */
export function stackRows(a: RepresentationMatrix, b: RepresentationMatrix): RepresentationMatrix {
  if (a.cols !== b.cols) throw new RangeError(`stackRows: ${a.cols} columns against ${b.cols}`);
  const data = new Float64Array((a.rows + b.rows) * a.cols);
  for (let i = 0; i < a.rows * a.cols; i++) data[i] = a.data[i]!;
  for (let i = 0; i < b.rows * b.cols; i++) data[a.rows * a.cols + i] = b.data[i]!;
  return { rows: a.rows + b.rows, cols: a.cols, data };
}

export type Projection = 'pca' | 'umap';

/** Two coordinates per row of `m` by `method` (UMAP: `neighbours` nearest neighbours, seeded by `seed`). */
export function project2d(m: RepresentationMatrix, method: Projection, o: { seed?: number; neighbours?: number } = {}): { x: number[]; y: number[] } {
  let coords: number[][];
  if (method === 'pca') coords = pca(m, 2, 'states').projection;
  else {
    const rng = new Rng(o.seed ?? 1).fork('umap');
    const rows = Array.from({ length: m.rows }, (_, i) => Array.from({ length: m.cols }, (_, k) => Number(m.data[i * m.cols + k])));
    const neighbours = Math.max(2, Math.min(o.neighbours ?? 15, m.rows - 1));
    coords = new UMAP({ nComponents: 2, nNeighbors: neighbours, minDist: 0.1, random: () => rng.float() }).fit(rows);
  }
  return { x: coords.map((c) => c[0] ?? 0), y: coords.map((c) => c[1] ?? 0) };
}
