/**
 * Elementwise steps of the blocks as WGSL kernels, one dispatch each way: SwiGLU's
 * product (LLaMA), GELU (GPT-NeoX), and the rotary position embedding of queries and keys.
 */

import { tf } from '../index';
import { f32, flatProgram, i32, run } from './program';

/**
 * SwiGLU's product silu(gate) up, from gate and up side by side in gu [n, 2f] (as one
 * projection gives them), as [n, f].
 */
export function swiglu(gu: tf.Tensor2D): tf.Tensor2D {
  const [n, f2] = gu.shape;
  const f = f2 / 2;
  const program = flatProgram('xalignSwiglu', n * f, ['GU'], 'f : i32,', `
          let f = uniforms.f;
          let at = (index / f) * 2 * f + index % f;
          let g = GU[at];
          result[index] = g / (1.0 + exp(-g)) * GU[at + f];`);
  return tf.reshape(run(program, [gu], [i32(f)]), [n, f]) as tf.Tensor2D;
}

/**
 * The gradient of {@link swiglu} for gu [n, 2f], from dy [n, f]: for the gate,
 * dy up (s + g s (1 - s)) with s the sigmoid of g; for up, dy silu(g).
 */
export function swigluGrad(gu: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
  const f = gu.shape[1] / 2;
  const program = flatProgram('xalignSwigluGrad', gu.size, ['GU', 'DY'], 'f : i32,', `
          let f = uniforms.f;
          let row = index / (2 * f);
          let c = index % (2 * f);
          let gate = c < f;
          let at = row * 2 * f + select(c - f, c, gate);
          let g = GU[at];
          let s = 1.0 / (1.0 + exp(-g));
          let dy = DY[row * f + select(c - f, c, gate)];
          if (gate) {
            result[index] = dy * GU[at + f] * (s + g * s * (1.0 - s));
          } else {
            result[index] = dy * g / (1.0 + exp(-g));
          }`);
  return tf.reshape(run(program, [gu, dy], [i32(f)]), gu.shape) as tf.Tensor2D;
}

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/**
 * GELU's tanh approximation, as x sigmoid(2z) with z = c (x + a x^3) (the same function),
 * or with `dy` its gradient for x: dy (s + x s (1 - s) 2c (1 + 3a x^2)), s = sigmoid(2z).
 */
export function gelu(x: tf.Tensor, dy?: tf.Tensor): tf.Tensor {
  const s = `let x = X[index];
          let s = 1.0 / (1.0 + exp(-x * (x * x * uniforms.c2a + uniforms.c2)));`;
  const program = dy
    ? flatProgram('xalignGeluGrad', x.size, ['X', 'DY'], 'c2a : f32, c2 : f32, c6a : f32,', `
          ${s}
          result[index] = DY[index] * (s + x * s * (1.0 - s) * (x * x * uniforms.c6a + uniforms.c2));`)
    : flatProgram('xalignGelu', x.size, ['X'], 'c2a : f32, c2 : f32, c6a : f32,', `
          ${s}
          result[index] = x * s;`);
  const out = run(program, dy ? [x, dy] : [x], [f32(2 * GELU_C * GELU_A), f32(2 * GELU_C), f32(6 * GELU_C * GELU_A)]);
  return tf.reshape(out, x.shape);
}

/** Where the rotated dimensions are in a row of `nHeads * headDim` values: the first `rotDim` of each head, in halves. */
export interface RotaryLayout {
  headDim: number;
  rotDim: number;
}

/**
 * Rotary position embedding ("rotate half" per head) of the first `rotated` columns of
 * x [rows, w], each block of d = nHeads * headDim columns rotated alike (q and k of a
 * qkv [rows, 3d] with `rotated` 2d), the other columns copied: x cos + rot(x) sin,
 * rot(x) = -x[a + half] at a < half, x[a - half] at half <= a < rotDim, 0 beyond (a the
 * position in the head). The tables cos and sin hold [k, d] values, row i of x taking
 * table row i mod k (k = t for positions shared by every sequence, rows for positions of
 * their own). With `backward`, the transposed map from dy = x: dy cos + rot'(dy),
 * rot'(dy)[a] = dy[a + half] sin[a + half], rot'(dy)[a + half] = -dy[a] sin[a]: the
 * gradient for x.
 */
export function rotary(x: tf.Tensor2D, cos: tf.Tensor, sin: tf.Tensor, layout: RotaryLayout, rotated: number, backward = false): tf.Tensor2D {
  const d = cos.shape[cos.rank - 1]!;
  if (rotated % d !== 0 || rotated > x.shape[1]) throw new Error(`rotary: ${rotated} rotated columns of ${x.shape[1]}, not whole blocks of the tables' ${d}`);
  const partner = backward
    ? `if (a < half) {
              p = X[index + half] * SIN[tb + cd + half];
            } else if (a < uniforms.rot) {
              p = -X[index - half] * SIN[tb + cd - half];
            }`
    : `if (a < half) {
              p = -X[index + half] * SIN[tb + cd];
            } else if (a < uniforms.rot) {
              p = X[index - half] * SIN[tb + cd];
            }`;
  const program = flatProgram(backward ? 'xalignRotaryGrad' : 'xalignRotary', x.size, ['X', 'COS', 'SIN'], 'w : i32, rotated : i32, d : i32, hd : i32, rot : i32, tableRows : i32,', `
          let c = index % uniforms.w;
          if (c >= uniforms.rotated) {
            result[index] = X[index];
          } else {
            let cd = c % uniforms.d;
            let a = cd % uniforms.hd;
            let half = uniforms.rot / 2;
            let tb = ((index / uniforms.w) % uniforms.tableRows) * uniforms.d;
            var p = 0.0;
            ${partner}
            result[index] = X[index] * COS[tb + cd] + p;
          }`);
  const out = run(program, [x, cos, sin], [i32(x.shape[1]), i32(rotated), i32(d), i32(layout.headDim), i32(layout.rotDim), i32(cos.size / d)]);
  return tf.reshape(out, x.shape) as tf.Tensor2D;
}
