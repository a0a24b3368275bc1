/**
 * Hand-written WGSL kernels for the training step on the webgpu backend, each doing in
 * one dispatch what tfjs's op-by-op graph does in several (docs/speed.md: per-op
 * dispatch is what keeps a small model far from PyTorch on a GPU):
 * - {@link adamMoments}: both AdamW moments of one parameter, from its gradient and the
 *   clipping scale, into one packed [2, n] tensor (m then v);
 * - {@link adamParam}: the parameter after the AdamW update read from those moments;
 * - {@link addSumOfSquares}: a running sum plus the sum of squares of one tensor (the
 *   global gradient norm, one dispatch a parameter);
 * - RMSNorm: {@link rmsNormForward} (one workgroup a row), and for its gradient
 *   {@link rmsNormScale}, {@link rmsNormGradX} and {@link rmsNormGradW};
 * - SwiGLU's product {@link swiglu} and its two gradients ({@link swigluGrad}).
 * src/model/ops.ts and src/train/optim.ts use them on webgpu (`fastPaths.fusedOps`,
 * `fastPaths.fusedAdamW`): a training step of the reference model dispatches about half
 * the kernels it did (docs/speed.md).
 * They run through tfjs-backend-webgpu's own `runWebGPUProgram` (its buffers, pipeline
 * cache and command queue), so their outputs are ordinary tensors. They compute what
 * the tfjs ops compute, in float32, in the same order per element; a GPU may round
 * `sqrt` and division differently in the last bit, so results agree with the cpu
 * backend to about 1e-7 relative, not bit for bit (tested on lavapipe).
 */

import { tf } from './index';

/** The fields of tfjs-backend-webgpu's program interface these kernels use. */
interface Program {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number];
  size?: boolean;
  uniforms?: string;
  getUserCode: () => string;
}

type Uniform = { type: 'float32' | 'int32'; data: number[] };

interface WebGpuBackendLike {
  runWebGPUProgram(program: Program, inputs: tf.TensorInfo[], dtype: 'float32', uniforms?: Uniform[]): tf.TensorInfo;
}

const WORKGROUP = 64;

/** A 1-D program over `n` outputs, one thread each, `size` checked in the shader. */
function flatProgram(key: string, n: number, variableNames: string[], uniforms: string, body: string): Program {
  return {
    outputShape: [n],
    shaderKey: key,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(n / WORKGROUP), 1, 1],
    variableNames,
    workgroupSize: [WORKGROUP, 1, 1],
    size: true,
    uniforms,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }`,
  };
}

function run(program: Program, inputs: tf.Tensor[], uniforms: Uniform[]): tf.Tensor {
  if (tf.getBackend() !== 'webgpu') throw new Error(`webgpu kernel ${program.shaderKey}: the active backend is ${tf.getBackend()}, not webgpu`);
  const info = (tf.backend() as unknown as WebGpuBackendLike).runWebGPUProgram(program, inputs, 'float32', uniforms);
  return tf.engine().makeTensorFromTensorInfo(info);
}

const f32 = (x: number): Uniform => ({ type: 'float32', data: [x] });

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
  return run(program, [mv, g, scale], [f32(beta1), f32(1 - beta1), f32(beta2), f32(1 - beta2), { type: 'int32', data: [n] }]);
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
  return run(program, [p, mv], [f32(o.lrOverBc1), f32(o.bc2), f32(o.eps), f32(o.decay), { type: 'int32', data: [n] }]);
}

const REDUCE = 256;

/**
 * WGSL of `workgroupSum(v, lane)`: the sum of `v` over the `size` threads of a workgroup
 * (a tree in shared memory), returned to every thread; every thread must call it.
 */
function workgroupSum(size: number): string {
  return `
      var<workgroup> red : array<f32, ${size}>;
      fn workgroupSum(v : f32, lane : i32) -> f32 {
        red[lane] = v;
        workgroupBarrier();
        for (var stride = ${size / 2}; stride > 0; stride = stride / 2) {
          if (lane < stride) {
            red[lane] = red[lane] + red[lane + stride];
          }
          workgroupBarrier();
        }
        let total = red[0];
        workgroupBarrier();
        return total;
      }`;
}

/** `acc` [1] plus the sum of the squares of `x`'s values, as [1]: one workgroup strides over x, then a tree in shared memory. */
export function addSumOfSquares(acc: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const program: Program = {
    outputShape: [1],
    shaderKey: 'xalignAddSumOfSquares',
    dispatchLayout: { x: [0] },
    dispatch: [1, 1, 1],
    variableNames: ['Acc', 'X'],
    workgroupSize: [REDUCE, 1, 1],
    uniforms: 'n : i32,',
    getUserCode: () => `
      ${workgroupSum(REDUCE)}
      fn main(index : i32) {
        let lane = i32(localIndex);
        var s = 0.0;
        for (var i = lane; i < uniforms.n; i = i + ${REDUCE}) {
          let v = X[i];
          s = s + v * v;
        }
        let total = workgroupSum(s, lane);
        if (lane == 0) {
          result[0] = Acc[0] + total;
        }
      }`,
  };
  return run(program, [acc, x], [{ type: 'int32', data: [x.size] }]);
}

const ROW = 64;

/**
 * A program with one workgroup of {@link ROW} threads per row of an [n, d] output: `body`
 * sees `row`, `lane` (0..ROW-1), `base` (the row's first index) and `d`, and reduces
 * with `workgroupSum(v, lane)` (every lane gets the row's total). Rows past n (a dispatch reshaped
 * by tfjs) read the last row and write nothing, so that every barrier is reached by
 * the whole workgroup.
 */
function rowProgram(key: string, shape: number[], rows: number, variableNames: string[], uniforms: string, body: string): Program {
  return {
    outputShape: shape,
    shaderKey: key,
    dispatchLayout: { x: shape.map((_, i) => i) },
    dispatch: [rows, 1, 1],
    variableNames,
    workgroupSize: [ROW, 1, 1],
    uniforms: `rows : i32, d : i32, ${uniforms}`,
    getUserCode: () => `
      ${workgroupSum(ROW)}
      fn main(index : i32) {
        let lane = index % ${ROW};
        let live = index / ${ROW} < uniforms.rows;
        let row = min(index / ${ROW}, uniforms.rows - 1);
        let d = uniforms.d;
        let base = row * d;
        ${body}
      }`,
  };
}

/** The uniforms a {@link rowProgram} over the rows of x [n, d] leads with: n and d. */
function rowUniforms(x: tf.Tensor2D): Uniform[] {
  return [{ type: 'int32', data: [x.shape[0]] }, { type: 'int32', data: [x.shape[1]] }];
}

/** WGSL for a {@link rowProgram} over X: `r`, the row's 1 / sqrt(mean(x^2) + eps). */
const ROW_SCALE = `
        var s = 0.0;
        for (var j = lane; j < d; j = j + ${ROW}) {
          let v = X[base + j];
          s = s + v * v;
        }
        let r = inverseSqrt(workgroupSum(s, lane) / f32(d) + uniforms.eps);`;

/** RMSNorm of x [n, d] with gain w [d]: x r w per row, r = 1 / sqrt(mean(x^2) + eps). One dispatch. */
export function rmsNormForward(x: tf.Tensor2D, w: tf.Tensor, eps: number): tf.Tensor2D {
  const program = rowProgram('xalignRmsNorm', [...x.shape], x.shape[0], ['X', 'W'], 'eps : f32,', `
        ${ROW_SCALE}
        if (live) {
          for (var j = lane; j < d; j = j + ${ROW}) {
            result[base + j] = X[base + j] * r * W[j];
          }
        }`);
  return run(program, [x, w], [...rowUniforms(x), f32(eps)]) as tf.Tensor2D;
}

/** 1 / sqrt(mean(x^2) + eps) per row of x [n, d], as [n]. One dispatch. */
export function rmsNormScale(x: tf.Tensor2D, eps: number): tf.Tensor1D {
  const program = rowProgram('xalignRmsScale', [x.shape[0]], x.shape[0], ['X'], 'eps : f32,', `
        ${ROW_SCALE}
        if (live && lane == 0) {
          result[row] = r;
        }`);
  return run(program, [x], [...rowUniforms(x), f32(eps)]) as tf.Tensor1D;
}

/** The gradient of {@link rmsNormForward} for x, from dy [n, d] and the rows' scales r [n]: r w dy - x r^3 (sum of dy w x) / d. One dispatch. */
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

/** The gradient of {@link rmsNormForward} for w [d]: the sum over rows of dy x r, one thread a column. One dispatch. */
export function rmsNormGradW(x: tf.Tensor2D, dy: tf.Tensor2D, r: tf.Tensor1D): tf.Tensor1D {
  const [n, d] = x.shape;
  const program = flatProgram('xalignRmsNormGradW', d, ['X', 'DY', 'R'], 'rows : i32, d : i32,', `
          var s = 0.0;
          for (var i = 0; i < uniforms.rows; i = i + 1) {
            s = s + DY[i * uniforms.d + index] * X[i * uniforms.d + index] * R[i];
          }
          result[index] = s;`);
  return run(program, [x, dy, r], [{ type: 'int32', data: [n] }, { type: 'int32', data: [d] }]) as tf.Tensor1D;
}

/** SwiGLU's product silu(gate) up, elementwise over equal shapes. One dispatch. */
export function swiglu(gate: tf.Tensor, up: tf.Tensor): tf.Tensor {
  const program = flatProgram('xalignSwiglu', gate.size, ['G', 'U'], '', `
          let g = G[index];
          result[index] = g / (1.0 + exp(-g)) * U[index];`);
  return tf.reshape(run(program, [gate, up], []), gate.shape);
}

/**
 * The gradient of {@link swiglu} for `gate` (`forGate`: dy up (s + g s (1 - s)), s the
 * sigmoid of g) or for `up` (dy silu(g)), from dy. One dispatch each. (An input a
 * shader does not read has no binding in its layout, so each kernel takes only what it
 * reads.)
 */
export function swigluGrad(gate: tf.Tensor, up: tf.Tensor, dy: tf.Tensor, forGate: boolean): tf.Tensor {
  const out = forGate
    ? run(flatProgram('xalignSwigluGradGate', gate.size, ['G', 'U', 'DY'], '', `
          let g = G[index];
          let s = 1.0 / (1.0 + exp(-g));
          result[index] = DY[index] * U[index] * (s + g * s * (1.0 - s));`), [gate, up, dy], [])
    : run(flatProgram('xalignSwigluGradUp', gate.size, ['G', 'DY'], '', `
          let g = G[index];
          result[index] = DY[index] * g / (1.0 + exp(-g));`), [gate, dy], []);
  return tf.reshape(out, gate.shape);
}
