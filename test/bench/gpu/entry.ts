/**
 * Entry of the self-contained GPU benchmark bundle (test/bench/gpu/build-bundle.sh bundles
 * it with esbuild so the GPU machine, which has no Node.js packages, needs only the
 * node binary, this bundle and dawn.node). Usage:
 *   node bench.cjs probe                     # which backends start, and why
 *   node bench.cjs train [--backend B] [--steps N] [--family F] [--torch-device D] [--batch N] [--seq N] [--skip-torch]
 *                        [--ablate KEY,...] [--compare] [--preset P [--set k=v ...]]
 * Prints the human-readable figures on stderr and one JSON document on stdout.
 */
import { parseArgs } from 'node:util';
import { selectBackend } from '../../../src/backend';
import { benchTrain, formatBench } from '../../../src/bench/train-bench';
import { tuningShape } from '../../../src/experiments/cost';
import { presetFromFlags } from '../../../src/session';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      backend: { type: 'string' },
      steps: { type: 'string' },
      warmup: { type: 'string' },
      family: { type: 'string' },
      preset: { type: 'string' },
      set: { type: 'string', multiple: true },
      batch: { type: 'string' },
      seq: { type: 'string' },
      'torch-device': { type: 'string' },
      'torch-threads': { type: 'string' },
      'skip-torch': { type: 'boolean', default: false },
      ablate: { type: 'string' },
      compare: { type: 'boolean', default: false },
    },
  });
  if (positionals[0] === 'probe') {
    const choice = await selectBackend(values.backend ?? 'auto');
    process.stdout.write(JSON.stringify(choice, null, 2) + '\n');
    return;
  }
  const n = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  // --preset: the preset's own model at its tuning batch (what `xalign plan --tokens-per-s` takes)
  const shape = values.preset ? tuningShape(presetFromFlags({ preset: values.preset, ...(values.set ? { set: values.set } : {}) }).settings) : undefined;
  const r = await benchTrain({
    backend: values.backend,
    steps: n(values.steps),
    warmup: n(values.warmup),
    family: values.family as 'llama' | 'neox' | undefined,
    batch: n(values.batch) ?? shape?.batch,
    seqLen: n(values.seq) ?? shape?.seqLen,
    ...(shape ? { model: shape.model } : {}),
    torch: !values['skip-torch'],
    torchDevice: values['torch-device'],
    torchThreads: n(values['torch-threads']),
    ablate: values.ablate ? values.ablate.split(',') : [],
    compare: values.compare,
    log: (l) => process.stderr.write(l + '\n'),
  });
  process.stderr.write(formatBench(r) + '\n');
  process.stdout.write(JSON.stringify(r) + '\n');
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + '\n');
  process.exit(1);
});
