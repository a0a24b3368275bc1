/**
 * Training batches for the two objectives of the paper's training code:
 * - `instruction`: each example is prompt T(X) and response Y; the loss covers only
 *   the response tokens (and its end-of-sequence token): -log p(Y | T, X), Section 3.1;
 * - `lm`: plain language modelling, every token predicts the next (pre-training the
 *   base model, and the continued-pre-training ablation).
 *
 * Three ways to fill a batch:
 * - `pack` concatenates examples into full rows of seqLen tokens (no padding; an
 *   example may be split across rows and attention may see the previous example, as in
 *   common packed pre-training);
 * - `packed` places whole examples into rows of seqLen tokens (first fit over the
 *   epoch's order) and gives each token its example's segment id, so attention stays
 *   inside an example (a block-diagonal causal mask): instruction tuning without
 *   padding, and without one record reading another. Rotary positions are relative,
 *   so an example attends exactly as it would alone at position 0;
 * - `pad` keeps one example per row and buckets examples of similar length together
 *   (rows padded to the longest in the batch, padding weighted 0).
 *
 * The order of examples is a shuffle per epoch drawn from an {@link Rng}; a position
 * (epoch, batch index, the Rng state at the start of the epoch) restores it exactly.
 */

import { Rng, type RngState } from '../random/rng';

export type Objective = 'instruction' | 'lm';
export type Batching = 'pack' | 'packed' | 'pad';
export const BATCHINGS: readonly Batching[] = ['pack', 'packed', 'pad'];

/** One training example as token ids. For `lm`, `prompt` is usually empty. */
export interface Example {
  prompt: number[];
  response: number[];
}

/** A batch: inputs and next-token targets [batch * t], per-target loss weights. */
export interface Batch {
  batch: number;
  t: number;
  ids: Int32Array;
  targets: Int32Array;
  weights: Float32Array;
  /** Sum of weights: the number of tokens in the loss. */
  lossTokens: number;
  /** `packed` only: the example each position belongs to (1, 2, ... within a row; 0 = padding). */
  segments?: Int32Array;
  /** Positions holding a real input token (not padding): `realTokens / (batch * t)` is the non-padding share. */
  realTokens: number;
  /** Examples that start in this batch. */
  examples: number;
}

export interface DataPosition {
  epoch: number;
  /** Index of the next batch within the epoch. */
  index: number;
  /** Rng state before this epoch's shuffle. */
  rng: RngState;
}

/** Token sequence and the loss weight of predicting each token from its predecessor. */
function weighted(ex: Example, objective: Objective): { tokens: number[]; w: number[] } {
  const tokens = [...ex.prompt, ...ex.response];
  const w = tokens.map((_, i) => (objective === 'lm' || i >= ex.prompt.length ? 1 : 0));
  return { tokens, w };
}

/** A row of `pack` or `pad`: tokens, the weight of predicting each token, examples starting in it. */
type Row = { tokens: number[]; w: number[]; starts: number };

/** Builds the batches of one pass over `examples` in the given order; a last partial batch is dropped unless `keepLast`. */
export function makeBatches(
  examples: readonly Example[],
  order: readonly number[],
  opts: { objective: Objective; batching: Batching; batchSize: number; seqLen: number; padToken: number; keepLast?: boolean },
): Batch[] {
  const { batchSize, seqLen, padToken } = opts;
  const rows: (Row | PackedRow)[] = [];
  if (opts.batching === 'pack') {
    let cur: Row = { tokens: [], w: [], starts: 0 };
    for (const i of order) {
      const { tokens, w } = weighted(examples[i]!, opts.objective);
      cur.starts++;
      for (let k = 0; k < tokens.length; k++) {
        // the first token of an example is never a target of the previous one
        cur.tokens.push(tokens[k]!);
        cur.w.push(k === 0 ? 0 : w[k]!);
        if (cur.tokens.length === seqLen + 1) {
          rows.push(cur);
          cur = { tokens: [], w: [], starts: 0 };
        }
      }
    }
  } else if (opts.batching === 'packed') {
    rows.push(...packRows(examples, order, opts.objective, seqLen));
  } else {
    const items: Row[] = order.map((i) => weighted(examples[i]!, opts.objective)).map(({ tokens, w }) => ({
      tokens: tokens.slice(0, seqLen + 1),
      w: w.slice(0, seqLen + 1),
      starts: 1,
    }));
    // bucketing: sort by length inside windows of 8 batches, keep the windows' order
    const window = batchSize * 8;
    for (let s = 0; s < items.length; s += window) {
      rows.push(...items.slice(s, s + window).sort((a, b) => a.tokens.length - b.tokens.length));
    }
  }
  const batches: Batch[] = [];
  for (let s = 0; s < rows.length; s += batchSize) {
    const chunk = rows.slice(s, s + batchSize);
    if (chunk.length < batchSize && !opts.keepLast) break;
    batches.push(opts.batching === 'packed' ? packedBatch(chunk as PackedRow[], seqLen, padToken) : rowBatch(chunk as Row[], opts.batching === 'pack' ? seqLen : 0, padToken));
  }
  return batches;
}

/** Rows of one example each (or full `pack` rows) as a batch; `t` is the longest row's inputs unless `fixedT`. */
function rowBatch(chunk: { tokens: number[]; w: number[]; starts: number }[], fixedT: number, padToken: number): Batch {
  const t = fixedT || Math.max(1, Math.max(...chunk.map((r) => r.tokens.length)) - 1);
  const n = chunk.length * t;
  const b: Batch = { batch: chunk.length, t, ids: new Int32Array(n).fill(padToken), targets: new Int32Array(n).fill(padToken), weights: new Float32Array(n), lossTokens: 0, realTokens: 0, examples: 0 };
  chunk.forEach((r, row) => {
    b.examples += r.starts;
    for (let j = 0; j + 1 < r.tokens.length && j < t; j++) {
      b.ids[row * t + j] = r.tokens[j]!;
      b.targets[row * t + j] = r.tokens[j + 1]!;
      b.weights[row * t + j] = r.w[j + 1]!;
      b.lossTokens += r.w[j + 1]!;
      b.realTokens++;
    }
    if (r.tokens.length === 1) {
      b.ids[row * t] = r.tokens[0]!;
      b.realTokens++;
    }
  });
  return b;
}

/**
 * Whole examples into rows of `seqLen` input positions, first fit in the given order:
 * an example of L tokens takes L - 1 positions (its inputs; the targets are its next
 * tokens), and goes into the first row with room, else a new row. An example longer
 * than a row is cut to `seqLen + 1` tokens (callers fit records beforehand, e.g.
 * `fitExample`). Here a row's `tokens` are input positions and `w`, `seg` are aligned
 * with them; `next` holds the targets.
 */
function packRows(examples: readonly Example[], order: readonly number[], objective: Objective, seqLen: number): PackedRow[] {
  const rows: PackedRow[] = [];
  // rows with room left, in creation order (first fit)
  let open: PackedRow[] = [];
  for (const i of order) {
    const { tokens, w } = weighted(examples[i]!, objective);
    const cut = tokens.slice(0, seqLen + 1);
    const need = Math.max(1, cut.length - 1);
    let row = open.find((r) => seqLen - r.tokens.length >= need);
    if (!row) {
      row = { tokens: [], next: [], w: [], seg: [], starts: 0 };
      rows.push(row);
      open.push(row);
    }
    const id = ++row.starts;
    if (cut.length === 1) {
      row.tokens.push(cut[0]!);
      row.next.push(cut[0]!);
      row.w.push(0);
      row.seg.push(id);
    }
    for (let k = 0; k + 1 < cut.length; k++) {
      row.tokens.push(cut[k]!);
      row.next.push(cut[k + 1]!);
      row.w.push(w[k + 1]!);
      row.seg.push(id);
    }
    if (row.tokens.length >= seqLen) open = open.filter((r) => r.tokens.length < seqLen);
  }
  return rows;
}

type PackedRow = { tokens: number[]; next: number[]; w: number[]; seg: number[]; starts: number };

/** Packed rows as a batch of fixed width `seqLen`, with segment ids (0 on padding). */
function packedBatch(chunk: PackedRow[], seqLen: number, padToken: number): Batch {
  const t = seqLen;
  const n = chunk.length * t;
  const b: Batch = {
    batch: chunk.length, t, ids: new Int32Array(n).fill(padToken), targets: new Int32Array(n).fill(padToken), weights: new Float32Array(n),
    lossTokens: 0, segments: new Int32Array(n), realTokens: 0, examples: 0,
  };
  chunk.forEach((r, row) => {
    b.examples += r.starts;
    for (let j = 0; j < r.tokens.length; j++) {
      b.ids[row * t + j] = r.tokens[j]!;
      b.targets[row * t + j] = r.next[j]!;
      b.weights[row * t + j] = r.w[j]!;
      b.segments![row * t + j] = r.seg[j]!;
      b.lossTokens += r.w[j]!;
    }
    b.realTokens += r.tokens.length;
  });
  return b;
}

/** An endless, resumable stream of shuffled training batches. */
export class BatchStream {
  private rng: Rng;
  private epochStart: RngState;
  private epoch = 0;
  private index = 0;
  private batches: Batch[] = [];

  constructor(
    private readonly examples: readonly Example[],
    private readonly opts: { objective: Objective; batching: Batching; batchSize: number; seqLen: number; padToken: number },
    rng: Rng,
  ) {
    if (examples.length === 0) throw new Error('training data is empty');
    this.rng = rng;
    this.epochStart = rng.state();
    this.shuffle();
  }

  private shuffle(): void {
    this.epochStart = this.rng.state();
    const order = this.rng.shuffle(this.examples.map((_, i) => i));
    this.batches = makeBatches(this.examples, order, this.opts);
    if (this.batches.length === 0) throw new Error(`training data too small for one batch of ${this.opts.batchSize} rows of ${this.opts.seqLen} tokens`);
  }

  next(): Batch {
    if (this.index >= this.batches.length) {
      this.epoch++;
      this.index = 0;
      this.shuffle();
    }
    return this.batches[this.index++]!;
  }

  position(): DataPosition {
    return { epoch: this.epoch, index: this.index, rng: this.epochStart };
  }

  /** Returns the stream to a recorded position. */
  seek(pos: DataPosition): void {
    this.rng = Rng.fromState(pos.rng);
    this.epoch = pos.epoch;
    this.shuffle();
    this.index = pos.index;
  }
}
