import { benchTrain, formatBench } from '../../bench/train-bench';
import { type Command, UsageError } from '../command';
import { numberFlag, presetFlags } from '../inputs';
import { tuningShape } from '../../experiments/cost';
import { presetFromFlags } from '../../session';

export const command: Command = {
  name: 'bench',
  summary: 'benchmarks (bench train: tokens/s of the reference model, and PyTorch side by side)',
  usage: `usage: xalign bench train [--steps N] [--warmup N] [--family llama|neox] [--preset P [--set k=v]] [--backend NAME]
                          [--batch N] [--seq N] [--skip-torch] [--torch-threads N]
                          [--torch-device cpu|cuda] [--ablate KEY,...] [--compare] [--json]

Trains the reference model (vocab 512, d 128, 4 layers, 4 heads, seq 64, batch 32) for
--steps timed steps (default 10, after --warmup 2) and prints tokens/s and GFLOP/s.
--preset P times the preset's own model (its family, size and BPE vocabulary) at its
tuning batch (tuneBatchSize x tuneSeqLen) instead; --batch and --seq still win.
Where a Python with torch exists (XALIGN_PYTHON, else /usr/bin/python3) the same model
trains in PyTorch in the same run (test/bench/torch_train.py, --torch-threads, default 1,
the threads tfjs-wasm uses in Node) and the ratio is printed. --compare also times the
model with each speed fast path switched off (what each bought); --ablate switches
fast paths off for the main run (keys: those of fastPaths in src/model/ops.ts, e.g.
denseGrad, depthwiseBmm; on webgpu fusedAdamW, fusedOps, matmulFlags). On --backend webgpu it also prints the GPU dispatches,
uploads and downloads per step.`,
  options: {
    steps: { type: 'string' },
    warmup: { type: 'string' },
    family: { type: 'string' },
    preset: { type: 'string' },
    set: { type: 'string', multiple: true },
    backend: { type: 'string' },
    batch: { type: 'string' },
    seq: { type: 'string' },
    'skip-torch': { type: 'boolean', default: false },
    'torch-threads': { type: 'string' },
    'torch-device': { type: 'string' },
    ablate: { type: 'string' },
    compare: { type: 'boolean', default: false },
  },
  async run(ctx) {
    const what = ctx.positionals[0];
    if (what !== 'train') throw new UsageError(`bench: expected "train", got ${JSON.stringify(what ?? '')}`);
    // zero timed steps, rows or threads would print a speed measured on nothing
    const int = (name: string, min: number): number | undefined => numberFlag(ctx.flags, name, { integer: true, min }, 'bench');
    const family = ctx.flags.family;
    if (family !== undefined && family !== 'llama' && family !== 'neox') throw new UsageError(`bench: --family must be llama or neox, got "${String(family)}"`);
    const device = ctx.flags['torch-device'];
    if (device !== undefined && device !== 'cpu' && device !== 'cuda') throw new UsageError(`bench: --torch-device must be cpu or cuda, got "${String(device)}"`);
    if (family !== undefined && ctx.flags.preset !== undefined) throw new UsageError('bench: --family or --preset, not both (the preset names its family; --set modelFamily=neox changes it)');
    if (ctx.flags.set !== undefined && ctx.flags.preset === undefined) throw new UsageError('bench: --set changes a preset: give --preset too');
    const shape = ctx.flags.preset !== undefined ? tuningShape(presetFromFlags(presetFlags(ctx.flags)).settings) : undefined;
    const result = await benchTrain({
      steps: int('steps', 1),
      warmup: int('warmup', 0),
      batch: int('batch', 1) ?? shape?.batch,
      seqLen: int('seq', 1) ?? shape?.seqLen,
      ...(shape ? { model: shape.model } : {}),
      family: family as 'llama' | 'neox' | undefined,
      backend: ctx.flags.backend as string | undefined,
      torch: !ctx.flags['skip-torch'],
      torchThreads: int('torch-threads', 1),
      torchDevice: ctx.flags['torch-device'] as string | undefined,
      ablate: typeof ctx.flags.ablate === 'string' ? ctx.flags.ablate.split(',').filter(Boolean) : undefined,
      compare: ctx.flags.compare === true,
      log: ctx.log,
    });
    return { value: result, text: formatBench(result) };
  },
};
