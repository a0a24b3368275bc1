/**
 * What packing buys instruction tuning, measured side by side in one run (docs/world.md,
 * "Spending compute on tokens that teach"):
 * - per batching (`pad`: one example per row, bucketed by length; `packed`: whole examples
 *   side by side, block-diagonal attention), over one epoch of a condition's pool: the
 *   share of computed positions that hold a real token, and examples per step;
 * - then the classroom base model trains a few steps of each, interleaved round by round
 *   so that machine load hits both alike: ms per step, real tokens/s and examples/s.
 *
 *   npx tsx test/bench/tuning-batches.ts [--preset classroom] [--lang el] [--condition en-only] [--rounds 4]
 *
 * (npm run bench:tuning). The base is the committed one (data/world/base-PRESET).
 */
import { selectBackend, tf } from '../../src/backend';
import { resolvePreset } from '../../src/config/presets';
import { baseSpecFromSettings, committedBaseDir, type Condition, tuneSpecFromSettings, tuningExamples } from '../../src/experiments';
import { loadModel } from '../../src/model';
import { Rng } from '../../src/random/rng';
import { AdamW, type Batch, type Batching, batchLossSum, makeBatches } from '../../src/train';
import { buildWorld } from '../../src/world';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

async function main(): Promise<void> {
  const presetName = arg('preset', 'classroom');
  const preset = resolvePreset(presetName);
  const s = preset.settings;
  const lang = arg('lang', s.labLanguages[0]!);
  const condition = arg('condition', 'en-only') as Condition;
  const rounds = Number(arg('rounds', '4'));
  const backend = await selectBackend(s.backend === 'auto' ? 'wasm' : s.backend);
  const loaded = loadModel(committedBaseDir(presetName));
  const tok = loaded.tokenizer!;
  const world = buildWorld(baseSpecFromSettings(s).world);
  const spec = tuneSpecFromSettings(s, { lang, condition, seed: s.seed });
  const { examples, replay } = tuningExamples(world, tok, spec);
  const all = [...examples, ...replay];
  const order = new Rng(1).shuffle(all.map((_, i) => i));
  console.log(`preset ${presetName}, ${lang} ${condition}: ${all.length} examples, rows of ${s.tuneSeqLen} tokens, ${s.tuneBatchSize} rows per step; backend ${backend.name}`);
  const epochs: Record<Batching, Batch[]> = {} as Record<Batching, Batch[]>;
  for (const batching of ['pad', 'packed'] as const) {
    const bs = makeBatches(all, order, { objective: 'instruction', batching, batchSize: s.tuneBatchSize, seqLen: s.tuneSeqLen, padToken: tok.special.pad });
    epochs[batching] = bs;
    const positions = bs.reduce((a, b) => a + b.batch * b.t, 0);
    const real = bs.reduce((a, b) => a + b.realTokens, 0);
    const ex = bs.reduce((a, b) => a + b.examples, 0);
    console.log(`${batching.padEnd(7)} one epoch: ${bs.length} steps, non-padding share ${(real / positions).toFixed(3)}, ${(ex / bs.length).toFixed(1)} examples per step, ${(positions / bs.length).toFixed(0)} positions per step`);
  }
  // timed steps, interleaved: forward, backward and AdamW update on the base model
  const vars = loaded.model.variables();
  const opt = new AdamW(loaded.model.params, { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0 });
  const times: Record<string, number[]> = { pad: [], packed: [] };
  const stats: Record<string, { real: number; ex: number }> = { pad: { real: 0, ex: 0 }, packed: { real: 0, ex: 0 } };
  for (let r = 0; r < rounds + 1; r++) {
    for (const batching of ['pad', 'packed'] as const) {
      const b = epochs[batching][r % epochs[batching].length]!;
      const t0 = performance.now();
      const { value, grads } = tf.variableGrads(() => tf.div(batchLossSum(loaded.model, b), Math.max(1, b.lossTokens)) as tf.Scalar, vars);
      await value.data();
      value.dispose();
      opt.apply(new Map([...loaded.model.params.keys()].map((n, i) => [n, grads[vars[i]!.name]!])), 1e-5);
      for (const g of Object.values(grads)) g.dispose();
      if (r === 0) continue; // warm-up round
      times[batching]!.push(performance.now() - t0);
      stats[batching]!.real += b.realTokens;
      stats[batching]!.ex += b.examples;
    }
  }
  const out: Record<string, number> = {};
  for (const batching of ['pad', 'packed'] as const) {
    const sec = times[batching]!.reduce((a, b) => a + b, 0) / 1000;
    out[batching] = stats[batching]!.ex / sec;
    console.log(`${batching.padEnd(7)} ${(1000 * sec / rounds).toFixed(0).padStart(6)} ms/step  ${(stats[batching]!.real / sec).toFixed(0).padStart(6)} real tokens/s  ${out[batching]!.toFixed(1).padStart(6)} examples/s`);
  }
  console.log(`packed / pad, examples per second: ${(out.packed! / out.pad!).toFixed(2)}`);
  opt.dispose();
  loaded.model.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
