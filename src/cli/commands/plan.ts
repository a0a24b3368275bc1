import * as fs from 'node:fs';
import { benchTrain } from '../../bench/train-bench';
import { committedBaseDir, configHash, type CostPart, poolProcesses, presetCost, type PresetCost, readManifest, ResultStore, storeSpeed, tuningShape, type Work } from '../../experiments';
import { presetFromFlags } from '../../session';
import { type Command, UsageError } from '../command';
import { numberFlag, presetFlags, requireFile } from '../inputs';
import { readLanguageFile } from '../../world/language-file';
import { storeDir } from './experiment-shared';

/** Notebook 08's language when XALIGN_LANGUAGE names none. */
const EXAMPLE_LANGUAGE = 'data/examples/languages/ka.json';

/** A speed and where it came from. */
interface Speed {
  tokensPerSec: number;
  source: string;
  /** The speed is wall time with evaluation (a store's), not training alone. */
  withEvaluation?: boolean;
}

/** Hours a plan's remaining work takes at a speed: the base alone (one process), the tuning runs shared by the pool's processes. */
export function planHours(cost: PresetCost, speed: number, processes: number): { base: number; tuning: number; total: number } {
  const base = cost.parts[0]!.todo.tokens / speed / 3600;
  const tuning = (cost.todo.tokens - cost.parts[0]!.todo.tokens) / (speed * processes) / 3600;
  return { base, tuning, total: base + tuning };
}

const big = (n: number): string => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0));
const time = (h: number): string => (h >= 48 ? `${(h / 24).toFixed(1)} days` : h >= 1 ? `${h.toFixed(1)} h` : h * 60 >= 1 ? `${(h * 60).toFixed(0)} min` : `${(h * 3600).toFixed(0)} s`);

function row(p: { part: string; listed: number } & Work, todo: Work): string {
  return `${p.part.padEnd(36)} ${String(p.listed).padStart(6)} ${String(p.runs).padStart(5)} ${String(todo.runs).padStart(6)} ${big(p.steps).padStart(9)} ${big(p.tokens).padStart(9)} ${(p.flops / 1e15).toFixed(2).padStart(9)}`;
}

export const command: Command = {
  name: 'plan',
  summary: 'what a preset trains before it trains: runs, token slots, FLOP, and hours at a measured speed',
  usage: `usage: xalign plan [--preset P] [--set k=v ...] [--store DIR] [--language FILE]
                   [--tokens-per-s N | --measure [--backend NAME] [--steps N]]
                   [--processes N] [--json]

Counts what the laboratory notebooks (02, 05, 06, 07, 08) train on the preset: the base
model's pre-training and every tuning run, each run once (a run two notebooks share is
trained once by the results store), as optimiser steps, token slots (steps x rows x row
length) and training FLOP. Runs already in the results store (--store, default
out/experiments/PRESET) and a committed base model (data/world/base-PRESET) whose
config matches are not trained again: the "train" column leaves them out. Notebook
08's runs are those of --language FILE (default ${EXAMPLE_LANGUAGE}, the notebook's).

With a training speed it estimates the hours: --tokens-per-s N (what \`xalign bench
train --preset P\` or a run's progress lines print), or --measure, which times a few
steps (--steps, default 3, after one warm-up) of the preset's own model at its tuning
shape (tuneBatchSize x tuneSeqLen) on --backend (default: the preset's), one process
alone. Without either, the speed the store's finished runs kept, wall time with their
evaluation, when it has any. The base trains in one process; the tuning runs share the
pool's processes (--processes, default: workers, or gpuWorkers on webgpu; with backend
auto and no --measure, workers), each assumed to keep that speed. See docs/speed.md for how the estimate compares with runs.`,
  options: {
    preset: { type: 'string' },
    set: { type: 'string', multiple: true },
    store: { type: 'string' },
    language: { type: 'string' },
    'tokens-per-s': { type: 'string' },
    measure: { type: 'boolean', default: false },
    backend: { type: 'string' },
    steps: { type: 'string' },
    processes: { type: 'string' },
  },
  async run(ctx) {
    if (ctx.positionals.length) throw new UsageError(`plan: no positional arguments expected, got "${ctx.positionals[0]}"`);
    const preset = presetFromFlags(presetFlags(ctx.flags));
    const s = preset.settings;
    const given = numberFlag(ctx.flags, 'tokens-per-s', { min: 1e-9 }, 'plan');
    if (given !== undefined && ctx.flags.measure) throw new UsageError('plan: give --tokens-per-s or --measure, not both');
    if (!ctx.flags.measure && (ctx.flags.steps !== undefined || ctx.flags.backend !== undefined)) throw new UsageError('plan: --steps and --backend go with --measure');
    const dir = storeDir(ctx, preset);
    const store = fs.existsSync(dir) ? new ResultStore(dir) : null;
    const languageFile = (ctx.flags.language as string | undefined) ?? EXAMPLE_LANGUAGE;
    if (ctx.flags.language !== undefined) requireFile(languageFile, '--language');
    const language = fs.existsSync(languageFile) ? readLanguageFile(languageFile) : undefined;
    const cost = presetCost(s, {
      ...(language ? { language } : {}),
      baseReady: (spec) => readManifest(committedBaseDir(preset.name, spec.model.family))?.configHash === configHash(spec) || !!store?.get(configHash(spec)),
      stored: (spec) => !!store?.get(configHash(spec)),
    });

    let speed: Speed | null = given !== undefined ? { tokensPerSec: given, source: '--tokens-per-s' } : null;
    let backend = ctx.flags.backend as string | undefined;
    if (ctx.flags.measure) {
      const steps = numberFlag(ctx.flags, 'steps', { integer: true, min: 1 }, 'plan') ?? 3;
      const r = await benchTrain({ ...tuningShape(s), steps, warmup: 1, backend: backend ?? s.backend, torch: false, log: ctx.log });
      backend = r.backend.name;
      speed = { tokensPerSec: r.tfjs.tokensPerSec, source: `measured: ${steps} steps of ${s.tuneBatchSize} x ${s.tuneSeqLen} on ${r.backend.name}` };
    }
    if (!speed && store) {
      const kept = storeSpeed(store.list());
      if (kept) speed = { tokensPerSec: kept.tokensPerSec, source: `kept by the store's ${kept.runs} finished run(s), evaluation included${kept.skipped ? `; ${kept.skipped} resumed or reused left out` : ''}`, withEvaluation: true };
    }
    const processes = numberFlag(ctx.flags, 'processes', { integer: true, min: 1 }, 'plan') ?? poolProcesses({ workers: s.workers, gpuWorkers: s.gpuWorkers, backend: backend ?? s.backend });
    const hours = speed ? planHours(cost, speed.tokensPerSec, processes) : null;

    const m = cost.model;
    const lines = [
      `preset ${preset.name}${preset.overridden.length ? ` (overridden: ${preset.overridden.join(', ')})` : ''}: ${m.family} d ${m.dModel}, ${m.nLayers} layers, ${m.nHeads} heads, vocab ${m.vocabSize}; ${(m.parameters / 1e6).toFixed(2)} M parameters`,
      `results store: ${store ? dir : `${dir} (none yet)`}`,
      '',
      `${'part'.padEnd(36)} ${'listed'.padStart(6)} ${'new'.padStart(5)} ${'train'.padStart(6)} ${'steps'.padStart(9)} ${'tokens'.padStart(9)} ${'PFLOP'.padStart(9)}`,
      ...cost.parts.map((p: CostPart) => row(p, p.todo)),
      row({ part: 'all', listed: cost.parts.reduce((n, p) => n + p.listed, 0), ...cost.total }, cost.todo),
      `still to train: ${cost.todo.runs} runs, ${big(cost.todo.tokens)} token slots, ${(cost.todo.flops / 1e15).toFixed(2)} PFLOP`,
      ...cost.parts.flatMap((p) => p.notes.map((n) => `note (${p.part}): ${n}`)),
      ...(s.tuneBatching === 'pad' ? ['note: tuneBatching=pad trims each batch to its longest row, so the token slots are an upper bound'] : []),
    ];
    if (speed && hours) {
      lines.push(
        '',
        `at ${speed.tokensPerSec.toFixed(0)} tokens/s per process (${speed.source}), ${processes} process(es) for the tuning runs:`,
        `  base model ${time(hours.base)}, tuning runs ${time(hours.tuning)}, in all about ${time(hours.total)}${speed.withEvaluation ? '' : ' (evaluation not counted)'}`,
      );
    } else lines.push('', 'for hours: --tokens-per-s N (from `xalign bench train`), or --measure');
    return {
      value: { preset: preset.name, overridden: preset.overridden, store: store ? dir : null, ...cost, ...(speed ? { speed, processes, hours } : {}) },
      text: lines.join('\n'),
    };
  },
};
