/**
 * What a piece of work costs the WebGPU backend, counted where tfjs-backend-webgpu does
 * it: compute dispatches (one per kernel it runs: `runWebGPUProgram`), uploads of host
 * data to GPU buffers (`uploadToGPU` when the tensor still holds values on the host),
 * and downloads of GPU buffers to the host (`getBufferData`, e.g. a loss read back).
 * Per-op dispatch is what keeps a small model far from PyTorch on a GPU
 * (docs/speed.md), so `xalign bench train --backend webgpu` prints these per training
 * step. It counts on any WebGPU adapter, lavapipe included, so the count can be checked
 * without a GPU.
 */

import { tf } from './index';

export interface GpuWork {
  dispatches: number;
  /** Dispatches per kernel, by the program's shader key as tfjs names it (e.g. `binary_MUL`, `xalignAdamParam`). */
  byKernel: Record<string, number>;
  uploads: number;
  uploadBytes: number;
  downloads: number;
  downloadBytes: number;
}

/** The parts of tfjs-backend-webgpu's backend object that are counted (internal to tfjs; checked at install). */
interface WebGpuBackendLike {
  runWebGPUProgram: (...args: unknown[]) => unknown;
  uploadToGPU: (dataId: object) => void;
  getBufferData: (buffer: { size: number }) => Promise<unknown>;
  tensorMap: { get(dataId: object): { resource?: unknown; values?: { length: number } | null; dtype: string } | undefined };
}

export interface GpuWorkCounter {
  /** The work counted since the counter was installed. */
  read(): GpuWork;
  /** Puts the backend's methods back. */
  stop(): void;
}

/**
 * Counts the WebGPU backend's work from now on; null when the active backend is not
 * webgpu. Throws when the backend lacks a method it counts (a tfjs version whose
 * internals moved), rather than counting nothing.
 */
export function countGpuWork(): GpuWorkCounter | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const b = tf.backend() as unknown as WebGpuBackendLike;
  for (const m of ['runWebGPUProgram', 'uploadToGPU', 'getBufferData'] as const) {
    if (typeof b[m] !== 'function') throw new Error(`gpu work: the webgpu backend has no ${m}; this version of tfjs-backend-webgpu is not supported by the counter`);
  }
  const work: GpuWork = { dispatches: 0, byKernel: {}, uploads: 0, uploadBytes: 0, downloads: 0, downloadBytes: 0 };
  const original = { runWebGPUProgram: b.runWebGPUProgram, uploadToGPU: b.uploadToGPU, getBufferData: b.getBufferData };
  b.runWebGPUProgram = function (this: WebGpuBackendLike, ...args: unknown[]) {
    work.dispatches++;
    // read before the call, which extends the key with the shapes
    const key = String((args[0] as { shaderKey?: string }).shaderKey ?? 'unknown');
    work.byKernel[key] = (work.byKernel[key] ?? 0) + 1;
    return original.runWebGPUProgram.apply(this, args);
  };
  b.uploadToGPU = function (this: WebGpuBackendLike, dataId: object) {
    const d = this.tensorMap.get(dataId);
    if (d && d.resource == null && d.values) {
      work.uploads++;
      work.uploadBytes += d.values.length * 4; // float32, int32 and bool are 4 bytes a value on the GPU
    }
    return original.uploadToGPU.call(this, dataId);
  };
  b.getBufferData = function (this: WebGpuBackendLike, buffer: { size: number }) {
    work.downloads++;
    work.downloadBytes += buffer.size;
    return original.getBufferData.call(this, buffer);
  };
  return {
    read: () => ({ ...work, byKernel: { ...work.byKernel } }),
    stop: () => Object.assign(b, original),
  };
}

/** `b - a`, per unit (e.g. per step). */
export function gpuWorkPer(a: GpuWork, b: GpuWork, units: number): GpuWork {
  const per = (k: Exclude<keyof GpuWork, 'byKernel'>) => (b[k] - a[k]) / units;
  const byKernel = Object.fromEntries(Object.entries(b.byKernel).map(([k, n]) => [k, (n - (a.byKernel[k] ?? 0)) / units] as const).filter(([, n]) => n > 0));
  return { dispatches: per('dispatches'), byKernel, uploads: per('uploads'), uploadBytes: per('uploadBytes'), downloads: per('downloads'), downloadBytes: per('downloadBytes') };
}
