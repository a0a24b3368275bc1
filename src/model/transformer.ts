/**
 * The laboratory's decoder-only transformer (paper Section 4.1's base models in
 * miniature; families in ./config.ts). Parameters are tf.Variables keyed by the names
 * of {@link parameterShapes}; initialisation draws from an {@link Rng}, so the same
 * seed gives the same model on every backend.
 *
 * Activations are kept as [tokens, dModel] matrices so that every projection is a
 * 2-D matmul (fast on wasm, see ./ops.ts); attention reshapes to [batch*heads, T, hd],
 * except on webgpu, where kernels of ./fused.ts read the heads where they lie.
 */

import { tf } from '../backend';
import type { Rng } from '../random/rng';
import { type ModelConfig, parameterShapes, validateModelConfig } from './config';
import { ATTENTION_MAX_HEAD } from '../backend/webgpu';
import * as fused from './fused';
import { addBias, applyRotary, bmm, constMatmul, dense, embed, fastPaths, gelu, layerNorm, rmsNorm, Rotary, swiglu, useFusedOps } from './ops';

/** Per-layer key/value cache for incremental decoding: [batch*heads, T, hd] each. */
export interface KvCache {
  keys: tf.Tensor3D[];
  values: tf.Tensor3D[];
  /** Tokens already in the cache. */
  length: number;
}

export interface ForwardOptions {
  /** Also return the hidden state entering each layer and after the final norm. */
  hidden?: boolean;
  /**
   * [batch, T] with 1 for real tokens and 0 for padding: masks padded keys in
   * attention and, with `hidden`, gives the masked mean of each hidden state.
   */
  attentionMask?: tf.Tensor2D;
}

export interface ForwardResult {
  /** [batch, T, vocab]. */
  logits: tf.Tensor3D;
  /** nLayers + 1 tensors [batch, T, dModel]: embeddings, after each block (the last after the final norm). */
  hidden?: tf.Tensor3D[];
  /** nLayers + 1 tensors [batch, dModel]: hidden states averaged over real tokens (sum / real length). */
  meanHidden?: tf.Tensor2D[];
}

/** Internal: one pass's positional and masking inputs. */
interface PassInputs {
  batch: number;
  t: number;
  /** Rotary tables [t, d], or [batch, t, d] for per-row positions. */
  cos: tf.Tensor;
  sin: tf.Tensor;
  /** Additive bias broadcast against scores [batch, heads, t, tk] (or [t, tk]). */
  bias: tf.Tensor;
  /** Whether the bias leaves every query a key at or before it (no padding mask): fused attention then skips the keys after the query. */
  causal: boolean;
}

export class Transformer {
  readonly config: ModelConfig;
  readonly params = new Map<string, tf.Variable>();
  readonly rotary: Rotary;
  private readonly perm: tf.Tensor2D;
  private readonly permT: tf.Tensor2D;
  /** x -> x R, the rotary permutation (a constant: no gradient for R). */
  private readonly rotate: (x: tf.Tensor2D) => tf.Tensor2D;
  private readonly constCache = new Map<string, tf.Tensor>();

  /** Builds a model with weights drawn from `rng` (normal, std initStd; output projections scaled by 1/sqrt(2L)). */
  constructor(config: ModelConfig, init: Rng | Map<string, Float32Array>) {
    validateModelConfig({ ...config });
    this.config = { ...config };
    this.rotary = Rotary.forConfig(config);
    this.perm = tf.keep(tf.tensor2d(this.rotary.permutation(), [config.dModel, config.dModel]));
    this.permT = tf.keep(tf.transpose(this.perm));
    this.rotate = constMatmul(this.perm, this.permT);
    const outScale = 1 / Math.sqrt(2 * config.nLayers);
    for (const [name, shape] of parameterShapes(config)) {
      const size = shape.reduce((a, b) => a * b, 1);
      let values: Float32Array;
      if (init instanceof Map) {
        const v = init.get(name);
        if (!v) throw new Error(`missing weight "${name}"`);
        if (v.length !== size) throw new Error(`weight "${name}": expected ${size} values for shape [${shape}], got ${v.length}`);
        values = v;
      } else {
        values = new Float32Array(size);
        if (/norm\.weight$/.test(name)) values.fill(1);
        else if (shape.length === 2) {
          const std = config.initStd * (/(attn\.wo|w_down|w_out)$/.test(name) ? outScale : 1);
          const r = init.fork(name);
          for (let i = 0; i < size; i++) values[i] = r.normal(0, std);
        }
      }
      // the variable takes its own reference to the values: the initial tensor is let go, or
      // it would keep every parameter's first values alive after the model is disposed
      const initial = tf.tensor(values, shape);
      this.params.set(name, tf.variable(initial, true, `${name}_${tf.util.now()}_${this.params.size}`));
      initial.dispose();
    }
  }

  /** Parameter `name`; an unknown name is an error. */
  p(name: string): tf.Variable {
    const v = this.params.get(name);
    if (!v) throw new Error(`no parameter "${name}"`);
    return v;
  }

  /** Trainable variables in parameter order. */
  variables(): tf.Variable[] {
    return [...this.params.values()];
  }

  private cached<T extends tf.Tensor>(key: string, make: () => T): T {
    let t = this.constCache.get(key);
    if (!t) {
      t = tf.keep(make());
      this.constCache.set(key, t);
    }
    return t as T;
  }

  /** Positional/masking inputs for a full causal pass over [batch, t] from position 0. */
  private trainingInputs(batch: number, t: number): PassInputs {
    const cs = this.cached(`cs${t}`, () => {
      const { cos, sin } = this.rotary.tables(Float32Array.from({ length: t }, (_, i) => i));
      return tf.stack([tf.tensor2d(cos, [t, this.config.dModel]), tf.tensor2d(sin, [t, this.config.dModel])]);
    });
    const bias = this.cached(`causal${t}`, () => causalBias(t));
    const [cos, sin] = tf.unstack(cs) as [tf.Tensor2D, tf.Tensor2D];
    return { batch, t, cos, sin, bias, causal: true };
  }

  /** Embedding lookup of ids [n] in the table [V, d] (src/model/ops.ts: embed). */
  private embedIds(ids: tf.Tensor1D): tf.Tensor2D {
    return embed(ids, this.p('embed'));
  }

  private norm(prefix: string, x: tf.Tensor2D): tf.Tensor2D {
    const eps = this.config.normEps;
    return this.config.family === 'llama'
      ? rmsNorm(x, this.p(`${prefix}.weight`), eps)
      : layerNorm(x, this.p(`${prefix}.weight`), this.p(`${prefix}.bias`), eps);
  }

  /** Self-attention of layer `i` on normed input h [n, d]; updates `cache` when given. */
  private attention(i: number, h: tf.Tensor2D, inp: PassInputs, cache?: KvCache): tf.Tensor2D {
    const { nHeads, dModel: d } = this.config;
    const hd = d / nHeads;
    const pre = `layers.${i}.attn.`;
    // Slicing the small weight instead of the large activation: wasm's SplitV on
    // [tokens, 3d] and its Concat gradient cost more than three matmuls (docs/speed.md).
    const w = this.p(pre + 'wqkv');
    const bias = this.config.family === 'neox' ? this.p(pre + 'bqkv') : null;
    const proj = (j: number): tf.Tensor2D => {
      const y = dense(h, tf.slice(w, [0, j * d], [d, d]));
      return bias ? (tf.add(y, tf.slice(bias, [j * d], [d])) as tf.Tensor2D) : y;
    };
    const split = (): tf.Tensor2D[] => {
      const qkv = dense(h, w);
      return tf.split(bias ? tf.add(qkv, bias) : qkv, 3, 1) as tf.Tensor2D[];
    };
    const { batch: b, t } = inp;
    if (!cache && useFusedOps() && hd <= ATTENTION_MAX_HEAD) {
      // on webgpu: one projection, q, k and v side by side, heads side by side in each; no slices, no reshapes, no score tensor
      const qkv = dense(h, w);
      const rotated = fused.rotary(bias ? addBias(qkv, bias) : qkv, inp.cos, inp.sin, this.rotary, 2 * d);
      return this.attentionOutput(i, fused.attention(rotated, inp.bias, { batch: b, t, heads: nHeads, scale: 1 / Math.sqrt(hd), causal: inp.causal }));
    }
    const [q0, k0, v0] = (fastPaths.weightSlices ? [proj(0), proj(1), proj(2)] : split()) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const q = applyRotary(q0, inp.cos, inp.sin, this.rotate, b, t, this.rotary);
    const k = applyRotary(k0, inp.cos, inp.sin, this.rotate, b, t, this.rotary);
    const heads = (x: tf.Tensor2D): tf.Tensor3D =>
      tf.reshape(tf.transpose(tf.reshape(x, [b, t, nHeads, hd]), [0, 2, 1, 3]), [b * nHeads, t, hd]);
    let kh = heads(k);
    let vh = heads(v0);
    if (cache) {
      if (cache.keys[i]) {
        const [ok, ov] = [cache.keys[i]!, cache.values[i]!];
        kh = tf.concat([ok, kh], 1);
        vh = tf.concat([ov, vh], 1);
        ok.dispose();
        ov.dispose();
      }
      cache.keys[i] = tf.keep(kh);
      cache.values[i] = tf.keep(vh);
    }
    const tk = kh.shape[1];
    const qh = tf.mul(heads(q), 1 / Math.sqrt(hd)) as tf.Tensor3D;
    const scores = tf.add(tf.reshape(bmm(qh, tf.transpose(kh, [0, 2, 1])), [b, nHeads, t, tk]), inp.bias);
    const probs = tf.reshape(tf.softmax(scores), [b * nHeads, t, tk]) as tf.Tensor3D;
    const ctx = bmm(probs, vh);
    const merged = tf.reshape(tf.transpose(tf.reshape(ctx, [b, nHeads, t, hd]), [0, 2, 1, 3]), [b * t, d]) as tf.Tensor2D;
    return this.attentionOutput(i, merged);
  }

  /** Layer `i`'s output projection of the heads' outputs, side by side [n, d]. */
  private attentionOutput(i: number, merged: tf.Tensor2D): tf.Tensor2D {
    const out = dense(merged, this.p(`layers.${i}.attn.wo`));
    return this.config.family === 'neox' ? addBias(out, this.p(`layers.${i}.attn.bo`)) : out;
  }

  private mlp(i: number, h: tf.Tensor2D): tf.Tensor2D {
    const pre = `layers.${i}.mlp.`;
    if (this.config.family === 'llama') {
      const w = this.p(pre + 'w_gate_up');
      // on webgpu one projection and one kernel on gate and up side by side
      if (useFusedOps()) return dense(fused.swiglu(dense(h, w)), this.p(pre + 'w_down'));
      const f = this.config.dFf;
      const [gate, up] = fastPaths.weightSlices
        ? [dense(h, tf.slice(w, [0, 0], [-1, f])), dense(h, tf.slice(w, [0, f], [-1, f]))]
        : (tf.split(dense(h, w), 2, 1) as tf.Tensor2D[]);
      return dense(swiglu(gate!, up!), this.p(pre + 'w_down'));
    }
    const a = gelu(addBias(dense(h, this.p(pre + 'w_in')), this.p(pre + 'b_in'))) as tf.Tensor2D;
    return addBias(dense(a, this.p(pre + 'w_out')), this.p(pre + 'b_out'));
  }

  /** The blocks and head on flat ids [n]; returns logits [n, V] and optional hidden states [n, d]. */
  private pass(ids: tf.Tensor1D, inp: PassInputs, cache?: KvCache, keepHidden = false): { logits: tf.Tensor2D; hidden: tf.Tensor2D[] } {
    let x = this.embedIds(ids);
    const hidden: tf.Tensor2D[] = keepHidden ? [x] : [];
    for (let i = 0; i < this.config.nLayers; i++) {
      const pre = `layers.${i}.`;
      if (this.config.family === 'llama') {
        x = tf.add(x, this.attention(i, this.norm(pre + 'attn_norm', x), inp, cache));
        x = tf.add(x, this.mlp(i, this.norm(pre + 'mlp_norm', x)));
      } else {
        const a = this.attention(i, this.norm(pre + 'attn_norm', x), inp, cache);
        const m = this.mlp(i, this.norm(pre + 'mlp_norm', x));
        x = tf.add(tf.add(x, a), m);
      }
      if (keepHidden && i < this.config.nLayers - 1) hidden.push(x);
    }
    x = this.norm('final_norm', x);
    if (keepHidden) hidden.push(x);
    const head = this.config.tiedEmbeddings ? tf.transpose(this.p('embed')) : this.p('lm_head');
    return { logits: dense(x, head as tf.Tensor2D), hidden };
  }

  /**
   * Logits [n, V] for flat training input: `ids` [batch, t] int32, causal, positions
   * from 0. With `segments` ([batch * t] example ids of packed rows, 0 = padding) a
   * position attends only to earlier positions of its own example. The caller disposes
   * (call inside tf.tidy). Used by the training loss.
   */
  logits2d(ids: tf.Tensor2D, segments?: Int32Array): tf.Tensor2D {
    const [b, t] = ids.shape;
    if (t > this.config.maxSeqLen) throw new Error(`sequence of ${t} tokens exceeds maxSeqLen ${this.config.maxSeqLen}`);
    const inp = this.trainingInputs(b, t);
    if (segments) inp.bias = segmentBias(segments, b, t);
    return this.pass(tf.reshape(ids, [b * t]) as tf.Tensor1D, inp).logits;
  }

  /**
   * Full forward pass on ids [batch, T] (int32). Returns logits and, with
   * `options.hidden`, every layer's hidden states and their masked means (for the
   * representation-similarity notebooks). The caller disposes the returned tensors.
   */
  forward(ids: tf.Tensor2D, options: ForwardOptions = {}): ForwardResult {
    const [b, t] = ids.shape;
    return tf.tidy(() => {
      if (t > this.config.maxSeqLen) throw new Error(`sequence of ${t} tokens exceeds maxSeqLen ${this.config.maxSeqLen}`);
      const inp = this.trainingInputs(b, t);
      const mask = options.attentionMask;
      if (mask) {
        if (mask.shape[0] !== b || mask.shape[1] !== t) throw new Error(`attentionMask shape [${mask.shape}] must equal ids shape [${b},${t}]`);
        inp.bias = tf.add(inp.bias, tf.reshape(tf.mul(tf.sub(1, tf.cast(mask, 'float32')), -1e9), [b, 1, 1, t]));
        inp.causal = false;
      }
      const { logits, hidden } = this.pass(tf.reshape(ids, [b * t]) as tf.Tensor1D, inp, undefined, options.hidden ?? false);
      const result: ForwardResult = { logits: tf.reshape(logits, [b, t, this.config.vocabSize]) };
      if (options.hidden) {
        result.hidden = hidden.map((h) => tf.reshape(h, [b, t, this.config.dModel]) as tf.Tensor3D);
        const m = mask ? tf.cast(mask, 'float32') : tf.ones([b, t]);
        const m3 = tf.expandDims(m, 2);
        const len = tf.maximum(tf.sum(m, 1, true), 1);
        result.meanHidden = result.hidden.map((h) => tf.div(tf.sum(tf.mul(h, m3), 1), len) as tf.Tensor2D);
      }
      return result as unknown as tf.TensorContainer;
    }) as unknown as ForwardResult;
  }

  /**
   * One incremental step for decoding: `ids` [batch, t] at per-row `positions`
   * (batch*t numbers), attending to the cache plus these tokens; `keyValid`
   * (batch * (cache.length + t), 1 = real) masks left padding. Appends to `cache` and
   * returns the last position's logits [batch, V] (caller disposes).
   */
  step(ids: tf.Tensor2D, positions: ArrayLike<number>, keyValid: ArrayLike<number>, cache: KvCache): tf.Tensor2D {
    const [b, t] = ids.shape;
    const tk = cache.length + t;
    if (tk > this.config.maxSeqLen) throw new Error(`decoding past maxSeqLen ${this.config.maxSeqLen}`);
    const out = tf.tidy(() => {
      const { cos, sin } = this.rotary.tables(positions);
      const bias = new Float32Array(b * t * tk);
      for (let r = 0; r < b; r++)
        for (let i = 0; i < t; i++)
          for (let j = 0; j < tk; j++) {
            const causal = j <= cache.length + i;
            bias[(r * t + i) * tk + j] = causal && keyValid[r * tk + j] ? 0 : -1e9;
          }
      const inp: PassInputs = {
        batch: b,
        t,
        cos: tf.tensor3d(cos, [b, t, this.config.dModel]),
        sin: tf.tensor3d(sin, [b, t, this.config.dModel]),
        bias: tf.tensor4d(bias, [b, 1, t, tk]),
        causal: false,
      };
      const { logits } = this.pass(tf.reshape(ids, [b * t]) as tf.Tensor1D, inp, cache);
      const last = tf.tensor1d(Int32Array.from({ length: b }, (_, r) => r * t + t - 1), 'int32');
      return tf.gather(logits, last) as tf.Tensor2D;
    });
    cache.length = tk;
    return out;
  }

  /** Current weights as plain arrays, by name (for checkpoints). */
  async weights(): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
    const out = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [name, v] of this.params) out.set(name, { shape: [...v.shape], data: (await v.data()) as Float32Array });
    return out;
  }

  /** Overwrites weights in place (shapes checked by the caller). */
  assign(values: Map<string, Float32Array>): void {
    for (const [name, v] of this.params) {
      const data = values.get(name);
      if (!data) throw new Error(`missing weight "${name}"`);
      tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
    }
  }

  /** Frees the variables and cached constants. */
  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    for (const t of this.constCache.values()) t.dispose();
    this.perm.dispose();
    this.permT.dispose();
    this.params.clear();
    this.constCache.clear();
  }
}

/**
 * [batch, 1, t, t] additive bias for packed rows: 0 where key j <= query i and both carry
 * the same segment id, -1e9 elsewhere (a padding position, id 0, sees only itself so its
 * softmax stays finite; its loss weight is 0).
 */
export function segmentBias(segments: Int32Array, batch: number, t: number): tf.Tensor4D {
  if (segments.length !== batch * t) throw new Error(`segments has ${segments.length} entries, expected batch * t = ${batch * t}`);
  const bias = new Float32Array(batch * t * t).fill(-1e9);
  for (let r = 0; r < batch; r++) {
    for (let i = 0; i < t; i++) {
      const si = segments[r * t + i]!;
      const rowOff = (r * t + i) * t;
      if (si === 0) {
        bias[rowOff + i] = 0;
        continue;
      }
      for (let j = i; j >= 0 && segments[r * t + j] === si; j--) bias[rowOff + j] = 0;
    }
  }
  return tf.tensor4d(bias, [batch, 1, t, t]);
}

/** [t, t] additive causal bias: 0 on and below the diagonal, -1e9 above. */
function causalBias(t: number): tf.Tensor2D {
  const v = new Float32Array(t * t);
  for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) v[i * t + j] = -1e9;
  return tf.tensor2d(v, [t, t]);
}

/** An empty key/value cache. */
export function emptyCache(): KvCache {
  return { keys: [], values: [], length: 0 };
}

/** Frees a cache's tensors. */
export function disposeCache(cache: KvCache): void {
  for (const t of [...cache.keys, ...cache.values]) t?.dispose();
  cache.keys = [];
  cache.values = [];
  cache.length = 0;
}
