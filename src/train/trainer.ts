/**
 * The training loop shared by pre-training and instruction tuning (paper Section 3.1
 * and the public Alpaca-style recipe): AdamW, cosine schedule with 3% warm-up,
 * global-norm clipping, gradient accumulation, packed or bucketed batches, periodic
 * evaluation with optional early stopping, progress events, and checkpoints from
 * which a killed run resumes to the same losses at the same steps.
 *
 * Checkpoint folder layout: `step-NNNNNNNN/` holds model.safetensors, config.json,
 * tokenizer.json, optimizer.safetensors and trainer.json (step, data position and Rng
 * state, history); `latest.json` names the newest complete one and is written last,
 * so a run killed while writing resumes from the previous checkpoint.
 */

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gpuDeviceLost, tf } from '../backend';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic';
import { checkWeights, saveModel } from '../model/checkpoint';
import { decodeSafetensors, encodeSafetensors } from '../model/safetensors';
import type { Tokenizer } from '../model/tokenizer';
import type { Transformer } from '../model/transformer';
import { Rng } from '../random/rng';
import { type Batching, BATCHINGS, BatchStream, type DataPosition, type Example, makeBatches, type Objective } from './data';
import { batchLossSum, evaluateLoss } from './loss';
import { AdamW, cosineLr, gradientScale } from './optim';

export interface TrainConfig {
  objective: Objective;
  batching: Batching;
  /** Optimiser steps. */
  steps: number;
  /** Rows per micro-batch. */
  batchSize: number;
  /** Micro-batches per optimiser step (gradient accumulation). */
  accumulate: number;
  /** Tokens per row (pack) or the cap on an example's length (pad). */
  seqLen: number;
  lr: number;
  warmupFraction: number;
  /** Final learning rate as a fraction of lr. */
  minLrRatio: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Global gradient-norm limit (0 = off). */
  clipNorm: number;
  /** Evaluate every N steps (0 = never). */
  evalEvery: number;
  /** Stop after this many evaluations without improvement (0 = never). */
  earlyStopPatience: number;
  /** Checkpoint every N steps when a checkpoint folder is given (0 = only at the end). */
  checkpointEvery: number;
  /** Seeds the data order. */
  seed: number;
}

/** The default recipe, scaled to the laboratory models. */
export function defaultTrainConfig(): TrainConfig {
  return {
    objective: 'instruction',
    batching: 'pad',
    steps: 100,
    batchSize: 16,
    accumulate: 1,
    seqLen: 64,
    lr: 1e-3,
    warmupFraction: 0.03,
    minLrRatio: 0.1,
    weightDecay: 0.0,
    beta1: 0.9,
    beta2: 0.95,
    eps: 1e-8,
    clipNorm: 1.0,
    evalEvery: 0,
    earlyStopPatience: 0,
    checkpointEvery: 0,
    seed: 1,
  };
}

/** Defaults overridden by `overrides`; unknown keys and wrong types are errors naming the field. */
export function trainConfig(overrides: Record<string, unknown> = {}, source = 'train config'): TrainConfig {
  const base = defaultTrainConfig();
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in base)) throw new Error(`${source}: unknown field "${k}"; known: ${Object.keys(base).join(', ')}`);
    const want = typeof base[k as keyof TrainConfig];
    if (typeof v !== want) throw new Error(`${source}: field "${k}" must be a ${want}, got ${JSON.stringify(v)}`);
  }
  const cfg = { ...base, ...overrides } as TrainConfig;
  if (cfg.objective !== 'instruction' && cfg.objective !== 'lm') throw new Error(`${source}: field "objective" must be "instruction" or "lm"`);
  if (!BATCHINGS.includes(cfg.batching)) throw new Error(`${source}: field "batching" must be one of ${BATCHINGS.map((b) => `"${b}"`).join(', ')}, got ${JSON.stringify(cfg.batching)}`);
  for (const k of ['steps', 'batchSize', 'accumulate', 'seqLen'] as const) {
    if (!Number.isInteger(cfg[k]) || cfg[k] < 1) throw new Error(`${source}: field "${k}" must be a positive integer, got ${cfg[k]}`);
  }
  for (const k of ['evalEvery', 'earlyStopPatience', 'checkpointEvery', 'seed'] as const) {
    if (!Number.isInteger(cfg[k]) || cfg[k] < 0) throw new Error(`${source}: field "${k}" must be an integer >= 0, got ${cfg[k]}`);
  }
  if (!(cfg.lr > 0)) throw new Error(`${source}: field "lr" must be > 0`);
  return cfg;
}

export type TrainEvent =
  | { type: 'step'; step: number; totalSteps: number; loss: number; lr: number; gradNorm: number; tokensPerSec: number; elapsedSec: number; etaSec: number }
  | { type: 'eval'; step: number; loss: number; best: number }
  | { type: 'checkpoint'; step: number; dir: string }
  | { type: 'resume'; step: number; dir: string }
  | { type: 'early-stop'; step: number; best: number };

/**
 * One line for a step event: loss, learning rate, tokens/s and ETA. The CLI prints it
 * after a progress bar; a notebook passes it as the note of `nb.progress`:
 * `const bar = nb.progress('training', steps); train({..., onEvent: (e) => e.type === 'step' && bar(e.step, describeStep(e))})`.
 */
export function describeStep(e: Extract<TrainEvent, { type: 'step' }>): string {
  const eta = e.etaSec < 60 ? `${e.etaSec.toFixed(1)} s` : `${Math.floor(e.etaSec / 60)} min ${Math.round(e.etaSec % 60)} s`;
  return `step ${e.step}/${e.totalSteps} loss ${e.loss.toFixed(4)} lr ${e.lr.toExponential(2)} ${e.tokensPerSec.toFixed(0)} tok/s ETA ${eta}`;
}

export interface TrainResult {
  steps: number;
  /** Training loss per step (index = step - 1), including steps before a resume. */
  losses: number[];
  evals: { step: number; loss: number }[];
  stoppedEarly: boolean;
  /** Positions (rows x width, padding included) per second, this session's steps. */
  tokensPerSec: number;
  /** Real (non-padding) input tokens per second, this session's steps. */
  realTokensPerSec: number;
  /** Share of the positions computed that held a real token, this session's steps (1 = no padding). */
  nonPaddingShare: number;
  /** Examples started in this session's steps (a packed row holds several). */
  examplesSeen: number;
}

export interface TrainRun {
  model: Transformer;
  tokenizer?: Tokenizer;
  train: readonly Example[];
  eval?: readonly Example[];
  config: TrainConfig;
  /** Token that fills padded positions (default: the tokenizer's pad, else 0). */
  padToken?: number;
  /** Folder for checkpoints; resume from its latest.json when present and `resume` is not false. */
  checkpointDir?: string;
  resume?: boolean;
  onEvent?: (e: TrainEvent) => void;
  /**
   * Stop after this many steps of the configured run (the schedule still spans
   * `config.steps`), e.g. to check that a run's first losses reproduce. No checkpoint is
   * written at the stop.
   */
  stopAfter?: number;
  /** Read every value back after this step (a benchmark marks its time there; on webgpu reads otherwise come ten steps at a time). */
  readBackAfter?: number;
}

interface TrainerState {
  version: 1;
  step: number;
  configHash: string;
  data: DataPosition;
  losses: number[];
  evals: { step: number; loss: number }[];
  best: number;
  badEvals: number;
}

function hashConfig(cfg: TrainConfig): string {
  return createHash('sha256').update(JSON.stringify(cfg)).digest('hex').slice(0, 16);
}

/** The latest complete checkpoint folder under `dir`, or null. */
export function latestCheckpoint(dir: string): string | null {
  const f = path.join(dir, 'latest.json');
  if (!fs.existsSync(f)) return null;
  const { dir: sub } = JSON.parse(fs.readFileSync(f, 'utf8')) as { dir: string };
  return path.join(dir, sub);
}

async function writeCheckpoint(run: TrainRun, opt: AdamW, state: TrainerState): Promise<string> {
  const root = run.checkpointDir!;
  const name = `step-${String(state.step).padStart(8, '0')}`;
  const dir = path.join(root, name);
  await saveModel(dir, run.model, run.tokenizer);
  writeFileAtomic(path.join(dir, 'optimizer.safetensors'), encodeSafetensors(await opt.state()));
  writeJsonAtomic(path.join(dir, 'trainer.json'), state);
  writeJsonAtomic(path.join(root, 'latest.json'), { dir: name, step: state.step });
  // keep the newest two
  const old = fs.readdirSync(root).filter((d) => /^step-\d{8}$/.test(d) && d < name).sort();
  for (const d of old.slice(0, -1)) fs.rmSync(path.join(root, d), { recursive: true, force: true });
  return dir;
}

function readCheckpoint(dir: string, run: TrainRun, opt: AdamW, cfgHash: string): TrainerState {
  const statePath = path.join(dir, 'trainer.json');
  const state = JSON.parse(fs.readFileSync(statePath, 'utf8')) as TrainerState;
  if (state.configHash !== cfgHash) throw new Error(`${statePath}: checkpoint was written with another train config (hash ${state.configHash}, now ${cfgHash}); use a new checkpoint folder`);
  const wPath = path.join(dir, 'model.safetensors');
  const { tensors } = decodeSafetensors(new Uint8Array(fs.readFileSync(wPath)), wPath);
  run.model.assign(checkWeights(run.model.config, tensors, wPath));
  const oPath = path.join(dir, 'optimizer.safetensors');
  opt.load(decodeSafetensors(new Uint8Array(fs.readFileSync(oPath)), oPath).tensors, state.step, oPath);
  return state;
}

/** On webgpu, steps whose loss and gradient norm are read back together (see `train`). */
const GPU_READ_EVERY = 10;

/**
 * On wasm, a step whose tensors outgrow the module's memory (4 GiB at most) ends in a bare
 * "memory access out of bounds" or "Aborted()"; this says what ran out and what to do.
 * tfjs keeps every saved activation and every intermediate gradient until a step's
 * backward pass ends, and wasm copies each saved tensor: the paper preset's model
 * (6 layers of 256) overflows at 8 rows of 384 tokens.
 */
function wasmMemoryError(err: unknown, cfg: TrainConfig): Error | null {
  const text = err instanceof Error ? err.message : String(err);
  if (tf.getBackend() !== 'wasm' || !/memory access out of bounds|^Aborted\(/.test(text)) return null;
  const e = new Error(`wasm ran out of memory in a training step of ${cfg.batchSize} rows x ${cfg.seqLen} tokens (${text}): take fewer rows per step (the preset's tuneBatchSize or batchSize, or the run's batchSize with accumulate for the same update), a shorter seqLen, or a GPU backend (docs/speed.md)`);
  e.cause = err;
  return e;
}

/**
 * `err` of a training step as it should reach the user: wasm's memory exhausted
 * ({@link wasmMemoryError}); the WebGPU device lost, said so, after which step, and where
 * the run resumes from (tfjs itself reports a bare `AbortError`); any other error as it is.
 */
async function stepError(err: unknown, stepsDone: number, checkpointDir: string | undefined, lastCheckpoint: { dir: string; step: number } | null, cfg: TrainConfig): Promise<unknown> {
  const oom = wasmMemoryError(err, cfg);
  if (oom) return oom;
  const lost = await gpuDeviceLost(`training, after step ${stepsDone}`);
  if (!lost) return err;
  lost.message += !checkpointDir
    ? '; this run keeps no checkpoints, so it starts again from step 0'
    : lastCheckpoint
      ? `; started again (resuming, as it does by default), the run goes on from its last checkpoint, step ${lastCheckpoint.step} in ${lastCheckpoint.dir}`
      : `; no checkpoint was written yet in ${checkpointDir}, so started again it begins at step 0`;
  lost.cause = err;
  return lost;
}

/**
 * Trains `run.model` in place. Resolves when `config.steps` steps are done or early
 * stopping ends the run; emits progress events on the way. Leaves no tensors behind
 * besides the model's own.
 */
export async function train(run: TrainRun): Promise<TrainResult> {
  const cfg = run.config;
  const padToken = run.padToken ?? run.tokenizer?.special.pad ?? 0;
  const dataOpts = { objective: cfg.objective, batching: cfg.batching, batchSize: cfg.batchSize, seqLen: cfg.seqLen, padToken };
  const stream = new BatchStream(run.train, dataOpts, new Rng(cfg.seed).fork('data'));
  const evalBatches = run.eval?.length
    ? makeBatches(run.eval, run.eval.map((_, i) => i), { ...dataOpts, batching: 'pad', keepLast: true })
    : [];
  const opt = new AdamW(run.model.params, { beta1: cfg.beta1, beta2: cfg.beta2, eps: cfg.eps, weightDecay: cfg.weightDecay });
  const cfgHash = hashConfig(cfg);
  let state: TrainerState = { version: 1, step: 0, configHash: cfgHash, data: stream.position(), losses: [], evals: [], best: Infinity, badEvals: 0 };
  const emit = run.onEvent ?? (() => {});
  let lastCheckpoint: { dir: string; step: number } | null = null;
  try {
    if (run.checkpointDir && run.resume !== false) {
      const last = latestCheckpoint(run.checkpointDir);
      if (last) {
        state = readCheckpoint(last, run, opt, cfgHash);
        lastCheckpoint = { dir: last, step: state.step };
        stream.seek(state.data);
        emit({ type: 'resume', step: state.step, dir: last });
      }
    }
    const vars = run.model.variables();
    const names = [...run.model.params.keys()];
    const start = performance.now();
    const startStep = state.step;
    let tokensSeen = 0;
    let realSeen = 0;
    let examplesSeen = 0;
    let stoppedEarly = false;
    const lastStep = Math.min(cfg.steps, run.stopAfter ?? Infinity);
    // Each step's loss and gradient norm stay on the device until read back: every step on
    // a host backend, every GPU_READ_EVERY steps on webgpu (a read waits for the GPU to
    // finish all it was given), and always before an evaluation, a checkpoint or the end.
    // Each step's event is emitted when its values are read, in order.
    const readEvery = tf.getBackend() === 'webgpu' ? GPU_READ_EVERY : 1;
    const unread: { values: tf.Scalar[]; norm: tf.Scalar; lr: number }[] = [];
    const readBack = async (): Promise<void> => {
      if (!unread.length) return;
      // one read for all of them: each value is its own float32, summed here as before
      const all = tf.stack(unread.flatMap((u) => [...u.values, u.norm]));
      let read: Float32Array;
      try {
        read = (await all.data()) as Float32Array;
      } finally {
        all.dispose();
      }
      const steps = unread.splice(0);
      tf.dispose(steps.flatMap((u) => [...u.values, u.norm]));
      // the time per step over the steps now done (events of one read share it)
      const perStep = (performance.now() - start) / 1000 / (state.step + steps.length - startStep);
      let k = 0;
      for (const u of steps) {
        let lossSum = 0;
        for (let i = 0; i < u.values.length; i++) lossSum += read[k++]!;
        const gradNorm = read[k++]!;
        state.step++;
        state.losses.push(lossSum);
        const elapsed = (performance.now() - start) / 1000;
        emit({ type: 'step', step: state.step, totalSteps: cfg.steps, loss: lossSum, lr: u.lr, gradNorm, tokensPerSec: tokensSeen / elapsed, elapsedSec: elapsed, etaSec: perStep * (cfg.steps - state.step) });
      }
    };
    while (state.step + unread.length < lastStep && !stoppedEarly) {
      // this step's index (0-based), counting the steps not read back yet
      const step = state.step + unread.length;
      // this step's tensors, disposed on an error before they are handed on
      let grads: Map<string, tf.Tensor> | null = null;
      let values: tf.Scalar[] = [];
      let norm: tf.Scalar | null = null;
      let scale: tf.Scalar | null = null;
      try {
        const micro = Array.from({ length: cfg.accumulate }, () => stream.next());
        const denom = Math.max(1, micro.reduce((s, b) => s + b.lossTokens, 0));
        for (const b of micro) {
          const { value, grads: g } = tf.variableGrads(() => tf.div(batchLossSum(run.model, b), denom) as tf.Scalar, vars);
          values.push(value);
          if (!grads) grads = new Map(names.map((n, i) => [n, g[vars[i]!.name]!]));
          else {
            for (let i = 0; i < names.length; i++) {
              const prev = grads.get(names[i]!)!;
              grads.set(names[i]!, tf.add(prev, g[vars[i]!.name]!));
              prev.dispose();
              g[vars[i]!.name]!.dispose();
            }
          }
          tokensSeen += b.batch * b.t;
          realSeen += b.realTokens;
          examplesSeen += b.examples;
        }
        ({ norm, scale } = gradientScale(grads!, cfg.clipNorm));
        const lr = cosineLr(step, cfg.steps, cfg.lr, cfg.warmupFraction, cfg.minLrRatio);
        opt.apply(grads!, lr, scale);
        scale?.dispose();
        scale = null;
        for (const g of grads!.values()) g.dispose();
        grads = null;
        unread.push({ values, norm: norm!, lr });
        [values, norm] = [[], null];
        const done = step + 1;
        const evalNow = cfg.evalEvery > 0 && evalBatches.length > 0 && (done % cfg.evalEvery === 0 || done === cfg.steps);
        const checkpointNow = !!run.checkpointDir && cfg.checkpointEvery > 0 && done % cfg.checkpointEvery === 0;
        const readNow = unread.length >= readEvery || done >= lastStep || done === run.readBackAfter;
        if (readNow || evalNow || checkpointNow) await readBack();
        if (unread.length) continue;
        if (evalNow) {
          const loss = await evaluateLoss(run.model, evalBatches);
          state.evals.push({ step: state.step, loss });
          if (loss < state.best - 1e-6) [state.best, state.badEvals] = [loss, 0];
          else state.badEvals++;
          emit({ type: 'eval', step: state.step, loss, best: state.best });
          if (cfg.earlyStopPatience > 0 && state.badEvals >= cfg.earlyStopPatience) {
            stoppedEarly = true;
            emit({ type: 'early-stop', step: state.step, best: state.best });
          }
        }
        const atEnd = state.step === cfg.steps || stoppedEarly;
        if (run.checkpointDir && ((cfg.checkpointEvery > 0 && state.step % cfg.checkpointEvery === 0) || atEnd)) {
          state.data = stream.position();
          const dir = await writeCheckpoint(run, opt, state);
          lastCheckpoint = { dir, step: state.step };
          emit({ type: 'checkpoint', step: state.step, dir });
        }
      } catch (err) {
        tf.dispose([...unread.flatMap((u) => [...u.values, u.norm]), ...values, ...(grads ? grads.values() : []), ...(norm ? [norm] : []), ...(scale ? [scale] : [])]);
        throw await stepError(err, state.step, run.checkpointDir, lastCheckpoint, cfg);
      }
    }
    const elapsed = (performance.now() - start) / 1000;
    return {
      steps: state.step, losses: state.losses, evals: state.evals, stoppedEarly,
      tokensPerSec: elapsed > 0 ? tokensSeen / elapsed : 0,
      realTokensPerSec: elapsed > 0 ? realSeen / elapsed : 0,
      nonPaddingShare: tokensSeen > 0 ? realSeen / tokensSeen : 0,
      examplesSeen,
    };
  } finally {
    opt.dispose();
  }
}
