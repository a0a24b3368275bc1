/**
 * Matrix products on webgpu in a fixed order. For a product with few output tiles and
 * a long inner dimension (2,000 or more: a small weight's gradient over a big batch of
 * tokens), tfjs-backend-webgpu splits the inner dimension across workgroups and adds
 * their partial sums with float atomics, whose order changes from run to run. The
 * guard installed here sends those products to tfjs's small-output program instead: it
 * also runs many workgroups on a small output, each adding its whole inner dimension
 * in order. Every other product keeps the program tfjs picks.
 */

import * as tf from '@tensorflow/tfjs';

/** tfjs-backend-webgpu's MatMulProgramType values and the flag that forces one. */
const PROGRAM_FLAG = 'WEBGPU_MATMUL_PROGRAM_TYPE';
const SMALL_OUTPUT_PROGRAM = 2;
/** The inner length from which tfjs splits it (its batchMatMulImpl). */
const SPLIT_K_FROM = 2000;

interface MatmulArgs {
  inputs: { a: tf.TensorInfo; b: tf.TensorInfo };
  attrs: { transposeA?: boolean; transposeB?: boolean };
  backend: { thresholdToIncreaseWorkgroups?: number };
}

/**
 * Whether tfjs-backend-webgpu would run this product as its split-inner-dimension
 * program: the same test as its batchMatMulImpl, on the shapes alone.
 */
export function wouldSplitInner(a: number[], b: number[], transposeA: boolean, transposeB: boolean, threshold: number): boolean {
  const inner = transposeA ? a[a.length - 2]! : a[a.length - 1]!;
  const rows = transposeA ? a[a.length - 1]! : a[a.length - 2]!;
  const cols = transposeB ? b[b.length - 2]! : b[b.length - 1]!;
  const batch = Math.max(a.slice(0, -2).reduce((x, y) => x * y, 1), b.slice(0, -2).reduce((x, y) => x * y, 1));
  const tiles = batch * Math.ceil(rows / 32) * Math.ceil(cols / 32);
  const few = tiles <= threshold || (rows <= 8 && tiles <= threshold * 2);
  return few && batch * rows * cols > 128 && batch === 1 && inner >= SPLIT_K_FROM;
}

const guarded = new WeakSet<object>();

/**
 * Wraps the webgpu backend's BatchMatMul and _FusedMatMul kernels so that no product
 * takes the split-inner-dimension program (unless a user forced a program through the
 * flag). Idempotent; call after the webgpu backend is registered.
 */
export function guardMatmulOrder(): void {
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const kernel = tf.getKernel(name, 'webgpu');
    if (!kernel || guarded.has(kernel.kernelFunc)) continue;
    const base = kernel.kernelFunc;
    const kernelFunc: tf.KernelFunc = (args) => {
      const { inputs, attrs, backend } = args as unknown as MatmulArgs;
      const env = tf.env();
      const forced = (env.get(PROGRAM_FLAG) as number) >= 0;
      const flagged = env.getNumber('WEBGPU_THRESHOLD_TO_INCREASE_WORKGROUPS_FOR_MATMUL');
      const threshold = flagged > 0 ? flagged : (backend.thresholdToIncreaseWorkgroups ?? 8);
      if (forced || !wouldSplitInner(inputs.a.shape, inputs.b.shape, !!attrs.transposeA, !!attrs.transposeB, threshold)) return base(args);
      const before = env.get(PROGRAM_FLAG);
      env.set(PROGRAM_FLAG, SMALL_OUTPUT_PROGRAM);
      try {
        return base(args);
      } finally {
        env.set(PROGRAM_FLAG, before);
      }
    };
    guarded.add(kernelFunc);
    tf.unregisterKernel(name, 'webgpu');
    tf.registerKernel({ ...kernel, kernelFunc });
  }
}
