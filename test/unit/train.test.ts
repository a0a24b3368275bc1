import { strict as assert } from 'node:assert';
import { runJsonLinesChild } from './child-process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { selectBackend, tf } from '../../src/backend';
import { Rng } from '../../src/random/rng';
import { BatchStream, cosineLr, makeBatches, train, trainConfig, type TrainEvent } from '../../src/train';
import { batchLossSum } from '../../src/train/loss';
import { toyExamples, toyModel, toyTrainConfig } from '../fixtures/train-child';

before(async () => {
  await selectBackend('cpu');
});

test('cosine schedule: 3% linear warm-up, then down to the floor', () => {
  assert.equal(cosineLr(0, 100, 1), 1 / 3);
  assert.equal(cosineLr(2, 100, 1), 1);
  assert.ok(Math.abs(cosineLr(99, 100, 1, 0.03, 0.1) - 0.1) < 1e-3);
  assert.ok(cosineLr(50, 100, 1) < 0.6 && cosineLr(50, 100, 1) > 0.4);
});

test('instruction batches weight only the response; lm weights all; packing fills rows', () => {
  const ex = [{ prompt: [1, 2], response: [3, 4] }];
  const [b] = makeBatches(ex, [0], { objective: 'instruction', batching: 'pad', batchSize: 1, seqLen: 8, padToken: 0 });
  assert.deepEqual([...b!.ids], [1, 2, 3]);
  assert.deepEqual([...b!.targets], [2, 3, 4]);
  assert.deepEqual([...b!.weights], [0, 1, 1]);
  const [l] = makeBatches(ex, [0], { objective: 'lm', batching: 'pad', batchSize: 1, seqLen: 8, padToken: 0 });
  assert.deepEqual([...l!.weights], [1, 1, 1]);
  const packed = makeBatches([ex[0]!, ex[0]!, ex[0]!], [0, 1, 2], { objective: 'instruction', batching: 'pack', batchSize: 1, seqLen: 5, padToken: 0 });
  assert.deepEqual([...packed[0]!.ids], [1, 2, 3, 4, 1]);
  assert.deepEqual([...packed[0]!.weights], [0, 1, 1, 0, 0], 'an example never predicts the next one');
});

test('the batch stream returns to a recorded position exactly', () => {
  const opts = { objective: 'lm' as const, batching: 'pad' as const, batchSize: 2, seqLen: 8, padToken: 0 };
  const ex = toyExamples(7, 1);
  const a = new BatchStream(ex, opts, new Rng(3));
  for (let i = 0; i < 5; i++) a.next();
  const pos = a.position();
  const want = [a.next(), a.next(), a.next()].map((b) => [...b.ids].join());
  const b = new BatchStream(ex, opts, new Rng(99));
  b.seek(JSON.parse(JSON.stringify(pos)));
  assert.deepEqual([b.next(), b.next(), b.next()].map((x) => [...x.ids].join()), want);
});

test('a small model learns a toy task to near-zero loss (cpu), with events and no leaks', async () => {
  for (const family of ['llama', 'neox'] as const) {
    const model = toyModel(family);
    const events: TrainEvent[] = [];
    const counts: number[] = [];
    const r = await train({
      model,
      train: toyExamples(64, 5),
      eval: toyExamples(8, 6),
      config: trainConfig({ steps: 60, batchSize: 16, seqLen: 8, lr: 2e-2, evalEvery: 20 }),
      padToken: 0,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'step') counts.push(tf.memory().numTensors);
      },
    });
    assert.ok(r.losses.at(-1)! < 0.05, `${family}: final loss ${r.losses.at(-1)} should be near zero`);
    assert.ok(r.evals.at(-1)!.loss < 0.05, `${family}: held-out loss ${r.evals.at(-1)!.loss}`);
    assert.ok(counts.slice(1).every((c) => c === counts[1]), `${family}: numTensors constant per step: ${counts.slice(0, 6)}`);
    const step = events.find((e) => e.type === 'step' && e.step === 10) as Extract<TrainEvent, { type: 'step' }>;
    assert.ok(step.tokensPerSec > 0 && step.etaSec >= 0 && step.lr > 0);
    assert.equal(events.filter((e) => e.type === 'eval').length, 3);
    const n = tf.memory().numTensors;
    model.dispose();
    assert.ok(tf.memory().numTensors < n);
  }
});

test('gradient accumulation of 2 x 4 rows gives the update of one batch of 8 rows', async () => {
  // lm objective on full rows: identical token sets per step either way
  const ex = toyExamples(16, 2).map((e) => ({ prompt: [], response: [...e.prompt, ...e.response] }));
  const run = async (batchSize: number, accumulate: number) => {
    const model = toyModel();
    const r = await train({ model, train: ex, config: trainConfig({ objective: 'lm', batching: 'pack', steps: 1, batchSize, accumulate, seqLen: 6, lr: 1e-2 }), padToken: 0 });
    const w = await model.p('layers.0.attn.wqkv').data();
    model.dispose();
    return { loss: r.losses[0]!, w };
  };
  const one = await run(8, 1);
  const two = await run(4, 2);
  assert.ok(Math.abs(one.loss - two.loss) < 1e-5, `${one.loss} vs ${two.loss}`);
  let maxDiff = 0;
  one.w.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - two.w[i]!))));
  assert.ok(maxDiff < 1e-5, `weights differ by ${maxDiff}`);
});

test('early stopping ends a run whose held-out loss stops improving', async () => {
  const model = toyModel();
  const r = await train({
    model,
    train: toyExamples(16, 5),
    eval: toyExamples(4, 6).map((e) => ({ ...e, response: e.response.map((t) => ((t + 3) % 8) + 2) })),
    config: trainConfig({ steps: 40, batchSize: 8, seqLen: 8, lr: 2e-2, evalEvery: 2, earlyStopPatience: 2 }),
    padToken: 0,
  });
  assert.ok(r.stoppedEarly && r.steps < 40, `stopped at ${r.steps}`);
  model.dispose();
});

function runChild(dir: string, steps: number, killAfter?: number): Promise<{ lines: Record<string, number>[]; killed: boolean }> {
  return runJsonLinesChild<Record<string, number>>(path.join(__dirname, '../fixtures/train-child.ts'), [dir, String(steps)], (line) =>
    killAfter !== undefined && line.step === killAfter);
}

test('a run killed mid-way resumes from its checkpoint to the same losses at the same steps (cpu)', async () => {
  const steps = 12;
  const model = toyModel();
  const straight = await train({ model, train: toyExamples(40, 9), config: toyTrainConfig(steps), padToken: 0 });
  model.dispose();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-resume-'));
  try {
    const first = await runChild(dir, steps, 3);
    assert.ok(first.killed, 'the first run was killed');
    const second = await runChild(dir, steps);
    const resumed = second.lines[0]!.resumed!;
    assert.ok(resumed >= 2 && resumed < steps && resumed % 2 === 0, `resumed at step ${resumed}`);
    const after = second.lines.filter((l) => l.step !== undefined);
    assert.equal(after[0]!.step, resumed + 1);
    assert.equal(after.at(-1)!.step, steps);
    for (const l of [...first.lines, ...after]) {
      if (l.step === undefined) continue;
      assert.equal(l.loss, straight.losses[l.step - 1], `loss at step ${l.step}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('training on wasm with every fast path gives the cpu backend\'s losses', async () => {
  const run = async (backend: string) => {
    await selectBackend(backend);
    const out: number[][] = [];
    for (const family of ['llama', 'neox'] as const) {
      const model = toyModel(family);
      out.push((await train({ model, train: toyExamples(40, 9), config: { ...toyTrainConfig(4), checkpointEvery: 0 }, padToken: 0 })).losses);
      model.dispose();
    }
    return out;
  };
  const wasm = await run('wasm');
  const cpu = await run('cpu');
  wasm.flat().forEach((l, i) => assert.ok(Math.abs(l - cpu.flat()[i]!) < 1e-3, `step ${i}: wasm ${l} vs cpu ${cpu.flat()[i]}`));
});

test('determinism: the same seeds give identical losses; another data seed gives others', async () => {
  const run = async (seed: number) => {
    const model = toyModel();
    const r = await train({ model, train: toyExamples(40, 9), config: { ...toyTrainConfig(3), checkpointEvery: 0, seed }, padToken: 0 });
    model.dispose();
    return r.losses;
  };
  const a = await run(4);
  assert.deepEqual(await run(4), a);
  assert.notDeepEqual(await run(5), a);
});

test('packed batching: whole examples per row, first fit, segment ids, non-padding count', () => {
  const ex = [
    { prompt: [1, 2], response: [3, 4] }, // 4 tokens -> 3 positions
    { prompt: [5], response: [6, 7, 8, 9, 10] }, // 6 tokens -> 5 positions
    { prompt: [11], response: [12] }, // 2 tokens -> 1 position
  ];
  const bs = makeBatches(ex, [0, 1, 2], { objective: 'instruction', batching: 'packed', batchSize: 2, seqLen: 5, padToken: 0, keepLast: true });
  assert.equal(bs.length, 1);
  const b = bs[0]!;
  assert.equal(b.t, 5);
  // row 0: example 0 (3 positions) + example 2 (1 position) by first fit; row 1: example 1
  assert.deepEqual([...b.ids], [1, 2, 3, 11, 0, 5, 6, 7, 8, 9]);
  assert.deepEqual([...b.targets], [2, 3, 4, 12, 0, 6, 7, 8, 9, 10]);
  assert.deepEqual([...b.weights], [0, 1, 1, 1, 0, 1, 1, 1, 1, 1], 'prompt tokens and padding carry no loss');
  assert.deepEqual([...b.segments!], [1, 1, 1, 2, 0, 1, 1, 1, 1, 1]);
  assert.equal(b.realTokens, 9);
  assert.equal(b.examples, 3);
  assert.equal(b.lossTokens, 8);
});

test('packed batching: each example scores exactly as it does alone (block-diagonal attention)', async () => {
  const model = toyModel('llama');
  const ex = toyExamples(9, 7).map((e, i) => ({ prompt: e.prompt, response: e.response.slice(0, 2 + (i % 4)) }));
  const order = ex.map((_, i) => i);
  const pad = makeBatches(ex, order, { objective: 'instruction', batching: 'pad', batchSize: 1, seqLen: 16, padToken: 0, keepLast: true });
  const packed = makeBatches(ex, order, { objective: 'instruction', batching: 'packed', batchSize: 2, seqLen: 16, padToken: 0, keepLast: true });
  assert.ok(packed.length < pad.length, 'packing needs fewer rows');
  const sum = (bs: typeof pad) => bs.reduce((s, b) => s + tf.tidy(() => batchLossSum(model, b).dataSync()[0]!), 0);
  const [a, p] = [sum(pad), sum(packed)];
  assert.ok(Math.abs(a - p) < 1e-6 * Math.abs(a), `summed loss alone ${a} vs packed ${p}`);
  const before = tf.memory().numTensors; // after the model cached its per-length constants
  sum(packed);
  assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
  // without the segment mask the packed rows would read across examples and differ
  const leaky = packed.reduce((s, b) => s + tf.tidy(() => batchLossSum(model, { ...b, segments: undefined }).dataSync()[0]!), 0);
  assert.ok(Math.abs(leaky - a) > 1e-4 * Math.abs(a), `the mask matters: ${leaky} vs ${a}`);
  model.dispose();
});
