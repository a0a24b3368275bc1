/**
 * Decoding with a key/value cache: greedy or sampled (temperature, top-k), batched
 * (prompts left-padded, padding masked out of attention, positions counted per row),
 * with stop tokens and a maximum length. Serves every evaluation notebook that asks the
 * tuned model a question (paper Section 4: generation-based benchmarks).
 */

import { tf } from '../backend';
import type { Rng } from '../random/rng';
import { disposeCache, emptyCache, type Transformer } from './transformer';

export interface GenerateOptions {
  /** Most new tokens per prompt (default 32). */
  maxNewTokens?: number;
  /** Generation of a row ends after emitting one of these (it is kept in the output). */
  stopTokens?: readonly number[];
  /** 0 (default) = greedy; otherwise softmax temperature for sampling. */
  temperature?: number;
  /** Sample only among the k most likely tokens (0 = all). */
  topK?: number;
  /** Needed when sampling. */
  rng?: Rng;
  /** Token used to left-pad shorter prompts (never attended to). */
  padToken?: number;
}

/**
 * Continues each prompt (arrays of token ids); returns the new tokens per prompt,
 * ending at (and including) the first stop token, or at maxNewTokens, or where the
 * model's maxSeqLen is reached. Leaves no tensors behind.
 */
export async function generate(model: Transformer, prompts: readonly (readonly number[])[], options: GenerateOptions = {}): Promise<number[][]> {
  const maxNew = options.maxNewTokens ?? 32;
  const temperature = options.temperature ?? 0;
  const topK = options.topK ?? 0;
  const stop = new Set(options.stopTokens ?? []);
  const pad = options.padToken ?? 0;
  if (temperature > 0 && !options.rng) throw new Error('generate: sampling (temperature > 0) needs options.rng');
  if (prompts.length === 0) return [];
  if (prompts.some((p) => p.length === 0)) throw new Error('generate: every prompt needs at least one token');
  const b = prompts.length;
  const len = Math.max(...prompts.map((p) => p.length));
  const limit = Math.min(maxNew, model.config.maxSeqLen - len);
  if (limit < 0) throw new Error(`generate: prompt of ${len} tokens exceeds maxSeqLen ${model.config.maxSeqLen}`);
  const padCount = prompts.map((p) => len - p.length);
  const ids = new Int32Array(b * len);
  const positions = new Float32Array(b * len);
  const valid: number[][] = prompts.map(() => []);
  prompts.forEach((p, r) => {
    for (let j = 0; j < len; j++) {
      const k = j - padCount[r]!;
      ids[r * len + j] = k >= 0 ? p[k]! : pad;
      positions[r * len + j] = Math.max(0, k);
      valid[r]!.push(k >= 0 ? 1 : 0);
    }
  });
  const out: number[][] = prompts.map(() => []);
  const done = prompts.map(() => limit === 0);
  const cache = emptyCache();
  try {
    let input = tf.tensor2d(ids, [b, len], 'int32');
    let pos: Float32Array = positions;
    for (let s = 0; s < limit; s++) {
      const flatValid = valid.flat();
      const logits = model.step(input, pos, flatValid, cache);
      input.dispose();
      const rows = (await logits.array()) as number[][];
      logits.dispose();
      const next = rows.map((row, r) => (done[r] ? pad : pick(row, temperature, topK, options.rng)));
      next.forEach((tok, r) => {
        if (done[r]) return;
        out[r]!.push(tok);
        if (stop.has(tok) || out[r]!.length >= limit) done[r] = true;
      });
      if (done.every(Boolean)) break;
      for (const v of valid) v.push(1);
      input = tf.tensor2d(Int32Array.from(next), [b, 1], 'int32');
      // the token just chosen sits at position (prompt length + s) of its row
      pos = Float32Array.from(prompts.map((p) => p.length + s));
    }
  } finally {
    disposeCache(cache);
  }
  return out;
}

/** Chooses a token from one row of logits: argmax, or a tempered (top-k) sample. */
function pick(row: number[], temperature: number, topK: number, rng?: Rng): number {
  if (temperature <= 0) {
    let best = 0;
    for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
    return best;
  }
  let idx = row.map((_, i) => i);
  if (topK > 0 && topK < row.length) idx = idx.sort((a, c) => row[c]! - row[a]! || a - c).slice(0, topK);
  const max = Math.max(...idx.map((i) => row[i]!));
  const w = idx.map((i) => Math.exp((row[i]! - max) / temperature));
  return idx[rng!.weightedIndex(w)]!;
}

/**
 * Log-likelihood of each sequence under the model: the sum over positions 1..n-1 of
 * log p(token | the tokens before it), in nats (the first token is context only, so
 * start each sequence with a separator such as the end-of-text token). Rows are
 * right-padded in batches; a causal model never attends forward, so padding after a
 * row's end changes nothing. Used to rank candidate sentences (the base-model knowledge
 * probe, mLAMA-style). Leaves no tensors behind.
 */
export async function sequenceLogLikelihoods(model: Transformer, seqs: readonly (readonly number[])[], options: { batchSize?: number } = {}): Promise<number[]> {
  const maxLen = model.config.maxSeqLen;
  for (const [i, s] of seqs.entries()) {
    if (s.length < 2) throw new Error(`sequenceLogLikelihoods: sequence ${i} has ${s.length} token(s); it needs a context token and at least one scored token`);
    if (s.length > maxLen) throw new Error(`sequenceLogLikelihoods: sequence ${i} has ${s.length} tokens, more than the model's maxSeqLen ${maxLen}`);
  }
  const bs = Math.max(1, options.batchSize ?? 32);
  const out: number[] = [];
  for (let s = 0; s < seqs.length; s += bs) {
    const chunk = seqs.slice(s, s + bs);
    const t = Math.max(...chunk.map((q) => q.length));
    const ids = new Int32Array(chunk.length * t);
    const targets = new Int32Array(chunk.length * (t - 1));
    const weights = new Float32Array(chunk.length * (t - 1));
    chunk.forEach((q, b) => {
      q.forEach((tok, j) => (ids[b * t + j] = tok));
      for (let j = 1; j < q.length; j++) {
        targets[b * (t - 1) + j - 1] = q[j]!;
        weights[b * (t - 1) + j - 1] = 1;
      }
    });
    const sums = tf.tidy(() => {
      const logits = model.forward(tf.tensor2d(ids, [chunk.length, t], 'int32')).logits.slice([0, 0, 0], [chunk.length, t - 1, -1]);
      const logp = tf.logSoftmax(logits);
      const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.tensor2d(targets, [chunk.length, t - 1], 'int32'), logits.shape[2])), -1);
      return tf.sum(tf.mul(picked, tf.tensor2d(weights, [chunk.length, t - 1])), -1);
    });
    out.push(...(await sums.data()));
    sums.dispose();
  }
  return out;
}
