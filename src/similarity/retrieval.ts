/**
 * Language similarity gamma from sentence representations (paper Section 3.2: gamma
 * is measured by retrieval with the model's own representations; notebook 03 and
 * `xalign similarity`).
 *
 * Inputs: two matrices E (English) and F (the other language), n x d each, where row
 * i of E and row i of F represent a translation pair (e.g. mean-pooled final-layer
 * states of a real model, exported as `.npy`).
 *
 * For each English row i, every row j of F is scored by cosine similarity
 * c_ij = <E_i, F_j> / (|E_i| |F_j|). The rank of the true translation is
 *
 *     r_i = 1 + #{ j != i : c_ij >= c_ii }
 *
 * (ties count against the true translation, so identical or constant representations
 * do not look perfect). The per-query score is linear in the rank,
 *
 *     s_i = 1 - (r_i - 1) / n,   so s_i is in [1/n, 1] and s_i = 1 iff r_i = 1,
 *
 * and gamma = (1/n) sum_i s_i, which lies in (0, 1]: 1 means every English sentence
 * finds its translation first; chance level (random representations) is about
 * (n + 1) / (2n), i.e. 0.5. Also reported: top-1 accuracy (share of r_i = 1) and the
 * mean reciprocal rank (1/n) sum 1/r_i.
 */

export interface SimilarityResult {
  /** gamma = mean of 1 - (r_i - 1)/n, in (0, 1]. */
  similarity: number;
  /** Share of English rows whose translation ranks first. */
  top1: number;
  /** Mean reciprocal rank of the true translation. */
  mrr: number;
  /** Number of pairs. */
  n: number;
  /** The rank of each true translation (1 = best). */
  ranks: number[];
}

export interface RepresentationMatrix {
  rows: number;
  cols: number;
  /** Row-major values. */
  data: ArrayLike<number>;
}

function normalisedRows(m: RepresentationMatrix, name: string): Float64Array {
  const out = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) {
    let norm = 0;
    for (let k = 0; k < m.cols; k++) {
      const v = m.data[i * m.cols + k]!;
      if (!Number.isFinite(v)) throw new RangeError(`${name}: row ${i}, column ${k} is not finite (${v})`);
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    if (!(norm > 0)) throw new RangeError(`${name}: row ${i} is all zeros; cosine similarity is undefined`);
    for (let k = 0; k < m.cols; k++) out[i * m.cols + k] = m.data[i * m.cols + k]! / norm;
  }
  return out;
}

/**
 * gamma, top-1 and MRR of retrieving F's rows with E's rows (see the module comment).
 * `names` label the matrices in errors (e.g. the file names).
 */
export function retrievalSimilarity(english: RepresentationMatrix, other: RepresentationMatrix, names: [string, string] = ['english', 'other']): SimilarityResult {
  if (english.rows !== other.rows || english.cols !== other.cols) {
    throw new RangeError(
      `${names[0]} is ${english.rows} x ${english.cols} but ${names[1]} is ${other.rows} x ${other.cols}; ` +
        'expected the same shape (row i of each is a translation pair)',
    );
  }
  if (english.rows < 1 || english.cols < 1) throw new RangeError(`${names[0]}: need at least one row and one column`);
  for (const [m, name] of [[english, names[0]], [other, names[1]]] as const) {
    if (m.data.length !== m.rows * m.cols) throw new RangeError(`${name}: ${m.data.length} values for ${m.rows} x ${m.cols}`);
  }
  const n = english.rows;
  const d = english.cols;
  const e = normalisedRows(english, names[0]);
  const f = normalisedRows(other, names[1]);
  const ranks: number[] = [];
  const sims = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += e[i * d + k]! * f[j * d + k]!;
      sims[j] = s;
    }
    const own = sims[i]!;
    let ahead = 0;
    for (let j = 0; j < n; j++) if (j !== i && sims[j]! >= own) ahead++;
    ranks.push(1 + ahead);
  }
  const similarity = ranks.reduce((t, r) => t + 1 - (r - 1) / n, 0) / n;
  return {
    similarity,
    top1: ranks.filter((r) => r === 1).length / n,
    mrr: ranks.reduce((t, r) => t + 1 / r, 0) / n,
    n,
    ranks,
  };
}

/** Turns a 2-D `.npy` array into a {@link RepresentationMatrix}; `file` names it in errors. */
export function matrixFromNpy(a: { shape: number[]; data: Float64Array }, file: string): RepresentationMatrix {
  if (a.shape.length !== 2) {
    throw new RangeError(`${file}: expected a 2-D array (sentences x dimensions), got shape (${a.shape.join(', ')})`);
  }
  return { rows: a.shape[0]!, cols: a.shape[1]!, data: a.data };
}
