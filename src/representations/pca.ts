/**
 * Exact principal component analysis of an n x d matrix (rows = sentences), for
 * drawing Figure 4: the rows are centred (no whitening), the
 * covariance X^T X / (n - 1) is diagonalised by cyclic Jacobi rotations in float64, and
 * the components are its eigenvectors by decreasing eigenvalue.
 *
 * What it returns matches scikit-learn's `PCA(n_components=k)` (full SVD):
 * explained variance = eigenvalue, its ratio to the total variance, singular values =
 * sqrt(eigenvalue * (n - 1)), components as rows, projection = centred X times the
 * components' transpose. Sign convention (as scikit-learn from version 1.5): each
 * component's entry of largest absolute value is positive (the first such entry on a
 * tie). A rank-deficient matrix gives zero variances for the missing directions, never
 * NaN; with fewer rows than k, the surplus components have zero variance.
 */

import type { RepresentationMatrix } from '../similarity/retrieval';

export interface PcaResult {
  /** Row means subtracted before the analysis (d values). */
  mean: number[];
  /** k components, each d values, unit length. */
  components: number[][];
  explainedVariance: number[];
  explainedVarianceRatio: number[];
  singularValues: number[];
  /** n x k: each row's coordinates on the components. */
  projection: number[][];
}

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major d x d) of a symmetric matrix, by cyclic Jacobi. */
export function symmetricEigen(a: Float64Array, d: number, maxSweeps = 100): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < d; p++) {
      diag += m[p * d + p]! ** 2;
      for (let q = p + 1; q < d; q++) off += m[p * d + q]! ** 2;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q]!;
        if (apq === 0) continue;
        const app = m[p * d + p]!;
        const aqq = m[q * d + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = m[k * d + p]!;
          const akq = m[k * d + q]!;
          m[k * d + p] = c * akp - s * akq;
          m[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = m[p * d + k]!;
          const aqk = m[q * d + k]!;
          m[p * d + k] = c * apk - s * aqk;
          m[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = m[i * d + i]!;
  return { values, vectors: v };
}

/** PCA of `x` with `k` components (see the module comment); `name` labels errors. */
export function pca(x: RepresentationMatrix, k = 2, name = 'matrix'): PcaResult {
  const { rows: n, cols: d } = x;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`pca: k must be a positive integer, got ${k}`);
  if (k > d) throw new RangeError(`pca: ${name} has ${d} columns; cannot take ${k} components`);
  if (n < 2) throw new RangeError(`pca: ${name} has ${n} row(s); a variance needs at least 2`);
  if (x.data.length !== n * d) throw new RangeError(`pca: ${name}: ${x.data.length} values for ${n} x ${d}`);
  const mean = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = x.data[i * d + j]!;
      if (!Number.isFinite(v)) throw new RangeError(`pca: ${name}: row ${i}, column ${j} is not finite (${v})`);
      mean[j]! += v / n;
    }
  }
  const c = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) c[i * d + j] = x.data[i * d + j]! - mean[j]!;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const ca = c[i * d + a]!;
      if (ca === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b]! += ca * c[i * d + b]!;
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      cov[a * d + b]! /= n - 1;
      cov[b * d + a] = cov[a * d + b]!;
    }
  }
  const { values, vectors } = symmetricEigen(cov, d);
  const order = Array.from({ length: d }, (_, i) => i).sort((a, b) => values[b]! - values[a]! || a - b);
  const total = values.reduce((t, v) => t + Math.max(0, v), 0);
  const components: number[][] = [];
  const explainedVariance: number[] = [];
  for (const idx of order.slice(0, k)) {
    const comp = Array.from({ length: d }, (_, j) => vectors[j * d + idx]!);
    let big = 0;
    for (let j = 1; j < d; j++) if (Math.abs(comp[j]!) > Math.abs(comp[big]!) + 1e-12) big = j;
    const sign = comp[big]! < 0 ? -1 : 1;
    components.push(comp.map((v) => v * sign));
    explainedVariance.push(Math.max(0, values[idx]!));
  }
  const projection = Array.from({ length: n }, (_, i) => components.map((comp) => comp.reduce((t, v, j) => t + v * c[i * d + j]!, 0)));
  return {
    mean,
    components,
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => (total > 0 ? v / total : 0)),
    singularValues: explainedVariance.map((v) => Math.sqrt(v * (n - 1))),
    projection,
  };
}
