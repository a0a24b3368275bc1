/**
 * How xalign's WGSL kernels are written and run: the few fields of tfjs-backend-webgpu's
 * program interface they need, and four shapes of program.
 * - {@link threadProgram}: one thread per work item, `index` 0..threads-1;
 * - {@link flatProgram}: one thread per output value;
 * - {@link rowProgram}: one workgroup per row of an [n, d] input, with a workgroup sum;
 * - {@link columnProgram}: one workgroup per column of an [n, d] input, the same way.
 * {@link run} hands a program to the backend's own `runWebGPUProgram` (its buffers,
 * pipeline cache and command queue), so the result is an ordinary tensor. tfjs spreads a
 * dispatch over y and z when x would pass the device's limit; `index` counts on across
 * them, so the programs here never see the difference.
 */

import { tf } from '../index';

/** The fields of tfjs-backend-webgpu's program interface these kernels use. */
export interface Program {
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

export type Uniform = { type: 'float32' | 'int32'; data: number[] };

interface WebGpuBackendLike {
  runWebGPUProgram(program: Program, inputs: tf.TensorInfo[], dtype: 'float32', uniforms?: Uniform[]): tf.TensorInfo;
}

export const f32 = (x: number): Uniform => ({ type: 'float32', data: [x] });
export const i32 = (x: number): Uniform => ({ type: 'int32', data: [x] });

/** Runs `program` on `inputs` (bound in the order of its `variableNames`); webgpu only. */
export function run(program: Program, inputs: tf.Tensor[], uniforms: Uniform[]): tf.Tensor {
  if (tf.getBackend() !== 'webgpu') throw new Error(`webgpu kernel ${program.shaderKey}: the active backend is ${tf.getBackend()}, not webgpu`);
  const info = (tf.backend() as unknown as WebGpuBackendLike).runWebGPUProgram(program, inputs, 'float32', uniforms);
  return tf.engine().makeTensorFromTensorInfo(info);
}

const WORKGROUP = 64;

/**
 * A program of `threads` threads writing an output of `outputShape`: `body` runs for
 * `index` < threads (the count is the uniform `threads`, which the caller passes first).
 */
export function threadProgram(key: string, outputShape: number[], threads: number, variableNames: string[], uniforms: string, body: string): Program {
  return {
    outputShape,
    shaderKey: key,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(threads / WORKGROUP), 1, 1],
    variableNames,
    workgroupSize: [WORKGROUP, 1, 1],
    uniforms: `threads : i32, ${uniforms}`,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.threads) {
          ${body}
        }
      }`,
  };
}

/** A 1-D program over `n` outputs, one thread each, `size` checked in the shader. */
export function flatProgram(key: string, n: number, variableNames: string[], uniforms: string, body: string): Program {
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

/**
 * WGSL of `workgroupSum(v, lane)`: the sum of `v` over the `size` threads of a workgroup
 * (a tree in shared memory), returned to every thread; every thread must call it.
 */
export function workgroupSum(size: number): string {
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

/** Threads per row of a {@link rowProgram}. */
export const ROW = 64;

/**
 * A program with one workgroup of {@link ROW} threads per row of an [n, d] input: `body`
 * sees `row`, `lane` (0..ROW-1), `base` (the row's first index) and `d`, and reduces
 * with `workgroupSum(v, lane)` (every lane gets the row's total). Rows past n (a dispatch reshaped
 * by tfjs) read the last row and write nothing (`live` is false), so that every barrier
 * is reached by the whole workgroup. Its first uniforms are {@link rowUniforms}.
 */
export function rowProgram(key: string, shape: number[], rows: number, variableNames: string[], uniforms: string, body: string): Program {
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
export function rowUniforms(x: tf.Tensor2D): Uniform[] {
  return [i32(x.shape[0]), i32(x.shape[1])];
}

/**
 * A program with one workgroup of {@link ROW} threads per column of an [n, d] input,
 * writing a [d] output: `body` sees `col`, `lane`, `n` and `d` and sums over the rows
 * with `workgroupSum` (each lane takes every ROW-th row). Many more threads than one a
 * column when n is large and d small, as for a norm's gain over a batch of tokens. Its
 * uniforms are {@link rowUniforms} of the [n, d] input.
 */
export function columnProgram(key: string, d: number, variableNames: string[], body: string): Program {
  return {
    outputShape: [d],
    shaderKey: key,
    dispatchLayout: { x: [0] },
    dispatch: [d, 1, 1],
    variableNames,
    workgroupSize: [ROW, 1, 1],
    uniforms: 'rows : i32, d : i32,',
    getUserCode: () => `
      ${workgroupSum(ROW)}
      fn main(index : i32) {
        let lane = index % ${ROW};
        let live = index / ${ROW} < uniforms.d;
        let col = min(index / ${ROW}, uniforms.d - 1);
        let n = uniforms.rows;
        let d = uniforms.d;
        ${body}
      }`,
  };
}
