/**
 * AdamW's update and the global gradient norm as WGSL kernels: two dispatches a
 * parameter for the update ({@link adamMoments}, {@link adamParam}) and one per six
 * parameters for the norm ({@link addSumOfSquares}), where tfjs's ops take about 18 a
 * parameter.
 */

import type { tf } from '../index';
import { f32, flatProgram, i32, type Program, run, workgroupSum } from './program';

/**
 * AdamW's moments of one parameter of `n` values: `mv` [2n] holds m then v, `g` [n] the
 * gradient, `scale` [1] the clipping factor the gradient is multiplied by first. Returns
 * the new [2n]: m' = beta1 m + (1 - beta1) g s, v' = beta2 v + (1 - beta2) (g s)^2.
 */
export function adamMoments(mv: tf.Tensor, g: tf.Tensor, scale: tf.Tensor, beta1: number, beta2: number): tf.Tensor {
  const n = g.size;
  if (mv.size !== 2 * n) throw new Error(`adamMoments: moments hold ${mv.size} values, expected 2 x ${n}`);
  const program = flatProgram('xalignAdamMoments', 2 * n, ['MV', 'G', 'S'], 'beta1 : f32, oneMinusBeta1 : f32, beta2 : f32, oneMinusBeta2 : f32, n : i32,', `
          let first = index < uniforms.n;
          let gs = G[select(index - uniforms.n, index, first)] * S[0];
          if (first) {
            result[index] = MV[index] * uniforms.beta1 + gs * uniforms.oneMinusBeta1;
          } else {
            result[index] = MV[index] * uniforms.beta2 + (gs * gs) * uniforms.oneMinusBeta2;
          }`);
  return run(program, [mv, g, scale], [f32(beta1), f32(1 - beta1), f32(beta2), f32(1 - beta2), i32(n)]);
}

/**
 * The parameter `p` [n] after AdamW's update from the new moments `mv` [2n]:
 * p - (m' lrOverBc1 / (sqrt(v' / bc2) + eps) + p decay).
 */
export function adamParam(p: tf.Tensor, mv: tf.Tensor, o: { lrOverBc1: number; bc2: number; eps: number; decay: number }): tf.Tensor {
  const n = p.size;
  const program = flatProgram('xalignAdamParam', n, ['P', 'MV'], 'lrOverBc1 : f32, bc2 : f32, eps : f32, decay : f32, n : i32,', `
          let w = P[index];
          let update = (MV[index] * uniforms.lrOverBc1) / (sqrt(MV[index + uniforms.n] / uniforms.bc2) + uniforms.eps);
          result[index] = w - (update + w * uniforms.decay);`);
  return run(program, [p, mv], [f32(o.lrOverBc1), f32(o.bc2), f32(o.eps), f32(o.decay), i32(n)]);
}

const REDUCE = 256;

/** The most tensors {@link addSumOfSquares} takes at once: with the running sum and the output, eight storage buffers, WebGPU's least guaranteed per kernel. */
export const SUM_OF_SQUARES_GROUP = 6;

/**
 * `acc` [1] (or 0 when null) plus the sum of the squares of the values of every tensor
 * in `xs` (at most {@link SUM_OF_SQUARES_GROUP}), as [1]: one workgroup strides over
 * each in turn, then a tree in shared memory. The global gradient norm takes one
 * dispatch per six parameters.
 */
export function addSumOfSquares(acc: tf.Tensor | null, xs: tf.Tensor[]): tf.Tensor {
  if (xs.length < 1 || xs.length > SUM_OF_SQUARES_GROUP) throw new Error(`addSumOfSquares: ${xs.length} tensors, expected 1 to ${SUM_OF_SQUARES_GROUP}`);
  const names = xs.map((_, k) => `X${k}`);
  const loops = names.map((x, k) => `
        for (var i = lane; i < uniforms.n${k}; i = i + ${REDUCE}) {
          let v = ${x}[i];
          s = s + v * v;
        }`).join('');
  const program: Program = {
    outputShape: [1],
    shaderKey: `xalignAddSumOfSquares${acc ? 'Acc' : ''}${xs.length}`,
    dispatchLayout: { x: [0] },
    dispatch: [1, 1, 1],
    variableNames: acc ? ['Acc', ...names] : names,
    workgroupSize: [REDUCE, 1, 1],
    uniforms: names.map((_, k) => `n${k} : i32,`).join(' '),
    getUserCode: () => `
      ${workgroupSum(REDUCE)}
      fn main(index : i32) {
        let lane = i32(localIndex);
        var s = 0.0;${loops}
        let total = workgroupSum(s, lane);
        if (lane == 0) {
          result[0] = ${acc ? 'Acc[0] + ' : ''}total;
        }
      }`,
  };
  return run(program, acc ? [acc, ...xs] : xs, xs.map((x) => i32(x.size)));
}
