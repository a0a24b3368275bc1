/**
 * RMSNorm (LLaMA) and LayerNorm (GPT-NeoX) as WGSL kernels over x [n, d]: one dispatch
 * forward (a workgroup a row); backward, one for the rows' statistics, one for dx and
 * one for each of the gain and the bias (a workgroup a column). tfjs's ops take about
 * 26 (RMSNorm) and 30 (LayerNorm).
 */

import type { tf } from '../index';
import { columnProgram, f32, ROW, rowProgram, rowUniforms, run } from './program';

/** WGSL for a row program over X: `r`, the row's 1 / sqrt(mean(x^2) + eps). */
const RMS_SCALE = `
        var s = 0.0;
        for (var j = lane; j < d; j = j + ${ROW}) {
          let v = X[base + j];
          s = s + v * v;
        }
        let r = inverseSqrt(workgroupSum(s, lane) / f32(d) + uniforms.eps);`;

/** RMSNorm of x [n, d] with gain w [d]: x r w per row, r = 1 / sqrt(mean(x^2) + eps). */
export function rmsNormForward(x: tf.Tensor2D, w: tf.Tensor, eps: number): tf.Tensor2D {
  const program = rowProgram('xalignRmsNorm', [...x.shape], x.shape[0], ['X', 'W'], 'eps : f32,', `
        ${RMS_SCALE}
        if (live) {
          for (var j = lane; j < d; j = j + ${ROW}) {
            result[base + j] = X[base + j] * r * W[j];
          }
        }`);
  return run(program, [x, w], [...rowUniforms(x), f32(eps)]) as tf.Tensor2D;
}

/** 1 / sqrt(mean(x^2) + eps) per row of x [n, d], as [n]. */
export function rmsNormScale(x: tf.Tensor2D, eps: number): tf.Tensor1D {
  const program = rowProgram('xalignRmsScale', [x.shape[0]], x.shape[0], ['X'], 'eps : f32,', `
        ${RMS_SCALE}
        if (live && lane == 0) {
          result[row] = r;
        }`);
  return run(program, [x], [...rowUniforms(x), f32(eps)]) as tf.Tensor1D;
}

/** The gradient of {@link rmsNormForward} for x, from dy [n, d] and the rows' scales r [n]: r w dy - x r^3 (sum of dy w x) / d. */
export function rmsNormGradX(x: tf.Tensor2D, w: tf.Tensor, dy: tf.Tensor2D, r: tf.Tensor1D): tf.Tensor2D {
  const program = rowProgram('xalignRmsNormGradX', [...x.shape], x.shape[0], ['X', 'W', 'DY', 'R'], '', `
        var s = 0.0;
        for (var j = lane; j < d; j = j + ${ROW}) {
          s = s + DY[base + j] * W[j] * X[base + j];
        }
        let dot = workgroupSum(s, lane);
        let rr = R[row];
        let c = rr * rr * rr * dot / f32(d);
        if (live) {
          for (var j = lane; j < d; j = j + ${ROW}) {
            result[base + j] = rr * W[j] * DY[base + j] - X[base + j] * c;
          }
        }`);
  return run(program, [x, w, dy, r], rowUniforms(x)) as tf.Tensor2D;
}

/** The gradient of {@link rmsNormForward} for w [d]: the sum over rows of dy x r. */
export function rmsNormGradW(x: tf.Tensor2D, dy: tf.Tensor2D, r: tf.Tensor1D): tf.Tensor1D {
  const program = columnProgram('xalignRmsNormGradW', x.shape[1], ['X', 'DY', 'R'], `
        var s = 0.0;
        for (var i = lane; i < n; i = i + ${ROW}) {
          s = s + DY[i * d + col] * X[i * d + col] * R[i];
        }
        let total = workgroupSum(s, lane);
        if (live && lane == 0) {
          result[col] = total;
        }`);
  return run(program, [x, dy, r], rowUniforms(x)) as tf.Tensor1D;
}

/** WGSL for a row program over X: the row's `mean` and `r` = 1 / sqrt(variance + eps). */
const LAYER_STATS = `
        var s = 0.0;
        for (var j = lane; j < d; j = j + ${ROW}) {
          s = s + X[base + j];
        }
        let mean = workgroupSum(s, lane) / f32(d);
        var q = 0.0;
        for (var j = lane; j < d; j = j + ${ROW}) {
          let c = X[base + j] - mean;
          q = q + c * c;
        }
        let r = inverseSqrt(workgroupSum(q, lane) / f32(d) + uniforms.eps);`;

/** LayerNorm of x [n, d] with gain w and bias b [d]: (x - mean) r w + b per row, r = 1 / sqrt(variance + eps). */
export function layerNormForward(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor, eps: number): tf.Tensor2D {
  const program = rowProgram('xalignLayerNorm', [...x.shape], x.shape[0], ['X', 'W', 'B'], 'eps : f32,', `
        ${LAYER_STATS}
        if (live) {
          for (var j = lane; j < d; j = j + ${ROW}) {
            result[base + j] = (X[base + j] - mean) * r * W[j] + B[j];
          }
        }`);
  return run(program, [x, w, b], [...rowUniforms(x), f32(eps)]) as tf.Tensor2D;
}

/** Each row's mean and r (as in {@link layerNormForward}) of x [n, d], as [n, 2]. */
export function layerNormStats(x: tf.Tensor2D, eps: number): tf.Tensor2D {
  const program = rowProgram('xalignLayerNormStats', [x.shape[0], 2], x.shape[0], ['X'], 'eps : f32,', `
        ${LAYER_STATS}
        if (live && lane == 0) {
          result[2 * row] = mean;
          result[2 * row + 1] = r;
        }`);
  return run(program, [x], [...rowUniforms(x), f32(eps)]) as tf.Tensor2D;
}

/**
 * The gradient of {@link layerNormForward} for x, from dy [n, d] and the rows' statistics
 * [n, 2]: with h = (x - mean) r and g = dy w, r (g - mean(g) - h mean(g h)).
 */
export function layerNormGradX(x: tf.Tensor2D, w: tf.Tensor, dy: tf.Tensor2D, stats: tf.Tensor2D): tf.Tensor2D {
  const program = rowProgram('xalignLayerNormGradX', [...x.shape], x.shape[0], ['X', 'W', 'DY', 'ST'], '', `
        let mean = ST[2 * row];
        let r = ST[2 * row + 1];
        var sg = 0.0;
        var sgh = 0.0;
        for (var j = lane; j < d; j = j + ${ROW}) {
          let g = DY[base + j] * W[j];
          sg = sg + g;
          sgh = sgh + g * (X[base + j] - mean) * r;
        }
        let mg = workgroupSum(sg, lane) / f32(d);
        let mgh = workgroupSum(sgh, lane) / f32(d);
        if (live) {
          for (var j = lane; j < d; j = j + ${ROW}) {
            let h = (X[base + j] - mean) * r;
            result[base + j] = r * (DY[base + j] * W[j] - mg - h * mgh);
          }
        }`);
  return run(program, [x, w, dy, stats], rowUniforms(x)) as tf.Tensor2D;
}

/** The gradient of {@link layerNormForward} for its gain: the sum over rows of dy (x - mean) r, as [d]. */
export function layerNormGradW(x: tf.Tensor2D, dy: tf.Tensor2D, stats: tf.Tensor2D): tf.Tensor1D {
  const program = columnProgram('xalignLayerNormGradW', x.shape[1], ['X', 'DY', 'ST'], `
        var s = 0.0;
        for (var i = lane; i < n; i = i + ${ROW}) {
          s = s + DY[i * d + col] * (X[i * d + col] - ST[2 * i]) * ST[2 * i + 1];
        }
        let total = workgroupSum(s, lane);
        if (live && lane == 0) {
          result[col] = total;
        }`);
  return run(program, [x, dy, stats], rowUniforms(x)) as tf.Tensor1D;
}

/** The sum over the rows of dy [n, d], as [d]: the gradient of a bias added to every row (LayerNorm's, a projection's). */
export function columnSum(dy: tf.Tensor2D): tf.Tensor1D {
  const program = columnProgram('xalignColumnSum', dy.shape[1], ['DY'], `
        var s = 0.0;
        for (var i = lane; i < n; i = i + ${ROW}) {
          s = s + DY[i * d + col];
        }
        let total = workgroupSum(s, lane);
        if (live && lane == 0) {
          result[col] = total;
        }`);
  return run(program, [dy], rowUniforms(dy)) as tf.Tensor1D;
}
