/**
 * Runs many tuning specs side by side, one child process per worker (the wasm backend
 * trains on one thread, so a 2-core machine trains two runs at once).
 *
 * The parent makes sure the base model exists first (pre-trained or reused once, never
 * by two workers at the same time), starts one long-lived worker process per slot
 * (`node --import tsx src/experiments/worker.ts`), hands each spec that the store lacks
 * to a free worker as one JSON line on its stdin, relays the worker's progress events,
 * and reads each finished result back from the store. A worker takes job after job, so
 * Node's start, the compilation of the library and the backend's start are paid once
 * per worker, not once per run; it exits when its stdin closes. Every worker writes its
 * own run folder and result file atomically, so workers never touch the same file, and
 * a pool that is killed resumes run by run: stored results are reused, half-finished
 * runs resume from their checkpoints.
 *
 * With `workers: 1` the specs run in this process, one after the other.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { PROJECT_ROOT } from '../provenance';
import type { TrainEvent } from '../train/trainer';
import { baseDirMismatch, runPretrain, storedBase } from './base';
import type { RunOptions } from './run';
import { targetPairs, type TuneSpec } from './spec';
import { runTune } from './tune';
import { configHash, type ExperimentResult, ResultStore } from './store';
import { selectBackend } from '../backend';

export interface PoolOptions extends Omit<RunOptions, 'onEvent' | 'command' | 'baseDir'> {
  /** Child processes training at once (1: in this process) on a CPU backend. */
  workers: number;
  /** The same on the webgpu backend, where the processes share one GPU (default 1); see {@link poolProcesses}. */
  gpuWorkers?: number;
  /** The base-model folder to use where its manifest matches (RunOptions.baseDir); per spec when the pool mixes bases, e.g. two model families. */
  baseDir?: string | ((spec: TuneSpec) => string | undefined);
  /** The command that regenerates one spec's result (provenance). */
  commandFor?: (spec: TuneSpec) => string;
  /**
   * How a worker process starts: arguments to `node` (default: `--import tsx
   * src/experiments/worker.ts`; a bundle passes its own file and a subcommand).
   */
  workerArgv?: string[];
  /** Start no new run after this time (ms since the epoch); runs not started are returned in `missing`. */
  stopAt?: number;
  /** Progress of spec number `index` (its events, `reused` when the store had it). */
  onProgress?: (index: number, e: (TrainEvent & { phase: 'pretrain' | 'tune' }) | { type: 'reused' } | { type: 'done'; seconds: number }) => void;
}

export interface PoolOutcome {
  /** The results of the specs, in their order (only those that finished when `stopAt` cut the pool short). */
  results: ExperimentResult<TuneSpec>[];
  /** Specs not run because `stopAt` passed (empty otherwise). */
  missing: TuneSpec[];
  /** How many specs were trained now (the rest came from the store, or were tested on a stored run's model). */
  trained: number;
  seconds: number;
}

/** What the parent sends a worker on its stdin for one run (one JSON line). */
export interface WorkerJob {
  spec: TuneSpec;
  storeRoot: string;
  preset: string;
  backend: string;
  command?: string;
  baseDir?: string;
}

const WORKER = path.join(PROJECT_ROOT, 'src', 'experiments', 'worker.ts');

/**
 * How many processes a pool trains in: `workers` on a CPU backend (one core each);
 * on webgpu `gpuWorkers` (default 1), since the processes then share one GPU, each
 * with its own device, and ten at once once finished nothing (docs/world.md).
 */
export function poolProcesses(o: Pick<PoolOptions, 'workers' | 'gpuWorkers' | 'backend'>): number {
  for (const [key, n] of [['workers', o.workers], ['gpuWorkers', o.gpuWorkers ?? 1]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`runTunePool: ${key} must be a positive integer, got ${n}`);
  }
  return o.backend === 'webgpu' ? (o.gpuWorkers ?? 1) : o.workers;
}

/** Runs `specs` (results in the same order); see the module comment. */
export async function runTunePool(specs: readonly TuneSpec[], options: PoolOptions): Promise<PoolOutcome> {
  const t0 = performance.now();
  const workers = poolProcesses(options);
  if (workers !== options.workers) options.log?.(`${workers} process${workers === 1 ? '' : 'es'} on the GPU (gpuWorkers), in place of ${options.workers} (workers)`);
  const o = { ...options, workers };
  const results: (ExperimentResult<TuneSpec> | undefined)[] = specs.map((s) => o.store.get<TuneSpec>(configHash(s)) ?? undefined);
  results.forEach((r, i) => r && o.onProgress?.(i, { type: 'reused' }));
  // one run per distinct description: a spec listed twice (e.g. a grid run that is also a
  // scaling point) is trained once and its result given to both places
  const firstOf = new Map<string, number>();
  const todo = specs.map((_, i) => i).filter((i) => {
    if (results[i]) return false;
    const h = configHash(specs[i]!);
    if (firstOf.has(h)) return false;
    firstOf.set(h, i);
    return true;
  });
  // each base model once, never by two processes at the same time
  const bases = new Map(todo.map((i) => [configHash(specs[i]!.base), specs[i]!]));
  const makeBase = (spec: TuneSpec, log = o.log) => runPretrain(spec.base, { ...o, log, baseDir: baseDirOf(o, spec), command: undefined });
  let trained = 0;
  if (o.workers === 1 || todo.length <= 1) {
    for (const spec of bases.values()) await makeBase(spec);
    for (const i of todo) {
      if (o.stopAt !== undefined && Date.now() > o.stopAt) break;
      const t = performance.now();
      const r = await runTune(specs[i]!, { ...o, baseDir: baseDirOf(o, specs[i]!), command: o.commandFor?.(specs[i]!), onEvent: (e) => o.onProgress?.(i, e) });
      results[i] = r.result;
      trained += r.reused || r.result.extra?.trainedBy ? 0 : 1;
      o.onProgress?.(i, { type: 'done', seconds: (performance.now() - t) / 1000 });
    }
  } else {
    const children = new Set<ChildProcess>();
    const killAll = () => children.forEach((c) => c.kill('SIGTERM'));
    process.once('exit', killAll);
    try {
      // Runs whose base is ready start at once; a base still to be made (a committed
      // checkpoint's probe, or a pre-training) is made here, in the parent, while the
      // workers train; its runs then go to the front of the queue, so that the later
      // runs, not the base's, are the ones left at the end.
      const ready = new Set<string>();
      for (const [h, spec] of bases) {
        const baseDir = baseDirOf(o, spec);
        // said here, as runPretrain would: the workers' runs do not log
        const mismatch = baseDirMismatch(spec.base, baseDir);
        if (mismatch) o.log?.(mismatch);
        if (storedBase(spec.base, { store: o.store, baseDir })) ready.add(h);
      }
      let queue = todo.filter((i) => ready.has(configHash(specs[i]!.base)));
      let waiting = todo.filter((i) => !ready.has(configHash(specs[i]!.base)));
      let wake: () => void = () => {};
      let changed = new Promise<void>((resolve) => (wake = resolve));
      let failed = false;
      const baseMaker = (async () => {
        for (const [h, spec] of bases) {
          if (ready.has(h)) continue;
          if (failed || (o.stopAt !== undefined && Date.now() > o.stopAt)) break;
          try {
            await makeBase(spec, undefined); // its folder's mismatch, if any, was said above
          } catch (err) {
            // the workers stop taking runs; the pool fails with this error
            failed = true;
            wake();
            throw err;
          }
          ready.add(h);
          queue = [...waiting.filter((i) => configHash(specs[i]!.base) === h), ...queue];
          waiting = waiting.filter((i) => configHash(specs[i]!.base) !== h);
          const w = wake;
          changed = new Promise<void>((resolve) => (wake = resolve));
          w();
        }
        // bases left unmade (a failure, or stopAt): their runs are missing, not awaited
        waiting = [];
        wake();
      })();
      const worker = async () => {
        let child: WorkerProcess | undefined;
        try {
          for (;;) {
            if (failed) return;
            if (o.stopAt !== undefined && Date.now() > o.stopAt) break;
            const i = queue.shift();
            if (i === undefined) {
              if (waiting.length === 0) break;
              await changed;
              continue;
            }
            const t = performance.now();
            child ??= startWorker(o, children);
            await child.run(specs[i]!, (e) => o.onProgress?.(i, e));
            const r = o.store.get<TuneSpec>(configHash(specs[i]!));
            if (!r) throw new Error(`experiment worker finished ${specs[i]!.lang} ${specs[i]!.condition} seed ${specs[i]!.seed} but ${o.store.root} has no result ${configHash(specs[i]!)}`);
            results[i] = r;
            if (!r.extra?.trainedBy) trained++;
            o.onProgress?.(i, { type: 'done', seconds: (performance.now() - t) / 1000 });
          }
        } catch (err) {
          // the pool fails: the other workers take no new run, the parent makes no new base
          failed = true;
          wake();
          throw err;
        } finally {
          await child?.close();
        }
      };
      await Promise.all([baseMaker, ...Array.from({ length: Math.min(o.workers, todo.length) }, worker)]);
    } catch (err) {
      killAll();
      throw err;
    } finally {
      process.removeListener('exit', killAll);
    }
  }
  specs.forEach((s, i) => {
    const first = firstOf.get(configHash(s));
    if (!results[i] && first !== undefined && first !== i && results[first]) {
      results[i] = results[first];
      o.onProgress?.(i, { type: 'reused' });
    }
  });
  return {
    results: results.filter((r): r is ExperimentResult<TuneSpec> => r !== undefined),
    missing: specs.filter((_, i) => !results[i]),
    trained,
    seconds: (performance.now() - t0) / 1000,
  };
}

function baseDirOf(o: PoolOptions, spec: TuneSpec): string | undefined {
  return typeof o.baseDir === 'function' ? o.baseDir(spec) : o.baseDir;
}

/** The last lines of a worker's stderr that say something (tfjs's memory warnings left out). */
function tailOf(stderr: string): string {
  return stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('Warning: maxDynamic')).slice(-12).join('\n');
}

/** The line a worker writes on stdout when a job's result is in the store. */
const JOB_DONE = '{"xalignWorker":"job done"}';

/** A long-lived worker process: `run` sends one job and resolves when its result is stored; `close` ends its stdin and waits for it to exit. */
interface WorkerProcess {
  run(spec: TuneSpec, onEvent: (e: TrainEvent & { phase: 'pretrain' | 'tune' }) => void): Promise<void>;
  close(): Promise<void>;
}

/** Starts one worker process (see {@link WorkerProcess}); a worker that dies fails its job with the tail of its stderr. */
function startWorker(o: PoolOptions, children: Set<ChildProcess>): WorkerProcess {
  const child = spawn(process.execPath, o.workerArgv ?? ['--import', 'tsx', WORKER], { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, XALIGN_WORKER: '1' } });
  children.add(child);
  let stderr = '';
  let job: { spec: TuneSpec; onEvent: (e: TrainEvent & { phase: 'pretrain' | 'tune' }) => void; resolve: () => void; reject: (e: Error) => void } | undefined;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) => {
    child.on('close', (code, signal) => {
      children.delete(child);
      exited = { code, signal };
      if (job) {
        const { spec } = job;
        job.reject(new Error(`experiment worker for ${spec.lang} ${spec.condition} seed ${spec.seed} (pairs ${targetPairs(spec)}) ${signal ? `was killed by ${signal}` : `exited with ${code}`}:\n${tailOf(stderr)}`));
        job = undefined;
      }
      resolve();
    });
  });
  child.on('error', (err) => {
    job?.reject(err);
    job = undefined;
  });
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.endsWith(JOB_DONE)) {
      job?.resolve();
      job = undefined;
    } else if (line.startsWith('{')) {
      try {
        job?.onEvent(JSON.parse(line));
      } catch {
        /* a stray line that only looks like JSON: ignore */
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  // writing to a worker that has just died: its 'close' reports the failure with its stderr
  child.stdin!.on('error', () => {});
  return {
    run(spec, onEvent) {
      if (exited) return Promise.reject(new Error(`experiment worker exited (${exited.signal ?? exited.code}) before ${spec.lang} ${spec.condition} seed ${spec.seed}:\n${tailOf(stderr)}`));
      return new Promise<void>((resolve, reject) => {
        job = { spec, onEvent, resolve, reject };
        const msg: WorkerJob = { spec, storeRoot: o.store.root, preset: o.preset, backend: o.backend, command: o.commandFor?.(spec), baseDir: baseDirOf(o, spec) };
        child.stdin!.write(`${JSON.stringify(msg)}\n`);
      });
    },
    async close() {
      if (!exited) child.stdin!.end();
      await exit;
    },
  };
}

/**
 * The body of a worker process: reads {@link WorkerJob}s on stdin, one JSON line each, and
 * for each runs the spec into the shared store on the same backend as its parent, writes
 * the training events as JSON lines on stdout, then the line {@link JOB_DONE}. It returns
 * when stdin closes; a failed job rejects (src/experiments/worker.ts runs it and exits 1).
 */
export async function workerMain(): Promise<void> {
  let backend: Awaited<ReturnType<typeof selectBackend>> | undefined;
  // readline decodes the stream whole (a character split between chunks stays intact) and
  // gives a last line without its newline too; one job at a time, each awaited
  for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim()) await runJob(JSON.parse(line) as WorkerJob);
  }

  async function runJob(job: WorkerJob): Promise<void> {
    backend ??= await selectBackend(job.backend);
    if (backend.name !== job.backend) throw new Error(`worker: asked for backend ${job.backend}, got ${backend.name}`);
    await runTune(job.spec, {
      store: new ResultStore(job.storeRoot),
      preset: job.preset,
      backend: backend.name,
      command: job.command,
      baseDir: job.baseDir,
      onEvent: (e) => process.stdout.write(`${JSON.stringify(e)}\n`),
    });
    // on a line of its own even if something wrote to stdout without a newline
    process.stdout.write(`\n${JOB_DONE}\n`);
  }
}
