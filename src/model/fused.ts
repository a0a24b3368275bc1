/**
 * The model's ops on the webgpu backend's WGSL kernels (src/backend/webgpu), each with
 * its gradient written out in the kernels too: RMSNorm, LayerNorm, a bias's add, SwiGLU,
 * GELU, the rotary embedding and causal attention. src/model/ops.ts and the model call them on webgpu when
 * `fastPaths.fusedOps` is on; they compute the same function as the tfjs ops there.
 * Synchronous tensor math, like ops.ts: call them inside `tf.tidy`.
 */

import { tf } from '../backend';
import * as gpu from '../backend/webgpu';

/** One function per epsilon, made once: tf.customGrad wraps a function of tensors only. */
function byEps<F>(make: (eps: number) => F): (eps: number) => F {
  const made = new Map<number, F>();
  return (eps) => {
    let f = made.get(eps);
    if (!f) made.set(eps, (f = make(eps)));
    return f;
  };
}

/** RMSNorm of x [n, d] with gain w: one dispatch forward, three backward (the rows' scales, dx, dw). */
export const rmsNorm = byEps((eps) =>
  tf.customGrad((x, w, save) => {
    (save as tf.GradSaveFunc)([x as tf.Tensor2D, w as tf.Tensor]);
    return {
      value: gpu.rmsNormForward(x as tf.Tensor2D, w as tf.Tensor, eps),
      gradFunc: (dy, saved) => {
        const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor];
        const r = gpu.rmsNormScale(sx, eps);
        return [gpu.rmsNormGradX(sx, sw, dy as tf.Tensor2D, r), gpu.rmsNormGradW(sx, dy as tf.Tensor2D, r)];
      },
    };
  }) as (x: tf.Tensor2D, w: tf.Tensor) => tf.Tensor2D,
);

/** LayerNorm of x [n, d] with gain w and bias b: one dispatch forward, four backward (the rows' statistics, dx, dw, db). */
export const layerNorm = byEps((eps) =>
  tf.customGrad((x, w, b, save) => {
    (save as tf.GradSaveFunc)([x as tf.Tensor2D, w as tf.Tensor]);
    return {
      value: gpu.layerNormForward(x as tf.Tensor2D, w as tf.Tensor, b as tf.Tensor, eps),
      gradFunc: (dy, saved) => {
        const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor];
        const g = dy as tf.Tensor2D;
        const stats = gpu.layerNormStats(sx, eps);
        return [gpu.layerNormGradX(sx, sw, g, stats), gpu.layerNormGradW(sx, g, stats), gpu.columnSum(g)];
      },
    };
  }) as (x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor) => tf.Tensor2D,
);

/** x [n, d] plus a bias [d] on every row; the bias's gradient is one column-sum kernel (tfjs's: a transpose and a sum). */
export const addBias = tf.customGrad((x, b) => ({
  value: tf.add(x as tf.Tensor2D, b as tf.Tensor1D),
  gradFunc: (dy) => [dy as tf.Tensor2D, gpu.columnSum(dy as tf.Tensor2D)],
})) as (x: tf.Tensor2D, b: tf.Tensor) => tf.Tensor2D;

/** SwiGLU's silu(gate) up, from gate and up side by side in gu [n, 2f] (one projection's output): one dispatch each way. */
export const swiglu = tf.customGrad((gu, save) => {
  (save as tf.GradSaveFunc)([gu as tf.Tensor2D]);
  return {
    value: gpu.swiglu(gu as tf.Tensor2D),
    gradFunc: (dy, [g]) => gpu.swigluGrad(g as tf.Tensor2D, dy as tf.Tensor2D),
  };
}) as (gu: tf.Tensor2D) => tf.Tensor2D;

/** GELU (tanh approximation): one dispatch each way. */
export const gelu = tf.customGrad((x, save) => {
  (save as tf.GradSaveFunc)([x as tf.Tensor]);
  return { value: gpu.gelu(x as tf.Tensor), gradFunc: (dy, [x0]) => gpu.gelu(x0!, dy as tf.Tensor) };
}) as (x: tf.Tensor) => tf.Tensor;

/**
 * The rotary embedding of the first `rotated` columns of x [rows, w] (all of a q or k
 * [rows, d]; q and k of a qkv [rows, 3d] with 2d), with the constant tables cos and sin
 * ([t, d] or [rows, d]): one dispatch each way.
 */
export function rotary(x: tf.Tensor2D, cos: tf.Tensor, sin: tf.Tensor, layout: gpu.RotaryLayout, rotated: number): tf.Tensor2D {
  const f = tf.customGrad((input, save) => {
    // the tables are saved for the gradient: a caller's tidy may dispose them before it runs
    (save as tf.GradSaveFunc)([cos, sin]);
    return {
      value: gpu.rotary(input as tf.Tensor2D, cos, sin, layout, rotated),
      gradFunc: (dy, [c, s]) => gpu.rotary(dy as tf.Tensor2D, c!, s!, layout, rotated, true),
    };
  }) as (x: tf.Tensor2D) => tf.Tensor2D;
  return f(x);
}

/**
 * Causal attention over qkv [b * t, 3d] (q, k and v side by side, heads side by side in
 * each) with the constant additive `bias` ([t, t] or [b, t, t] values): the output
 * [b * t, d], heads side by side. One dispatch forward, two backward.
 */
export function attention(qkv: tf.Tensor2D, bias: tf.Tensor, shape: gpu.AttentionShape): tf.Tensor2D {
  const f = tf.customGrad((x, save) => {
    const o = gpu.attentionForward(x as tf.Tensor2D, bias, shape);
    // the bias too: a caller's tidy may dispose it (the packing's mask) before the gradient runs
    (save as tf.GradSaveFunc)([x as tf.Tensor2D, o, bias]);
    return {
      value: o,
      gradFunc: (dy, saved) => {
        const [x0, o0, b0] = saved as tf.Tensor2D[];
        const stats = gpu.attentionStats(x0!, o0!, dy as tf.Tensor2D, b0!, shape);
        return gpu.attentionGrad(x0!, dy as tf.Tensor2D, stats, b0!, shape);
      },
    };
  }) as (qkv: tf.Tensor2D) => tf.Tensor2D;
  return f(qkv);
}
