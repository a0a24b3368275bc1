/**
 * Building blocks of the laboratory transformer, written for speed on TensorFlow.js's
 * wasm backend (see docs/speed.md):
 * - the wasm backend hands only untransposed 2-D matmuls to XNNPACK, so `dense` and
 *   `bmm` carry their own gradients that transpose explicitly first;
 * - wasm lacks the gradient of `gather` (UnsortedSegmentSum), so embeddings gather
 *   their rows with a gradient written as a scatter-add (ScatterNd), which wasm has
 *   (on webgpu, whose ScatterNd adds with atomics in no fixed order, a kernel that adds
 *   in the ids' order: src/backend/webgpu/embedding.ts);
 *   the older way, a one-hot matrix times the table, stays behind a switch (the
 *   one-hot is built as int32 and cast: wasm's float one-hot returns wrong bits);
 * - rotary positions are applied on the [tokens, dModel] layout as x*cos + (x R)*sin
 *   with a fixed signed permutation R, one 2-D matmul instead of slices per head.
 * All functions are synchronous tensor math; call them inside `tf.tidy`.
 */

import { tf } from '../backend';
import * as gpu from '../backend/webgpu';
import * as fused from './fused';

/**
 * Switches for the speed work, so the benchmark can measure what each bought
 * (`xalign bench train --ablate denseGrad,weightSlices`). All on by default; those named for
 * a backend act only there.
 */
export const fastPaths = {
  /** dense/bmm with explicit-transpose gradients (off: tf.matMul's own gradient). */
  denseGrad: true,
  /** q/k/v and gate/up as slices of the fused weight (off: one matmul, then split the activation). Not on webgpu with `fusedOps`, whose kernels read the one matmul's output where it lies. */
  weightSlices: true,
  /** On wasm, attention's batched matmuls as depthwise convolutions (XNNPACK) instead of BatchMatMul's scalar loop. */
  depthwiseBmm: true,
  /** No gradient work for constant operands (the rotary permutation, the one-hot ids). */
  constOperands: true,
  /** GELU (the NeoX MLP) with its derivative written out (off: automatic differentiation of the formula). */
  geluGrad: true,
  /** On webgpu, means (the norms) and sums (the loss) over the last axis with their gradient's ones made on the device (off: tfjs's gradients of mean and sum, which make a tensor of ones on the host and upload it). */
  reduceGrad: true,
  /** Embeddings as a row gather whose gradient is a scatter-add of the rows (off: a one-hot [tokens, vocab] matrix times the table, and its transpose times dy in the gradient). */
  gatherEmbed: true,
  /** On webgpu, AdamW's update as two WGSL kernels a parameter and the gradient norm as one per six parameters (src/backend/webgpu; off: tfjs ops, about 18 dispatches a parameter). The optimiser switches its moments' layout when this changes between steps. */
  fusedAdamW: true,
  /** On webgpu, RMSNorm, LayerNorm, biases' gradients, SwiGLU's product, GELU, the rotary embedding and causal attention, forward and backward, as WGSL kernels on the projections' outputs as they come, without slicing them (src/model/fused.ts; off: tfjs ops). */
  fusedOps: true,
  /** On webgpu, matmuls take tfjs's own gradient, whose transposes are flags of the matmul kernel (off: `denseGrad`'s explicit transposes, each a dispatch of its own there). */
  matmulFlags: true,
};

/** Whether the model's ops run as the WGSL kernels of ./fused.ts: on webgpu, with `fastPaths.fusedOps`. */
export function useFusedOps(): boolean {
  return fastPaths.fusedOps && tf.getBackend() === 'webgpu';
}

/**
 * x @ c for a constant c [k, m]: the gradient is only dx = dy @ cT (cT = c transposed,
 * given), skipping the matmul and transpose a gradient for c would cost.
 */
export function constMatmul(c: tf.Tensor2D, cT: tf.Tensor2D): (x: tf.Tensor2D) => tf.Tensor2D {
  const f = tf.customGrad((x) => ({
    value: tf.matMul(x as tf.Tensor2D, c),
    gradFunc: (dy) => tf.matMul(dy as tf.Tensor2D, cT),
  })) as (x: tf.Tensor2D) => tf.Tensor2D;
  return (x) => (fastPaths.constOperands ? f(x) : dense(x, c));
}

const embedCustom = tf.customGrad((oneHot, table, save) => {
  (save as tf.GradSaveFunc)([oneHot as tf.Tensor2D]);
  return {
    value: tf.matMul(oneHot as tf.Tensor2D, table as tf.Tensor2D),
    gradFunc: (dy, saved) => {
      const [oh] = saved as [tf.Tensor2D];
      return [tf.zerosLike(oh), tf.matMul(tf.transpose(oh), dy as tf.Tensor2D)];
    },
  };
}) as (oneHot: tf.Tensor2D, table: tf.Tensor2D) => tf.Tensor2D;

/**
 * Rows `ids` [n] of `table` [V, d], with the gradient dTable = the rows of dy added
 * into the rows they came from (ScatterNd sums repeated ids). The same values as the
 * one-hot product, without its [n, V] matrix, transpose and two matmuls.
 */
const gatherRows = tf.customGrad((ids, table, save) => {
  (save as tf.GradSaveFunc)([ids as tf.Tensor1D]);
  const shape = (table as tf.Tensor2D).shape;
  return {
    value: tf.gather(table as tf.Tensor2D, ids as tf.Tensor1D),
    gradFunc: (dy, saved) => {
      const [i] = saved as [tf.Tensor1D];
      // webgpu's ScatterNd adds with atomics, in no fixed order: its own kernel adds in the ids' order
      const dTable = tf.getBackend() === 'webgpu' ? gpu.embeddingGrad(i, dy as tf.Tensor2D, shape[0]) : tf.scatterND(tf.reshape(i, [-1, 1]), dy as tf.Tensor2D, shape);
      return [tf.zerosLike(i), dTable];
    },
  };
}) as (ids: tf.Tensor1D, table: tf.Tensor2D) => tf.Tensor2D;

/** Embedding rows of `table` [V, d] for `ids` [n] (int32); see {@link fastPaths}.gatherEmbed. */
export function embed(ids: tf.Tensor1D, table: tf.Tensor): tf.Tensor2D {
  if (fastPaths.gatherEmbed) return gatherRows(ids, table as tf.Tensor2D);
  const oneHot = oneHotFloat(ids, table.shape[0]!);
  return fastPaths.constOperands ? embedCustom(oneHot, table as tf.Tensor2D) : dense(oneHot, table);
}

/** x [n, k] @ w [k, m], with a gradient made of untransposed matmuls (on webgpu, of transposed ones: `fastPaths.matmulFlags`). */
export function dense(x: tf.Tensor2D, w: tf.Tensor): tf.Tensor2D {
  const explicit = fastPaths.denseGrad && !(fastPaths.matmulFlags && tf.getBackend() === 'webgpu');
  return explicit ? denseCustom(x, w as tf.Tensor2D) : tf.matMul(x, w as tf.Tensor2D);
}

/** Batched a [b, n, k] @ b [b, k, m], gradient through explicit transposes. */
export function bmm(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  if (fastPaths.depthwiseBmm && tf.getBackend() === 'wasm') return bmmDepthwiseGrad(a, b);
  return fastPaths.denseGrad ? bmmCustom(a, b) : tf.matMul(a, b);
}

/**
 * A batched product as one depthwise convolution, on operands already laid out for it:
 * `image` [r, k, c] holds a[j] in channel j, `filter` [k, c, m] holds b[j]'s m columns as
 * 1 x k filters; the "valid" output [1, r, 1, c*m] holds every product, returned as
 * [c, r, m]. wasm runs depthwise convolutions in XNNPACK, about 3x faster than its
 * BatchMatMul loop (docs/speed.md).
 */
function depthwiseProduct(image: tf.Tensor3D, filter: tf.Tensor3D): tf.Tensor3D {
  const [r, k, c] = image.shape;
  const m = filter.shape[2];
  const out = tf.depthwiseConv2d(tf.reshape(image, [1, r, k, c]) as tf.Tensor4D, tf.reshape(filter, [1, k, c, m]) as tf.Tensor4D, 1, 'valid');
  return tf.transpose(tf.reshape(out, [r, c, m]), [1, 0, 2]) as tf.Tensor3D;
}

/**
 * a [c, r, k] @ b [c, k, m] through {@link depthwiseProduct}, with the gradient
 * dA = dY b^T and dB = a^T dY, each operand brought to its layout by one transpose
 * (a transposed operand's layout is a single permutation of the saved one).
 */
const bmmDepthwiseGrad = tf.customGrad((a, b, save) => {
  (save as tf.GradSaveFunc)([a as tf.Tensor3D, b as tf.Tensor3D]);
  return {
    value: depthwiseProduct(tf.transpose(a as tf.Tensor3D, [1, 2, 0]), tf.transpose(b as tf.Tensor3D, [1, 0, 2])),
    gradFunc: (dy, saved) => {
      const [sa, sb] = saved as [tf.Tensor3D, tf.Tensor3D];
      const g = dy as tf.Tensor3D;
      return [
        depthwiseProduct(tf.transpose(g, [1, 2, 0]), tf.transpose(sb, [2, 0, 1])),
        depthwiseProduct(tf.transpose(sa, [2, 1, 0]), tf.transpose(g, [1, 0, 2])),
      ];
    },
  };
}) as (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Tensor3D;

/**
 * `product(a, b)` with the gradient dA = product(dY, flip(b)), dB = product(flip(a), dY),
 * where `flip` transposes the last two axes explicitly (no transposed-matmul flags).
 */
function explicitGrad<T extends tf.Tensor>(product: (a: T, b: T) => T, flip: (t: T) => T): (a: T, b: T) => T {
  return tf.customGrad((a, b, save) => {
    (save as tf.GradSaveFunc)([a as T, b as T]);
    return {
      value: product(a as T, b as T),
      gradFunc: (dy, saved) => {
        const [sa, sb] = saved as [T, T];
        return [product(dy as T, flip(sb)), product(flip(sa), dy as T)];
      },
    };
  }) as (a: T, b: T) => T;
}

const denseCustom = explicitGrad<tf.Tensor2D>((a, b) => tf.matMul(a, b), (t) => tf.transpose(t));
function flip3(t: tf.Tensor3D): tf.Tensor3D {
  return tf.transpose(t, [0, 2, 1]);
}
const bmmCustom = explicitGrad<tf.Tensor3D>((a, b) => tf.matMul(a, b), flip3);

/** One-hot rows of `ids` [n] (int32) as float32 [n, depth]. */
export function oneHotFloat(ids: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(ids, depth), 'float32') as tf.Tensor2D;
}

/** RMSNorm (Zhang and Sennrich 2019), LLaMA's normalisation. x [n, d]. */
/**
 * The mean over the last axis of x [n, d], kept as [n, 1], with its gradient dy / d
 * broadcast to [n, d]. tfjs's own gradient of `mean` multiplies dy by a tensor of ones
 * made on the host (`ones`), which a GPU backend uploads at every step (one [n, d] per
 * norm layer); here the ones come from the `onesLike` kernel, made where the backend
 * keeps its tensors: the same arithmetic, so the same values on every backend.
 * (`broadcastTo` instead measured 9% slower per step on wasm.)
 */
const meanLastCustom = tf.customGrad((x, save) => {
  (save as tf.GradSaveFunc)([x as tf.Tensor]);
  return {
    value: tf.mean(x as tf.Tensor, -1, true),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const input = saved[0]!;
      return tf.div(tf.mul(dy as tf.Tensor, tf.onesLike(input)), input.shape[input.rank - 1]!);
    },
  };
}) as (x: tf.Tensor2D) => tf.Tensor2D;

/** Whether the norms' and the loss's reductions take {@link meanLastCustom}'s gradient: on webgpu only, where it saves the uploads (on wasm, interleaved over 6 steps, it measured x0.98 against tfjs's own gradient). */
function onDeviceReduceGrad(): boolean {
  return fastPaths.reduceGrad && tf.getBackend() === 'webgpu';
}

/** The sum over the last axis of x [n, d], as [n], with its gradient dy broadcast to [n, d] (see `meanLastCustom`). */
const sumLastCustom = tf.customGrad((x, save) => {
  (save as tf.GradSaveFunc)([x as tf.Tensor]);
  return {
    value: tf.sum(x as tf.Tensor, -1),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const input = saved[0]!;
      return tf.mul(tf.expandDims(dy as tf.Tensor, -1), tf.onesLike(input));
    },
  };
}) as (x: tf.Tensor2D) => tf.Tensor1D;

/** Sum over the last axis of x [n, d] (the loss's per-row sum; see `fastPaths.reduceGrad`). */
export function sumLast(x: tf.Tensor2D): tf.Tensor1D {
  return onDeviceReduceGrad() ? sumLastCustom(x) : (tf.sum(x, -1) as tf.Tensor1D);
}

function meanLast(x: tf.Tensor2D): tf.Tensor2D {
  return onDeviceReduceGrad() ? meanLastCustom(x) : (tf.mean(x, -1, true) as tf.Tensor2D);
}

export function rmsNorm(x: tf.Tensor2D, weight: tf.Tensor, eps: number): tf.Tensor2D {
  if (useFusedOps()) return fused.rmsNorm(eps)(x, weight);
  const ms = meanLast(tf.square(x));
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, eps))), weight) as tf.Tensor2D;
}

/** x [n, d] plus `bias` [d] on every row (GPT-NeoX's projections). */
export function addBias(x: tf.Tensor2D, bias: tf.Tensor): tf.Tensor2D {
  return useFusedOps() ? fused.addBias(x, bias) : (tf.add(x, bias) as tf.Tensor2D);
}

/** LayerNorm with gain and bias, GPT-NeoX's normalisation. x [n, d]. */
export function layerNorm(x: tf.Tensor2D, weight: tf.Tensor, bias: tf.Tensor, eps: number): tf.Tensor2D {
  if (useFusedOps()) return fused.layerNorm(eps)(x, weight, bias);
  const mean = meanLast(x);
  const centered = tf.sub(x, mean);
  const variance = meanLast(tf.square(centered) as tf.Tensor2D);
  return tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, eps))), weight), bias) as tf.Tensor2D;
}

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/**
 * GELU, tanh approximation (Hendrycks and Gimpel 2016): 0.5 x (1 + tanh(z)) with
 * z = c (x + a x^3), computed as x sigmoid(2z) (the same function), with its derivative
 * written out: s + x s (1 - s) 2c (1 + 3a x^2) for s = sigmoid(2z). Fewer elementwise
 * ops than automatic differentiation of the formula (the op forward and backward in about 0.55 of the time on wasm).
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  if (useFusedOps()) return fused.gelu(x);
  return fastPaths.geluGrad ? geluCustom(x) : geluAutodiff(x);
}

function geluAutodiff(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.square(x), x), GELU_A)), GELU_C);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

const geluCustom = tf.customGrad((input, save) => {
  const x = input as tf.Tensor;
  const x2 = tf.square(x);
  const s = tf.sigmoid(tf.mul(x, tf.add(tf.mul(x2, 2 * GELU_C * GELU_A), 2 * GELU_C)));
  (save as tf.GradSaveFunc)([x, s]);
  return {
    value: tf.mul(x, s),
    gradFunc: (dy, [x0, s0]) => {
      const dz = tf.add(tf.mul(tf.square(x0!), 6 * GELU_C * GELU_A), 2 * GELU_C);
      return tf.mul(dy as tf.Tensor, tf.add(s0!, tf.mul(tf.mul(x0!, tf.mul(s0!, tf.sub(1, s0!))), dz)));
    },
  };
}) as (x: tf.Tensor) => tf.Tensor;

/** SiLU / swish, the gate of SwiGLU. */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(x));
}

/** LLaMA's gated unit silu(gate) * up (on webgpu the model takes ./fused.ts's, on gate and up side by side). */
export function swiglu(gate: tf.Tensor2D, up: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(silu(gate), up) as tf.Tensor2D;
}

/**
 * Rotary tables for head size `headDim`, `nHeads` heads, rotating the first `rotDim`
 * dims of each head (GPT-NeoX "rotate half" layout). Returns cos/sin values for the
 * given positions, laid out [positions.length, nHeads * headDim] (pass dims: cos 1,
 * sin 0), and the [d, d] signed permutation R with (x R)[i] = -x[i+h] or x[i-h].
 */
export class Rotary {
  readonly d: number;
  private readonly invFreq: number[];
  constructor(
    readonly nHeads: number,
    readonly headDim: number,
    readonly rotDim: number,
    base: number,
  ) {
    this.d = nHeads * headDim;
    const half = rotDim / 2;
    this.invFreq = Array.from({ length: half }, (_, i) => 1 / base ** ((2 * i) / rotDim));
  }

  static forConfig(cfg: { dModel: number; nHeads: number; rotaryFraction: number; ropeBase: number }): Rotary {
    const hd = cfg.dModel / cfg.nHeads;
    const rot = Math.max(2, Math.round((hd * cfg.rotaryFraction) / 2) * 2);
    return new Rotary(cfg.nHeads, hd, rot, cfg.ropeBase);
  }

  /** cos and sin as Float32Arrays of length positions.length * d. */
  tables(positions: ArrayLike<number>): { cos: Float32Array; sin: Float32Array } {
    const { d, headDim, rotDim } = this;
    const half = rotDim / 2;
    const cos = new Float32Array(positions.length * d).fill(1);
    const sin = new Float32Array(positions.length * d);
    for (let t = 0; t < positions.length; t++) {
      const pos = positions[t]!;
      for (let i = 0; i < half; i++) {
        const angle = pos * this.invFreq[i]!;
        const c = Math.cos(angle);
        const s = Math.sin(angle);
        for (let h = 0; h < this.nHeads; h++) {
          const o = t * d + h * headDim;
          cos[o + i] = c;
          cos[o + i + half] = c;
          sin[o + i] = s;
          sin[o + i + half] = s;
        }
      }
    }
    return { cos, sin };
  }

  /** The [d, d] matrix R: rotate_half per head, zero on pass-through dims. */
  permutation(): Float32Array {
    const { d, headDim, rotDim } = this;
    const half = rotDim / 2;
    const r = new Float32Array(d * d);
    for (let h = 0; h < this.nHeads; h++) {
      for (let i = 0; i < half; i++) {
        const a = h * headDim + i;
        const b = a + half;
        // out[a] = -x[b]; out[b] = x[a]   (column = output index)
        r[b * d + a] = -1;
        r[a * d + b] = 1;
      }
    }
    return r;
  }
}

/**
 * x [b*t, d] rotated: x*cos + rotate(x)*sin (rotate = x R), with cos/sin [t, d] (shared by all rows) or
 * [b, t, d] (per-row positions, for decoding). On webgpu one kernel each way, which
 * reads the rotation from `rotary`'s head layout instead of multiplying by R.
 */
export function applyRotary(x: tf.Tensor2D, cos: tf.Tensor, sin: tf.Tensor, rotate: (x: tf.Tensor2D) => tf.Tensor2D, b: number, t: number, rotary: Rotary): tf.Tensor2D {
  const d = x.shape[1];
  if (useFusedOps()) return fused.rotary(x, cos, sin, rotary, d);
  const x3 = tf.reshape(x, [b, t, d]);
  const r3 = tf.reshape(rotate(x), [b, t, d]);
  return tf.reshape(tf.add(tf.mul(x3, cos), tf.mul(r3, sin)), [b * t, d]) as tf.Tensor2D;
}
