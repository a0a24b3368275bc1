/**
 * Training batches for the two objectives of the paper's training code:
 * - `instruction`: each example is prompt T(X) and response Y; the loss covers only
 *   the response tokens (and its end-of-sequence token): -log p(Y | T, X), Section 3.1;
 * - `lm`: plain language modelling, every token predicts the next (pre-training the
 *   base model, and the continued-pre-training ablation).
 *
 * Two ways to fill a batch: `pack` concatenates examples into full rows of seqLen
 * tokens (no padding; attention may see the previous example, as in common packed
 * pre-training), `pad` keeps one example per row and buckets examples of similar
 * length together (rows padded to the longest in the batch, padding weighted 0).
 *
 * The order of examples is a shuffle per epoch drawn from an {@link Rng}; a position
 * (epoch, batch index, the Rng state at the start of the epoch) restores it exactly.
 */

import { Rng, type RngState } from '../random/rng';

export type Objective = 'instruction' | 'lm';
export type Batching = 'pack' | 'pad';

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

/** Builds the batches of one pass over `examples` in the given order; a last partial batch is dropped unless `keepLast`. */
export function makeBatches(
  examples: readonly Example[],
  order: readonly number[],
  opts: { objective: Objective; batching: Batching; batchSize: number; seqLen: number; padToken: number; keepLast?: boolean },
): Batch[] {
  const { batchSize, seqLen, padToken } = opts;
  const rows: { tokens: number[]; w: number[] }[] = [];
  if (opts.batching === 'pack') {
    let cur = { tokens: [] as number[], w: [] as number[] };
    for (const i of order) {
      const { tokens, w } = weighted(examples[i]!, opts.objective);
      for (let k = 0; k < tokens.length; k++) {
        // the first token of an example is never a target of the previous one
        cur.tokens.push(tokens[k]!);
        cur.w.push(k === 0 ? 0 : w[k]!);
        if (cur.tokens.length === seqLen + 1) {
          rows.push(cur);
          cur = { tokens: [], w: [] };
        }
      }
    }
  } else {
    const items = order.map((i) => weighted(examples[i]!, opts.objective)).map(({ tokens, w }) => ({
      tokens: tokens.slice(0, seqLen + 1),
      w: w.slice(0, seqLen + 1),
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
    const t = opts.batching === 'pack' ? seqLen : Math.max(1, Math.max(...chunk.map((r) => r.tokens.length)) - 1);
    const n = chunk.length * t;
    const b: Batch = { batch: chunk.length, t, ids: new Int32Array(n).fill(padToken), targets: new Int32Array(n).fill(padToken), weights: new Float32Array(n), lossTokens: 0 };
    chunk.forEach((r, row) => {
      for (let j = 0; j + 1 < r.tokens.length && j < t; j++) {
        b.ids[row * t + j] = r.tokens[j]!;
        b.targets[row * t + j] = r.tokens[j + 1]!;
        b.weights[row * t + j] = r.w[j + 1]!;
        b.lossTokens += r.w[j + 1]!;
      }
      if (r.tokens.length === 1) b.ids[row * t] = r.tokens[0]!;
    });
    batches.push(b);
  }
  return batches;
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
