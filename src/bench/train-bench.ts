/**
 * The training benchmark (`xalign bench train`, `npm run bench:train`): trains the
 * reference model (vocab 512, width 128, 4 layers, 4 heads, sequence 64, batch 32)
 * for a fixed number of steps on random tokens and reports tokens/s and GFLOP/s;
 * where Debian's python3-torch is installed it trains the same model with PyTorch in
 * the same run (test/bench/torch_train.py) and reports the ratio. Sizes how long the
 * laboratory notebooks' training takes on a given machine.
 */

import { countGpuWork, type GpuWork, gpuWorkPer } from '../backend/gpu-work';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type BackendChoice, selectBackend, tf } from '../backend';
import { type ModelConfig, modelConfig, parameterCount, trainFlopsPerStep } from '../model/config';
import { fastPaths } from '../model/ops';
import { Transformer } from '../model/transformer';
import { Rng } from '../random/rng';
import { type Example, makeBatches, train, trainConfig, type TrainEvent } from '../train';
import { batchLossSum } from '../train/loss';
import { AdamW, gradientScale } from '../train/optim';

export interface BenchOptions {
  family?: 'llama' | 'neox';
  /** The model to time in place of the reference model (e.g. a preset's, for `xalign plan --measure`); `family` is then its family. */
  model?: ModelConfig;
  steps?: number;
  warmup?: number;
  batch?: number;
  seqLen?: number;
  /** Backend name or auto (XALIGN_BACKEND still wins). */
  backend?: string;
  /** Also run PyTorch when found (default true). */
  torch?: boolean;
  /** PyTorch threads (default 1: tfjs-wasm in Node runs on one thread). */
  torchThreads?: number;
  /** PyTorch device, e.g. cuda (default cpu). */
  torchDevice?: string;
  python?: string;
  /** Fast paths to switch off (keys of `fastPaths` in src/model/ops.ts). */
  ablate?: string[];
  /** Also time the model with each fast path off, one at a time and all together. */
  compare?: boolean;
  log?: (line: string) => void;
}

export interface EngineFigure {
  engine: string;
  tokensPerSec: number;
  gflopsPerSec: number;
  msPerStep: number;
  firstLoss: number;
  lastLoss: number;
  detail?: string;
  /** WebGPU only: dispatches, uploads and downloads per timed step (src/backend/gpu-work.ts). */
  gpuWork?: GpuWork;
}

export interface BenchResult {
  model: ModelConfig & { parameters: number };
  batch: number;
  seqLen: number;
  steps: number;
  gflopPerStep: number;
  backend: Pick<BackendChoice, 'name' | 'reason' | 'flags'>;
  tfjs: EngineFigure;
  torch?: EngineFigure;
  /** Why PyTorch did not run, when it did not. */
  torchSkipped?: string;
  /** tfjs tokens/s divided by PyTorch's. */
  ratio?: number;
  /** PyTorch's BLAS as measured: a 512^3 matmul's GFLOP/s and torch's own BLAS lines; `fair` false when it is a reference BLAS. */
  torchBlas?: { gemmGflops: number; info: string; fair: boolean; why: string };
  /** With `compare`: the same run with fast paths switched off. */
  variants?: { ablated: string[]; tokensPerSec: number; msPerStep: number }[];
}

/**
 * Whether PyTorch's CPU matmul is fast enough for its tokens/s to be the anchor of a
 * ratio. Debian's python3-torch uses whatever libblas.so.3 the system points to; with
 * only the reference BLAS its GEMM runs at a few GFLOP/s on one core (OpenBLAS: tens),
 * and tfjs would look faster than PyTorch. Below `minGflops` on the CPU the ratio is
 * reported as unfair, with how to install OpenBLAS. GPU devices are always fair.
 */
export function judgeTorchBlas(gemmGflops: number, info: string, device: string, minGflops = 15): { gemmGflops: number; info: string; fair: boolean; why: string } {
  if (device !== 'cpu') return { gemmGflops, info, fair: true, why: `device ${device}` };
  if (!Number.isFinite(gemmGflops)) return { gemmGflops, info, fair: false, why: 'torch_train.py did not report its matmul speed, so its BLAS is unknown' };
  if (gemmGflops < minGflops) {
    return {
      gemmGflops, info, fair: false,
      why: `PyTorch's matmul runs at ${gemmGflops.toFixed(1)} GFLOP/s, below ${minGflops}: a reference BLAS, not an optimised one. Install OpenBLAS (Debian: apt-get install libopenblas0-pthread) and run the bench again`,
    };
  }
  return { gemmGflops, info, fair: true, why: `matmul at ${gemmGflops.toFixed(1)} GFLOP/s` };
}

/** The reference model of the speed benchmark (docs/speed.md). */
export function referenceModel(family: 'llama' | 'neox' = 'llama', seqLen = 64): ModelConfig {
  return modelConfig({ family, vocabSize: 512, dModel: 128, nLayers: 4, nHeads: 4, maxSeqLen: seqLen });
}

function randomExamples(n: number, len: number, vocab: number, rng: Rng): Example[] {
  return Array.from({ length: n }, () => ({ prompt: [], response: Array.from({ length: len }, () => rng.int(vocab)) }));
}

/** Finds a Python with torch: XALIGN_PYTHON, then /usr/bin/python3. */
export function findTorchPython(explicit?: string): { python?: string; why: string } {
  const candidates = [explicit, process.env.XALIGN_PYTHON, '/usr/bin/python3'].filter((p): p is string => !!p);
  for (const py of candidates) {
    if (!fs.existsSync(py)) continue;
    const r = spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python: py, why: `torch ${r.stdout.trim()} in ${py}` };
  }
  return { why: `no Python with torch among ${candidates.join(', ')} (Debian: apt-get install python3-torch)` };
}

/** Runs the benchmark; see the module comment. */
export async function benchTrain(options: BenchOptions = {}): Promise<BenchResult> {
  const log = options.log ?? (() => {});
  const family = options.model?.family ?? options.family ?? 'llama';
  const steps = options.steps ?? 10;
  const warmup = options.warmup ?? 2;
  const batch = options.batch ?? 32;
  const seqLen = options.seqLen ?? 64;
  const choice = await selectBackend(options.backend ?? 'auto');
  const cfg = options.model ? { ...options.model, maxSeqLen: Math.max(options.model.maxSeqLen, seqLen) } : referenceModel(family, seqLen);
  const flops = trainFlopsPerStep(cfg, batch * seqLen, seqLen);
  const tokens = batch * seqLen * steps;
  const saved = { ...fastPaths };
  /** Trains a fresh reference model with the given fast paths off; returns its figure. */
  const runTfjs = async (ablate: string[]): Promise<EngineFigure> => {
    for (const k of ablate) {
      if (!(k in fastPaths)) throw new Error(`--ablate: unknown fast path "${k}"; known: ${Object.keys(fastPaths).join(', ')}`);
      fastPaths[k as keyof typeof fastPaths] = false;
    }
    const rng = new Rng(1);
    const model = new Transformer(cfg, rng.fork('init'));
    const data = randomExamples(batch * 4, seqLen + 1, cfg.vocabSize, rng.fork('data'));
    const tc = (n: number) => trainConfig({ objective: 'lm', batching: 'pack', steps: n, batchSize: batch, seqLen, lr: 1e-3 });
    log(`bench: ${family} d ${cfg.dModel}, ${cfg.nLayers} layers, batch ${batch} x ${seqLen}, ${steps} timed steps after ${warmup} warm-up, backend ${choice.name}${ablate.length ? `, without ${ablate.join(', ')}` : ''}`);
    // one run; its values are read back after the warm-up, so that the timed steps start
    // there (on webgpu step events otherwise come ten at a time)
    const losses: number[] = [];
    const counter = countGpuWork();
    let t0 = performance.now();
    let before = counter?.read();
    try {
      await train({
        model,
        train: data,
        config: tc(warmup + steps),
        readBackAfter: warmup,
        onEvent: (e: TrainEvent) => {
          if (e.type !== 'step') return;
          losses.push(e.loss);
          if (e.step === warmup) {
            t0 = performance.now();
            before = counter?.read();
          }
          if (e.step > warmup) log(`  tfjs step ${e.step - warmup}/${steps} loss ${e.loss.toFixed(3)}`);
        },
      });
    } finally {
      model.dispose();
      Object.assign(fastPaths, saved);
    }
    const seconds = (performance.now() - t0) / 1000;
    const gpuWork = counter && before ? gpuWorkPer(before, counter.read(), steps) : undefined;
    counter?.stop();
    return {
      engine: `tfjs-${choice.name}`,
      tokensPerSec: tokens / seconds,
      gflopsPerSec: (flops * steps) / seconds / 1e9,
      msPerStep: (seconds * 1000) / steps,
      firstLoss: losses[0]!,
      lastLoss: losses.at(-1)!,
      ...(ablate.length ? { detail: `without ${ablate.join(', ')}` } : {}),
      ...(gpuWork ? { gpuWork } : {}),
    };
  };
  const tfjs = await runTfjs(options.ablate ?? []);
  const result: BenchResult = {
    model: { ...cfg, parameters: parameterCount(cfg) },
    batch,
    seqLen,
    steps,
    gflopPerStep: flops / 1e9,
    backend: { name: choice.name, reason: choice.reason, flags: choice.flags },
    tfjs,
  };
  if (options.compare) result.variants = await compareFastPaths(cfg, batch, seqLen, Math.max(3, steps), log);
  if (options.torch !== false) {
    const found = findTorchPython(options.python);
    if (!found.python) result.torchSkipped = found.why;
    else {
      const script = path.join(__dirname, '..', '..', 'test', 'bench', 'torch_train.py');
      const args = [script, '--family', family, '--steps', String(steps), '--warmup', String(warmup), '--batch', String(batch), '--seq', String(seqLen),
        '--threads', String(options.torchThreads ?? 1), '--device', options.torchDevice ?? 'cpu', '--dff', String(cfg.dFf),
        '--vocab', String(cfg.vocabSize), '--d', String(cfg.dModel), '--layers', String(cfg.nLayers), '--heads', String(cfg.nHeads)];
      log(`bench: PyTorch (${found.why}), ${options.torchThreads ?? 1} thread(s), ${options.torchDevice ?? 'cpu'}`);
      const r = spawnSync(found.python, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status !== 0) result.torchSkipped = `torch_train.py failed: ${(r.stderr || r.stdout).trim().split('\n').at(-1)}`;
      else {
        const t = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number; first_loss: number; last_loss: number; detail: string; gemm_gflops?: number; blas?: string };
        const torchFigure: EngineFigure = {
          engine: 'pytorch',
          tokensPerSec: tokens / t.seconds,
          gflopsPerSec: (flops * steps) / t.seconds / 1e9,
          msPerStep: (t.seconds * 1000) / steps,
          firstLoss: t.first_loss,
          lastLoss: t.last_loss,
          detail: t.detail,
        };
        result.torch = torchFigure;
        result.ratio = tfjs.tokensPerSec / torchFigure.tokensPerSec;
        result.torchBlas = judgeTorchBlas(t.gemm_gflops ?? NaN, t.blas ?? '', options.torchDevice ?? 'cpu');
      }
    }
  }
  return result;
}

/** Human-readable lines for a result. */
export function formatBench(r: BenchResult): string {
  const line = (f: EngineFigure) =>
    `${f.engine.padEnd(14)} ${f.tokensPerSec.toFixed(0).padStart(8)} tokens/s  ${f.gflopsPerSec.toFixed(2).padStart(7)} GFLOP/s  ${f.msPerStep.toFixed(1).padStart(8)} ms/step  loss ${f.firstLoss.toFixed(3)} -> ${f.lastLoss.toFixed(3)}${f.detail ? `  (${f.detail})` : ''}`;
  const out = [
    `model: ${r.model.family}, vocab ${r.model.vocabSize}, d ${r.model.dModel}, ${r.model.nLayers} layers, ${r.model.nHeads} heads, ${(r.model.parameters / 1e6).toFixed(2)} M parameters; batch ${r.batch} x ${r.seqLen}; ${r.gflopPerStep.toFixed(2)} GFLOP/step; ${r.steps} timed steps`,
    `backend: ${r.backend.name} (${r.backend.reason})`,
    line(r.tfjs),
    ...(r.tfjs.gpuWork ? [
      `  per step on the GPU: ${r.tfjs.gpuWork.dispatches.toFixed(0)} dispatches, ${r.tfjs.gpuWork.uploads.toFixed(1)} uploads (${(r.tfjs.gpuWork.uploadBytes / 1024).toFixed(1)} KiB), ${r.tfjs.gpuWork.downloads.toFixed(1)} downloads (${(r.tfjs.gpuWork.downloadBytes / 1024).toFixed(1)} KiB)`,
      `  most dispatched kernels: ${Object.entries(r.tfjs.gpuWork.byKernel).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, n]) => `${k} ${n.toFixed(0)}`).join(', ')}`,
    ] : []),
  ];
  const all = r.variants?.find((v) => v.ablated.length === 0);
  if (r.variants) out.push('fast paths, interleaved step by step (median ms/step; x = what the path buys):');
  for (const v of r.variants ?? []) {
    const label = v.ablated.length ? `without ${v.ablated.join(' + ')}` : 'all fast paths on';
    const gain = v.ablated.length ? `  x${(v.msPerStep / all!.msPerStep).toFixed(2)}` : '';
    out.push(`  ${label.padEnd(52)} ${v.tokensPerSec.toFixed(0).padStart(8)} tokens/s  ${v.msPerStep.toFixed(1).padStart(8)} ms/step${gain}`);
  }
  if (r.torchSkipped) out.push(`pytorch        skipped: ${r.torchSkipped}`);
  if (r.torch) {
    out.push(line(r.torch));
    const b = r.torchBlas;
    if (b) out.push(`pytorch BLAS: ${b.gemmGflops.toFixed(1)} GFLOP/s on a 512^3 matmul${b.info ? ` (${b.info})` : ''}`);
    if (b && !b.fair) out.push(`ratio tfjs/pytorch: not a fair comparison (${r.ratio!.toFixed(3)} measured): ${b.why}`);
    else out.push(`ratio tfjs/pytorch: ${r.ratio!.toFixed(3)}`);
  }
  return out.join('\n');
}

/**
 * What each fast path buys: one model per variant (all on; each path off alone; all
 * off), trained step by step in turn, round after round, so that a change in the load
 * of a shared machine hits every variant alike. Returns the median step time of each.
 */
async function compareFastPaths(cfg: ModelConfig, batch: number, seqLen: number, rounds: number, log: (l: string) => void) {
  const keys = Object.keys(fastPaths) as (keyof typeof fastPaths)[];
  const saved = { ...fastPaths };
  const variants: string[][] = [[], ...keys.map((k) => [k]), keys];
  const rng = new Rng(1);
  const data = randomExamples(batch, seqLen + 1, cfg.vocabSize, rng.fork('data'));
  const [b] = makeBatches(data, data.map((_, i) => i), { objective: 'lm', batching: 'pack', batchSize: batch, seqLen, padToken: 0 });
  const runs = variants.map((ablated) => {
    const model = new Transformer(cfg, new Rng(1).fork('init'));
    return { ablated, model, opt: new AdamW(model.params, { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0 }), ms: [] as number[] };
  });
  try {
    for (let r = 0; r <= rounds; r++) {
      for (const run of runs) {
        for (const k of keys) fastPaths[k] = !run.ablated.includes(k);
        const t0 = performance.now();
        const vars = run.model.variables();
        const { value, grads } = tf.variableGrads(() => tf.div(batchLossSum(run.model, b!), b!.lossTokens) as tf.Scalar, vars);
        await value.data();
        value.dispose();
        const g = new Map([...run.model.params.keys()].map((n, i) => [n, grads[vars[i]!.name]!] as [string, tf.Tensor]));
        const { norm, scale } = gradientScale(g, 1);
        run.opt.apply(g, 1e-3, scale);
        tf.dispose([norm, scale!]);
        for (const t of g.values()) t.dispose();
        await run.model.p('embed').data();
        if (r > 0) run.ms.push(performance.now() - t0); // round 0 warms up
      }
      log(`  compare round ${r}/${rounds}`);
    }
  } finally {
    Object.assign(fastPaths, saved);
    for (const run of runs) {
      run.opt.dispose();
      run.model.dispose();
    }
  }
  const median = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)]!;
  return runs.map((run) => ({ ablated: run.ablated, msPerStep: median(run.ms), tokensPerSec: (batch * seqLen * 1000) / median(run.ms) }));
}
