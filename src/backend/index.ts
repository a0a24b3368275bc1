/**
 * Choosing the TensorFlow.js compute backend.
 *
 * Order of preference (fastest first), each tried only if it can load here:
 * 1. `tensorflow`: native libtensorflow through `@tensorflow/tfjs-node-gpu` or
 *    `@tensorflow/tfjs-node`. Optional: a user installs it; xalign never requires it.
 * 2. `webgpu`: `@tensorflow/tfjs-backend-webgpu` on Dawn (the `webgpu` npm package)
 *    when a GPU adapter exists. A software adapter (Mesa's lavapipe on CPU) is used only
 *    when forced: it is correct, and the tests use it, but slower than wasm. Unless
 *    forced, the adapter is first looked at in a child process, so that Dawn's own
 *    messages appear only where webgpu is then loaded here (see probeDawnAdapter).
 * 3. `wasm`: XNNPACK with SIMD; the fastest CPU path that always installs.
 * 4. `cpu`: plain JavaScript; slow, used as the numerical oracle in tests.
 *
 * `XALIGN_BACKEND` (or the `backend` preset setting) forces one; a forced backend that
 * cannot start is an error that says why. The choice and the reasons for it are
 * returned, so notebooks can print them and reports can record them.
 */

import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { guardMatmulOrder } from './webgpu/matmul';

export { tf };

export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendProbe {
  name: BackendName;
  available: boolean;
  /** Why it is or is not usable (package missing, no adapter, ...). */
  detail: string;
}

export interface BackendChoice {
  name: BackendName;
  /** One sentence: why this backend is in use. */
  reason: string;
  /** What was tried, in order, and what each attempt found. */
  probes: BackendProbe[];
  /** TensorFlow.js flags worth recording (SIMD, threads). */
  flags: Record<string, boolean | number | string>;
}

export class BackendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendError';
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}

function resolvable(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

async function tryTensorflow(): Promise<BackendProbe> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    if (!resolvable(pkg)) continue;
    try {
      require(pkg);
      if (await tf.setBackend('tensorflow')) return { name: 'tensorflow', available: true, detail: `${pkg} loaded` };
      return { name: 'tensorflow', available: false, detail: `${pkg} loaded but the backend did not initialise` };
    } catch (e) {
      return { name: 'tensorflow', available: false, detail: `${pkg} failed to load: ${errorText(e)}` };
    }
  }
  return { name: 'tensorflow', available: false, detail: '@tensorflow/tfjs-node(-gpu) is not installed (optional)' };
}

/** Software Vulkan/WebGPU adapters: correct but slower than wasm, so auto skips them. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|softpipe/i;

/** The probe of webgpu when Dawn offers only a software adapter (`description`). */
function softwareOnly(description: string | undefined): BackendProbe {
  return {
    name: 'webgpu',
    available: false,
    detail: `only a software adapter (${description || 'fallback'}): slower than wasm; XALIGN_BACKEND=webgpu forces it`,
  };
}

/**
 * Dawn prints these two lines from native code, straight to stderr, each time it opens
 * an adapter whose limits exceed what it supports (lavapipe's do): harmless, and noise
 * for every command and notebook when webgpu is only probed and then not used.
 */
const DAWN_LIMIT_WARNING = /^Warning: maxDynamic\w+ artificially reduced from \d+ to \d+ to fit dynamic offset allocation limit\.$/;

/** The adapter Dawn offers, as seen from a child process. */
interface DawnAdapter {
  /** Description, device and vendor, as Dawn reports them. */
  described: string;
  /** The adapter's own description alone (e.g. "llvmpipe: Mesa 25.0.7 ..."). */
  description: string;
  fallback: boolean;
}

/** Run by `node -e` with the webgpu package's file URL: prints the adapter as JSON, or null. */
const DAWN_PROBE_SCRIPT = `
import(process.argv[1]).then(async (dawn) => {
  const adapter = await dawn.create([]).requestAdapter();
  const info = (adapter && adapter.info) || {};
  const found = adapter && {
    described: [info.description, info.device, info.vendor].filter(Boolean).join(' '),
    description: info.description || '',
    fallback: Boolean(adapter.isFallbackAdapter),
  };
  process.stdout.write(JSON.stringify(found || null), () => process.exit(0));
}).catch((e) => {
  process.stderr.write(String((e && e.stack) || e) + '\\n', () => process.exit(1));
});`;

/** How long the child probe may take (Dawn starts a Vulkan instance and lists adapters). */
const DAWN_PROBE_TIMEOUT_MS = 60_000;

/**
 * The probe child's answer: the adapter, or null. Its stderr lines other than
 * DAWN_LIMIT_WARNING are passed on to this process's stderr.
 * @throws Error saying how the child failed (its first other stderr line, or how it ended).
 */
function readDawnProbe(err: (Error & { killed?: boolean; code?: unknown; signal?: unknown }) | null, stdout: string, stderr: string): DawnAdapter | null {
  const other = stderr.split('\n').filter((l) => l.trim() !== '' && !DAWN_LIMIT_WARNING.test(l));
  if (err) {
    if (err.killed) throw new Error(`Dawn's adapter probe did not finish within ${DAWN_PROBE_TIMEOUT_MS / 1000} s`);
    throw new Error(`Dawn's adapter probe failed: ${other[0] ?? `exited with ${err.signal ?? `code ${err.code}`}`}`);
  }
  if (other.length > 0) process.stderr.write(other.join('\n') + '\n');
  try {
    return JSON.parse(stdout) as DawnAdapter | null;
  } catch {
    throw new Error(`Dawn's adapter probe printed no adapter: ${JSON.stringify(stdout.slice(0, 200))}`);
  }
}

let dawnProbe: Promise<DawnAdapter | null> | undefined;

/**
 * The adapter Dawn would use, found in a child process (once per process): Dawn's native
 * stderr output cannot be caught in-process, and it should reach the terminal only when
 * webgpu is chosen. Real errors stay visible (readDawnProbe). Resolves to null when Dawn
 * finds no adapter.
 */
function probeDawnAdapter(): Promise<DawnAdapter | null> {
  dawnProbe ??= new Promise((resolve, reject) => {
    const url = pathToFileURL(require.resolve('webgpu')).href;
    const args = ['-e', DAWN_PROBE_SCRIPT, url];
    execFile(process.execPath, args, { timeout: DAWN_PROBE_TIMEOUT_MS, encoding: 'utf8' }, (err, stdout, stderr) => {
      try {
        resolve(readDawnProbe(err, stdout, stderr));
      } catch (e) {
        reject(e);
      }
    });
  });
  return dawnProbe;
}

async function tryWebgpu(forced = false): Promise<BackendProbe> {
  const missing = ['webgpu', '@tensorflow/tfjs-backend-webgpu'].filter((p) => !resolvable(p));
  if (missing.length > 0) {
    return { name: 'webgpu', available: false, detail: `package ${missing.join(' and ')} not installed` };
  }
  if (!forced) {
    try {
      const seen = await probeDawnAdapter();
      if (!seen) return { name: 'webgpu', available: false, detail: 'Dawn found no GPU adapter (no Vulkan driver?)' };
      if (seen.fallback || SOFTWARE_ADAPTER.test(seen.described)) return softwareOnly(seen.description);
    } catch (e) {
      return { name: 'webgpu', available: false, detail: errorText(e) };
    }
  }
  try {
    // Dawn must be installed as navigator.gpu before the tfjs webgpu backend loads.
    const dawn = require('webgpu') as { create: (flags: string[]) => unknown; globals?: Record<string, unknown> };
    const g = globalThis as Record<string, unknown>;
    if (dawn.globals) Object.assign(g, dawn.globals);
    if (!(g.navigator as { gpu?: unknown } | undefined)?.gpu) {
      Object.defineProperty(g, 'navigator', { value: { gpu: dawn.create([]) }, configurable: true, writable: true });
    }
    type Adapter = { info?: { description?: string; device?: string; vendor?: string }; isFallbackAdapter?: boolean };
    const gpu = (g.navigator as { gpu: { requestAdapter: () => Promise<Adapter | null> } }).gpu;
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { name: 'webgpu', available: false, detail: 'Dawn found no GPU adapter (no Vulkan driver?)' };
    const described = [adapter.info?.description, adapter.info?.device, adapter.info?.vendor].filter(Boolean).join(' ');
    if (!forced && (adapter.isFallbackAdapter || SOFTWARE_ADAPTER.test(described))) return softwareOnly(adapter.info?.description);
    require('@tensorflow/tfjs-backend-webgpu');
    if (await tf.setBackend('webgpu')) {
      watchDeviceLoss();
      guardMatmulOrder();
      return { name: 'webgpu', available: true, detail: `adapter: ${adapter.info?.description || 'unnamed'}` };
    }
    return { name: 'webgpu', available: false, detail: 'adapter found but the tfjs webgpu backend did not initialise' };
  } catch (e) {
    return { name: 'webgpu', available: false, detail: `failed: ${errorText(e)}` };
  }
}

/** How the WebGPU device was lost, once it has been (Dawn's `device.lost`), else null. */
let deviceLoss: { reason: string; message: string } | null = null;
/** The watched device's `lost` promise (settles when it is lost). */
let deviceLost: Promise<unknown> | null = null;
const watchedDevices = new WeakSet<object>();

/** Notes the loss of the webgpu backend's device when it happens (a driver reset, an out-of-memory kill, a destroyed device). */
function watchDeviceLoss(): void {
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ reason?: string; message?: string }> } }).device;
  if (!device?.lost || watchedDevices.has(device)) return;
  watchedDevices.add(device);
  deviceLost = device.lost.then((info) => {
    deviceLoss = { reason: info.reason ?? 'unknown', message: info.message ?? '' };
  });
}

/**
 * The error to raise instead of what tfjs reports once the WebGPU device is lost (Dawn
 * answers every later read with a bare `AbortError`), or null while it works or on
 * another backend. A read may fail before the loss is announced, so this waits up to
 * `waitMs` for the announcement. `what` says where it happened.
 */
export async function gpuDeviceLost(what: string, waitMs = 250): Promise<BackendError | null> {
  if (tf.getBackend() !== 'webgpu') return null;
  if (!deviceLoss && deviceLost) await Promise.race([deviceLost, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
  if (!deviceLoss) return null;
  return new BackendError(`the WebGPU device was lost during ${what} (${deviceLoss.reason}${deviceLoss.message ? `: ${deviceLoss.message}` : ''}); the GPU cannot be used again in this process`);
}

/**
 * The wasm module's Emscripten glue installs process-wide 'uncaughtException' and
 * 'unhandledRejection' handlers that rethrow, so any stray error (e.g. a Jupyter socket
 * closed at kernel shutdown) is reported with the whole minified glue as its source
 * line. They add nothing to Node's own handling; remove the ones it added.
 */
async function withoutEmscriptenHandlers<T>(load: () => Promise<T>): Promise<T> {
  type Listener = (...args: unknown[]) => void;
  const emitter = process as unknown as { listeners(ev: string): Listener[]; removeListener(ev: string, l: Listener): void };
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = events.map((ev) => new Set(emitter.listeners(ev)));
  try {
    return await load();
  } finally {
    events.forEach((ev, i) => {
      for (const l of emitter.listeners(ev)) if (!before[i]!.has(l)) emitter.removeListener(ev, l);
    });
  }
}

async function tryWasm(): Promise<BackendProbe> {
  try {
    require('@tensorflow/tfjs-backend-wasm');
    if (await withoutEmscriptenHandlers(() => tf.setBackend('wasm'))) {
      const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
      return { name: 'wasm', available: true, detail: simd ? 'XNNPACK with SIMD' : 'XNNPACK without SIMD' };
    }
    return { name: 'wasm', available: false, detail: 'the wasm module did not initialise' };
  } catch (e) {
    return { name: 'wasm', available: false, detail: `failed: ${errorText(e)}` };
  }
}

async function tryCpu(): Promise<BackendProbe> {
  const ok = await tf.setBackend('cpu');
  return { name: 'cpu', available: ok, detail: ok ? 'plain JavaScript' : 'did not initialise' };
}

const PROBES: Record<BackendName, () => Promise<BackendProbe>> = {
  tensorflow: tryTensorflow,
  webgpu: () => tryWebgpu(false),
  wasm: tryWasm,
  cpu: tryCpu,
};

function currentFlags(name: BackendName): Record<string, boolean | number | string> {
  const flags: Record<string, boolean | number | string> = { tfjsVersion: tf.version.tfjs };
  if (name === 'wasm') {
    flags.simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    flags.threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  }
  return flags;
}

/**
 * Picks and activates a backend. `requested` is `auto` or a backend name; when
 * omitted, `XALIGN_BACKEND` decides, else `auto`.
 * @throws BackendError when a forced backend is unknown or cannot start.
 */
export async function selectBackend(requested?: string): Promise<BackendChoice> {
  const fromEnv = process.env.XALIGN_BACKEND;
  const want = (fromEnv || requested || 'auto').trim();
  const source = fromEnv ? 'XALIGN_BACKEND' : requested && requested !== 'auto' ? 'the preset' : 'auto';
  if (want !== 'auto' && !(BACKEND_NAMES as readonly string[]).includes(want)) {
    throw new BackendError(`unknown backend "${want}" (from ${source}); expected auto or ${BACKEND_NAMES.join(', ')}`);
  }
  const order: BackendName[] = want === 'auto' ? [...BACKEND_NAMES] : [want as BackendName];
  const probes: BackendProbe[] = [];
  for (const name of order) {
    const probe = name === 'webgpu' ? await tryWebgpu(want !== 'auto') : await PROBES[name]();
    probes.push(probe);
    if (probe.available) {
      await tf.ready();
      const reason =
        want === 'auto'
          ? `fastest available (${probe.detail})` +
            (probes.length > 1 ? `; skipped ${probes.slice(0, -1).map((p) => `${p.name}: ${p.detail}`).join('; ')}` : '')
          : `forced by ${source} (${probe.detail})`;
      return { name, reason, probes, flags: currentFlags(name) };
    }
  }
  const why = probes.map((p) => `${p.name}: ${p.detail}`).join('; ');
  throw new BackendError(
    want === 'auto' ? `no TensorFlow.js backend could start (${why})` : `backend "${want}" forced by ${source} is unavailable: ${why}`,
  );
}
