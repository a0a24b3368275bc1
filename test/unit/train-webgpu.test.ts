import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { BackendError, selectBackend, tf } from '../../src/backend';
import { countGpuWork } from '../../src/backend/gpu-work';
import { adamMoments, adamParam, addSumOfSquares } from '../../src/backend/webgpu';
import { wouldSplitInner } from '../../src/backend/webgpu/matmul';
import { attention as fusedAttention, rotary as fusedRotary, swiglu as fusedSwiglu } from '../../src/model/fused';
import { applyRotary, embed, fastPaths, gelu, layerNorm, rmsNorm, Rotary, swiglu } from '../../src/model/ops';
import { disposeCache, emptyCache, segmentBias, Transformer } from '../../src/model/transformer';
import { modelConfig } from '../../src/model/config';
import { Rng } from '../../src/random/rng';
import { AdamW, train } from '../../src/train';
import { toyExamples, toyModel, toyTrainConfig } from '../fixtures/train-child';

// lavapipe runs workgroups on this many threads: with several, a sum whose order depends
// on which thread comes first (float atomics) shows up as results that differ run to run
process.env.LP_NUM_THREADS ??= '8';

async function losses(backend: string, family: 'llama' | 'neox'): Promise<number[]> {
  await selectBackend(backend);
  const model = toyModel(family);
  const r = await train({ model, train: toyExamples(40, 9), config: { ...toyTrainConfig(20), checkpointEvery: 0 }, padToken: 0 });
  model.dispose();
  return r.losses;
}

/**
 * Runs `body` with webgpu selected and XALIGN_BACKEND unset, skipping the test where no
 * adapter exists; the cpu backend is selected again afterwards.
 */
async function onWebgpu(t: { skip(message: string): void }, body: () => Promise<void>): Promise<void> {
  const saved = process.env.XALIGN_BACKEND;
  delete process.env.XALIGN_BACKEND;
  try {
    try {
      await selectBackend('webgpu');
    } catch (e) {
      if (!(e instanceof BackendError)) throw e;
      t.skip(`webgpu unavailable here (${e.message.replace(/^.*unavailable: /, '')}); bin/setup.sh installs the webgpu package and a lavapipe Dawn accepts where apt is available`);
      return;
    }
    await body();
  } finally {
    await selectBackend('cpu');
    if (saved !== undefined) process.env.XALIGN_BACKEND = saved;
  }
}

test('20 training steps on webgpu, every kernel fused, give the cpu backend\'s losses within 1e-4, in both families', async (t) => {
  await onWebgpu(t, async () => {
    for (const family of ['llama', 'neox'] as const) {
      const gpu = await losses('webgpu', family);
      const cpu = await losses('cpu', family);
      assert.equal(gpu.length, 20);
      gpu.forEach((l, i) => assert.ok(Math.abs(l - cpu[i]!) < 1e-4 * Math.max(1, cpu[i]!), `${family} step ${i + 1}: webgpu ${l} vs cpu ${cpu[i]}`));
    }
    assert.equal(tf.getBackend(), 'cpu');
  });
});

test('the webgpu work counter: a dispatch per kernel, an upload per host tensor, a download per read; nothing on another backend', async (t) => {
  await selectBackend('cpu');
  assert.equal(countGpuWork(), null, 'the cpu backend has no GPU work to count');
  await onWebgpu(t, async () => {
    const counter = countGpuWork()!;
    const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const b = tf.tensor2d([5, 6, 7, 8], [2, 2]);
    const c = tf.relu(tf.matMul(a, b));
    const values = await c.data();
    const w = counter.read();
    counter.stop();
    assert.deepEqual([...values], [19, 22, 43, 50]);
    assert.equal(w.uploads, 2, 'the two host tensors');
    assert.equal(w.uploadBytes, 32);
    assert.ok(w.dispatches >= 2, `matMul and relu: ${w.dispatches} dispatches`);
    assert.equal(w.downloads, 1);
    tf.dispose([a, b, c]);
    const after = countGpuWork()!;
    // small ops on host values may run on the CPU (tfjs forwards them): a matMul always dispatches
    const m = tf.tidy(() => tf.matMul(tf.ones([2, 2]), tf.ones([2, 2])));
    await m.data();
    m.dispose();
    assert.ok(after.read().dispatches >= 1, 'a counter installed again counts afresh');
    after.stop();
  });
});

test('on webgpu the norms\' and the loss\'s gradients make their ones on the device: fewer bytes uploaded per step, the same losses', async (t) => {
  await onWebgpu(t, async () => {
    const run = async (on: boolean) => {
      fastPaths.reduceGrad = on;
      try {
        const model = toyModel('llama');
        const counter = countGpuWork()!;
        const r = await train({ model, train: toyExamples(40, 9), config: { ...toyTrainConfig(3), checkpointEvery: 0 }, padToken: 0 });
        const w = counter.read();
        counter.stop();
        model.dispose();
        return { losses: r.losses, bytes: w.uploadBytes };
      } finally {
        fastPaths.reduceGrad = true;
      }
    };
    const off = await run(false);
    const on = await run(true);
    assert.deepEqual(on.losses, off.losses, 'the same arithmetic');
    assert.ok(on.bytes < off.bytes, `uploaded ${on.bytes} bytes with the device ones, ${off.bytes} without`);
  });
});

test('on webgpu the same seeds give the same losses bit for bit, run after run, with lavapipe on several threads', async (t) => {
  await onWebgpu(t, async () => {
    const runs = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const model = toyModel('llama');
      const r = await train({ model, train: toyExamples(40, 9), config: { ...toyTrainConfig(4), checkpointEvery: 0 }, padToken: 0 });
      model.dispose();
      runs.add(r.losses.join(','));
    }
    assert.equal(runs.size, 1, `different losses from the same seeds: ${[...runs].join(' | ')}`);
  });
});

test('on webgpu the embedding gradient adds repeated ids in order (the cpu backend\'s values, bit for bit) and a long-inner matmul keeps one order', async (t) => {
  const rng = new Rng(11);
  const ids = Array.from({ length: 300 }, () => rng.int(5)); // every id repeated many times
  const dy = Array.from({ length: 300 * 7 }, () => rng.normal());
  const n = 4096; // over the inner length from which tfjs would split a matmul
  const [x, y] = [0, 1].map(() => Array.from({ length: n * 32 }, () => rng.normal()));
  const embedGrad = async () => {
    const table = tf.variable(tf.zeros([6, 7]));
    const idsT = tf.tensor1d(ids, 'int32');
    const g = tf.grad((tb: tf.Tensor) => tf.sum(tf.mul(embed(idsT, tb), tf.tensor2d(dy, [300, 7]))))(table);
    const values = [...(await g.data())];
    tf.dispose([table, idsT, g]);
    return values;
  };
  const product = async () => {
    const m = tf.tidy(() => tf.matMul(tf.tensor2d(x!, [n, 32]), tf.tensor2d(y!, [n, 32]), true, false));
    const values = [...(await m.data())];
    m.dispose();
    return values;
  };
  await selectBackend('cpu');
  const [cpuEmbed, cpuProduct] = [await embedGrad(), await product()];
  assert.ok(wouldSplitInner([n, 32], [n, 32], true, false, 8), 'tfjs would split this product\'s inner length');
  await onWebgpu(t, async () => {
    assert.deepEqual(await embedGrad(), cpuEmbed);
    const first = await product();
    first.forEach((v, i) => assert.ok(Math.abs(v - cpuProduct[i]!) <= 1e-4 * Math.max(1, Math.abs(cpuProduct[i]!)), `product value ${i}: ${v} vs ${cpuProduct[i]}`));
    const bits = new Set([first.join(',')]);
    for (let k = 0; k < 9; k++) bits.add((await product()).join(','));
    assert.equal(bits.size, 1, `${bits.size} different results in 10 runs of the same product`);
  });
});

test('which matmuls tfjs-backend-webgpu would split along the inner dimension: few output tiles, one batch, an inner length of 2,000 or more', () => {
  assert.ok(wouldSplitInner([4096, 32], [4096, 32], true, false, 8));
  assert.ok(wouldSplitInner([32, 4096], [4096, 64], false, false, 8));
  assert.ok(!wouldSplitInner([4096, 128], [4096, 128], true, false, 8), '16 tiles: tfjs tiles it as usual');
  assert.ok(!wouldSplitInner([1999, 32], [1999, 32], true, false, 8), 'inner too short');
  assert.ok(!wouldSplitInner([8, 4096], [4096, 16], false, false, 8), '128 outputs: the reduce program');
  assert.ok(!wouldSplitInner([2, 32, 4096], [2, 4096, 32], false, false, 8), 'batched');
  assert.ok(wouldSplitInner([4096, 128], [4096, 128], true, false, 16), 'a larger threshold (Intel) counts 16 tiles as few');
});

test('fused AdamW kernels on webgpu compute the AdamW update; the gradient norm\'s sum of squares reduces any length, six tensors at once', async (t) => {
  await onWebgpu(t, async () => {
    const rng = new Rng(7);
    const values = (n: number) => Array.from({ length: n }, () => rng.normal());
    const n = 1000; // not a multiple of the workgroup size
    const [p, g, m] = [values(n), values(n), values(n)];
    const v = values(n).map((x) => x * x);
    const o = { beta1: 0.9, beta2: 0.95, s: 0.7, lr: 1e-2, bc1: 0.19, bc2: 0.0975, eps: 1e-8, decay: 1e-3 };
    // the update written out in float64
    const gs = g.map((x) => x * o.s);
    const m1 = m.map((x, i) => x * o.beta1 + gs[i]! * (1 - o.beta1));
    const v1 = v.map((x, i) => x * o.beta2 + gs[i]! * gs[i]! * (1 - o.beta2));
    const p1 = p.map((w, i) => w - ((m1[i]! * o.lr) / o.bc1 / (Math.sqrt(v1[i]! / o.bc2) + o.eps) + w * o.decay));
    const expect = [...m1, ...v1, ...p1];
    const [mv, next] = tf.tidy(() => {
      const mv = adamMoments(tf.tensor1d([...m, ...v]), tf.tensor1d(g), tf.tensor1d([o.s]), o.beta1, o.beta2);
      return [mv, adamParam(tf.tensor1d(p), mv, { lrOverBc1: o.lr / o.bc1, bc2: o.bc2, eps: o.eps, decay: o.decay })];
    });
    const got = [...(await mv!.data()), ...(await next!.data())];
    tf.dispose([mv!, next!]);
    got.forEach((x, i) => assert.ok(Math.abs(x - expect[i]!) <= 1e-5 * Math.max(1, Math.abs(expect[i]!)), `value ${i}: ${x} vs ${expect[i]}`));
    for (const len of [1, 3, 256, 257, 5000]) {
      const x = values(len);
      const out = tf.tidy(() => addSumOfSquares(tf.tensor1d([2.5]), [tf.tensor2d(x, [len, 1])]));
      const sum = (await out.data())[0]!;
      out.dispose();
      const want = 2.5 + x.reduce((a, b) => a + b * b, 0);
      assert.ok(Math.abs(sum - want) < 1e-4 * want, `length ${len}: ${sum} vs ${want}`);
    }
    // six tensors of different lengths at once with a running sum (eight buffers: the most a kernel is sure to get), and three without
    const group = [1, 300, 7, 4096, 64, 513].map(values);
    for (const [acc, xs] of [[1.5, group], [null, group.slice(0, 3)]] as const) {
      const out = tf.tidy(() => addSumOfSquares(acc === null ? null : tf.tensor1d([acc]), xs.map((x) => tf.tensor1d(x))));
      const sum = (await out.data())[0]!;
      out.dispose();
      const want = (acc ?? 0) + xs.flat().reduce((a, b) => a + b * b, 0);
      assert.ok(Math.abs(sum - want) < 1e-4 * want, `${xs.length} tensors, running sum ${acc}: ${sum} vs ${want}`);
    }
    assert.throws(() => tf.tidy(() => addSumOfSquares(null, group.concat([[1]]).map((x) => tf.tensor1d(x)))), /7 tensors, expected 1 to 6/);
    assert.throws(() => adamMoments(tf.ones([3]), tf.ones([2]), tf.ones([1]), 0.9, 0.95), /3 values, expected 2 x 2/);
  });
});

test('on webgpu the fused kernels at least halve the dispatches a step, with the cpu backend\'s losses over 20 steps, reading them back ten steps at a time; its moments survive a switch of layout', async (t) => {
  const cpu = await (async () => {
    await selectBackend('cpu');
    const model = toyModel('llama');
    const r = await train({ model, train: toyExamples(40, 9), config: { ...toyTrainConfig(20), checkpointEvery: 0 }, padToken: 0 });
    model.dispose();
    return r.losses;
  })();
  await onWebgpu(t, async () => {
    // `on`: every webgpu fast path; off: none of them (the optimiser, the model's kernels, the matmuls' transpose flags)
    const run = async (on: boolean, steps: number) => {
      Object.assign(fastPaths, { fusedAdamW: on, fusedOps: on, matmulFlags: on });
      try {
        const tensorsBefore = tf.memory().numTensors;
        const model = toyModel('llama');
        const counter = countGpuWork()!;
        const events: number[] = [];
        const r = await train({ model, train: toyExamples(40, 9), config: { ...toyTrainConfig(steps), checkpointEvery: 0 }, padToken: 0, onEvent: (e) => { if (e.type === 'step') events.push(e.step); } });
        const w = counter.read();
        counter.stop();
        model.dispose();
        assert.deepEqual(events, Array.from({ length: steps }, (_, i) => i + 1), 'one step event a step, in order');
        return { losses: r.losses, perStep: w.dispatches / steps, readsPerStep: w.downloads / steps, left: tf.memory().numTensors - tensorsBefore };
      } finally {
        Object.assign(fastPaths, { fusedAdamW: true, fusedOps: true, matmulFlags: true });
      }
    };
    const fusedRun = await run(true, 20);
    fusedRun.losses.forEach((l, i) => assert.ok(Math.abs(l - cpu[i]!) < 1e-4 * Math.max(1, cpu[i]!), `step ${i + 1}: webgpu ${l} vs cpu ${cpu[i]}`));
    assert.equal(fusedRun.left, 0, 'tensors left behind by 20 fused steps and the disposed model');
    // the loss and the gradient norm are read back ten steps at a time, not every step
    assert.ok(fusedRun.readsPerStep <= 0.5, `${fusedRun.readsPerStep} reads a step`);
    const plain = await run(false, 3);
    assert.ok(fusedRun.perStep <= 0.5 * plain.perStep, `dispatches per step: ${fusedRun.perStep} fused, ${plain.perStep} op by op: not halved`);
    // the moments move between the packed and the separate layout without changing
    const layoutBefore = tf.memory().numTensors;
    const model = toyModel('llama');
    const opt = new AdamW(model.params, { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 });
    const grads = new Map([...model.params].map(([name, p]) => [name, tf.onesLike(p)] as [string, tf.Tensor]));
    opt.apply(grads, 1e-2);
    const packedState = await opt.state();
    fastPaths.fusedAdamW = false;
    try {
      opt.apply(grads, 1e-2);
    } finally {
      fastPaths.fusedAdamW = true;
    }
    const after = await opt.state();
    for (const [key, s] of packedState) {
      assert.deepEqual(s.shape, after.get(key)!.shape, key);
      // m = 0.1 after one step of ones, 0.19 after two; v = 0.05, then 0.0975
      const want = key.startsWith('m.') ? [0.1, 0.19] : [0.05, 0.0975];
      assert.ok(Math.abs(s.data[0]! - want[0]!) < 1e-6 && Math.abs(after.get(key)!.data[0]! - want[1]!) < 1e-6, `${key}: ${s.data[0]}, then ${after.get(key)!.data[0]}`);
    }
    tf.dispose([...grads.values()]);
    opt.dispose();
    model.dispose();
    assert.equal(tf.memory().numTensors, layoutBefore, 'the layout switches leave no tensor behind');
  });
});

/** `f`'s value and its gradients for `inputs` against the upstream gradient `dy`, as arrays. */
async function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], dy: tf.Tensor): Promise<number[][]> {
  const out = tf.tidy(() => [f(...inputs), ...tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), dy)))(inputs)]);
  const values = await Promise.all(out.map(async (t) => [...(await t.data())]));
  tf.dispose(out);
  return values;
}

/** {@link valueAndGrads} with the fused kernels, and op by op. */
async function fusedAndPlain(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], dy: tf.Tensor): Promise<[number[][], number[][]]> {
  const of = async (on: boolean) => {
    fastPaths.fusedOps = on;
    try {
      return await valueAndGrads(f, inputs, dy);
    } finally {
      fastPaths.fusedOps = true;
    }
  };
  return [await of(true), await of(false)];
}

function assertClose(got: number[][], want: number[][], names: string[], what: string, tol = 1e-4): void {
  assert.equal(got.length, want.length);
  names.forEach((name, k) => {
    assert.equal(got[k]!.length, want[k]!.length, `${what} ${name}: size`);
    got[k]!.forEach((v, i) => {
      const w = want[k]![i]!;
      assert.ok(Number.isFinite(v) && Math.abs(v - w) < tol * Math.max(1, Math.abs(w)), `${what} ${name}[${i}]: ${v} vs ${w}`);
    });
  });
}

test('fused RMSNorm and SwiGLU on webgpu: values and gradients of tfjs\'s ops (RMSNorm for widths below and above a workgroup)', async (t) => {
  await onWebgpu(t, async () => {
    const rng = new Rng(11);
    const normal = (shape: number[], mean = 0, sd = 1) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => mean + sd * rng.normal()), shape);
    for (const [n, d] of [[5, 24], [3, 130], [70, 8]] as const) {
      const [x, w, dy] = [normal([n, d]), normal([d], 1, 0.25), normal([n, d])];
      const [got, want] = await fusedAndPlain((a, g) => rmsNorm(a as tf.Tensor2D, g!, 1e-5), [x, w], dy);
      assertClose(got, want, ['y', 'dx', 'dw'], `RMSNorm [${n}, ${d}]`);
      tf.dispose([x, w, dy]);
    }
    // SwiGLU on gate and up side by side, the gate far into both tails
    const [n, f] = [6, 10];
    const gu = tf.tensor2d(Array.from({ length: n * 2 * f }, (_, i) => (i % (2 * f) < f ? ((i % (2 * f)) - 5 + 10 * Math.floor(i / (2 * f)) - 25) / 2 : rng.normal())), [n, 2 * f]);
    const dy = normal([n, f]);
    const got = await valueAndGrads((x) => fusedSwiglu(x as tf.Tensor2D), [gu], dy);
    const want = await valueAndGrads((x) => swiglu(tf.slice(x as tf.Tensor2D, [0, 0], [n, f]), tf.slice(x as tf.Tensor2D, [0, f], [n, f])), [gu], dy);
    assertClose(got, want, ['swiglu', 'd gate and up'], 'SwiGLU');
    tf.dispose([gu, dy]);
  });
});

test('fused LayerNorm, GELU and rotary embedding on webgpu: values and gradients of tfjs\'s ops', async (t) => {
  await onWebgpu(t, async () => {
    const rng = new Rng(12);
    const normal = (shape: number[], mean = 0, sd = 1) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => mean + sd * rng.normal()), shape);
    for (const [n, d] of [[5, 24], [3, 130], [70, 8]] as const) {
      // rows far from zero mean, as a residual stream is
      const [x, w, b, dy] = [normal([n, d], 3, 2), normal([d], 1, 0.25), normal([d]), normal([n, d])];
      const [got, want] = await fusedAndPlain((a, g, c) => layerNorm(a as tf.Tensor2D, g!, c!, 1e-5), [x, w, b], dy);
      assertClose(got, want, ['y', 'dx', 'dw', 'db'], `LayerNorm [${n}, ${d}]`);
      tf.dispose([x, w, b, dy]);
    }
    // GELU far into both tails
    const [x, dy] = [tf.tensor1d(Array.from({ length: 90 }, (_, i) => (i - 45) / 4)), normal([90])];
    const [got, want] = await fusedAndPlain((a) => gelu(a), [x], dy);
    assertClose(got, want, ['gelu', 'dx'], 'GELU');
    tf.dispose([x, dy]);
    // two heads of 8 with the first 4 dimensions rotated (NeoX's partial rotary), and LLaMA's full rotation
    for (const [rot, frac] of [[new Rotary(2, 8, 4, 10000), 'partial'], [new Rotary(3, 4, 4, 10000), 'full']] as const) {
      const [b, tt] = [3, 5];
      const perm = tf.tensor2d(rot.permutation(), [rot.d, rot.d]);
      const rotate = (x: tf.Tensor2D) => tf.matMul(x, perm) as tf.Tensor2D;
      const shared = rot.tables(Array.from({ length: tt }, (_, i) => i));
      const own = rot.tables(Array.from({ length: b * tt }, (_, i) => (i * 7) % 11));
      for (const [tables, shape, label] of [[shared, [tt, rot.d], 'shared'], [own, [b, tt, rot.d], 'per-row']] as const) {
        const [cos, sin] = [tf.tensor(tables.cos, [...shape]), tf.tensor(tables.sin, [...shape])];
        const [x, dy] = [normal([b * tt, rot.d]), normal([b * tt, rot.d])];
        const [got, want] = await fusedAndPlain((a) => applyRotary(a as tf.Tensor2D, cos, sin, rotate, b, tt, rot), [x], dy);
        assertClose(got, want, ['y', 'dx'], `rotary, ${frac}, ${label} positions`, 1e-5);
        // q, k and v side by side: q and k rotated, v as it was
        const [qkv, dqkv] = [normal([b * tt, 3 * rot.d]), normal([b * tt, 3 * rot.d])];
        const part = (a: tf.Tensor, j: number) => tf.slice(a as tf.Tensor2D, [0, j * rot.d], [b * tt, rot.d]);
        const packed = await valueAndGrads((a) => fusedRotary(a as tf.Tensor2D, cos, sin, rot, 2 * rot.d), [qkv], dqkv);
        fastPaths.fusedOps = false;
        let apart: number[][];
        try {
          apart = await valueAndGrads((a) => tf.concat([applyRotary(part(a, 0), cos, sin, rotate, b, tt, rot), applyRotary(part(a, 1), cos, sin, rotate, b, tt, rot), part(a, 2)], 1), [qkv], dqkv);
        } finally {
          fastPaths.fusedOps = true;
        }
        assertClose(packed, apart, ['y', 'dx'], `rotary of q and k side by side, ${frac}, ${label} positions`, 1e-5);
        assert.throws(() => fusedRotary(qkv as tf.Tensor2D, cos, sin, rot, rot.d + 1), /rotated columns of .*not whole blocks/);
        tf.dispose([cos, sin, x, dy, qkv, dqkv]);
      }
      perm.dispose();
    }
  });
});

/** Softmax attention op by op on qkv [b * t, 3d], heads moved to the batch axis and back (the model's own path, written again). */
function referenceAttention(qkv: tf.Tensor2D, bias: tf.Tensor, b: number, tt: number, heads: number): tf.Tensor2D {
  const d = qkv.shape[1] / 3;
  const hd = d / heads;
  const [q, k, v] = tf.split(qkv, 3, 1) as tf.Tensor2D[];
  const split = (x: tf.Tensor2D) => tf.transpose(tf.reshape(x, [b, tt, heads, hd]), [0, 2, 1, 3]);
  const scores = tf.add(tf.mul(tf.matMul(split(q!), split(k!), false, true), 1 / Math.sqrt(hd)), tf.reshape(bias, bias.size === tt * tt ? [tt, tt] : [b, 1, tt, tt]));
  return tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores), split(v!)), [0, 2, 1, 3]), [b * tt, d]) as tf.Tensor2D;
}

test('fused attention on webgpu: values and gradients of softmax attention, with causal, packed and padded masks and several head sizes', async (t) => {
  await onWebgpu(t, async () => {
    const rng = new Rng(13);
    const normal = (shape: number[], sd = 1) => tf.tensor(Array.from({ length: shape.reduce((a, c) => a * c, 1) }, () => sd * rng.normal()), shape);
    const causal = (tt: number) => tf.tensor2d(Array.from({ length: tt * tt }, (_, i) => (i % tt > Math.floor(i / tt) ? -1e9 : 0)), [tt, tt]);
    const cases = [
      { b: 2, tt: 5, heads: 2, d: 16, mask: 'causal' },
      { b: 3, tt: 9, heads: 1, d: 32, mask: 'packed' },
      { b: 2, tt: 70, heads: 3, d: 24, mask: 'padded' }, // a sequence longer than a workgroup
      { b: 1, tt: 6, heads: 1, d: 128, mask: 'causal' }, // a head of 128
    ] as const;
    for (const { b, tt, heads, d, mask } of cases) {
      let bias: tf.Tensor;
      if (mask === 'causal') bias = causal(tt);
      else if (mask === 'packed') {
        // two examples in the first row, then padding (segment 0); one example in the others
        const seg = Int32Array.from({ length: b * tt }, (_, i) => (i < tt ? (i < 4 ? 1 : i < 7 ? 2 : 0) : 3));
        bias = segmentBias(seg, b, tt);
      } else {
        // left padding in the second sequence masks its first keys, as in the model's forward pass
        const keyMask = tf.tensor4d(Array.from({ length: b * tt }, (_, i) => (i >= tt && i < tt + 3 ? -1e9 : 0)), [b, 1, 1, tt]);
        const c = causal(tt);
        bias = tf.add(c, keyMask);
        tf.dispose([keyMask, c]);
      }
      // large scores, so that the softmax is far from uniform
      const [qkv, dy] = [tf.concat([normal([b * tt, 2 * d], 2), normal([b * tt, d])], 1), normal([b * tt, d])];
      const got = await valueAndGrads((x) => fusedAttention(x as tf.Tensor2D, bias, { batch: b, t: tt, heads, scale: 1 / Math.sqrt(d / heads), causal: mask !== 'padded' }), [qkv], dy);
      const want = await valueAndGrads((x) => referenceAttention(x as tf.Tensor2D, bias, b, tt, heads), [qkv], dy);
      assertClose(got, want, ['output', 'd qkv'], `attention b ${b} t ${tt} heads ${heads} d ${d}, ${mask}`);
      tf.dispose([bias, qkv, dy]);
    }
    const x = tf.zeros([6, 24]) as tf.Tensor2D;
    assert.throws(() => fusedAttention(x, tf.zeros([4]), { batch: 2, t: 3, heads: 2, scale: 1, causal: true }), /bias of 4 values, expected t x t = 9 or batch x t x t = 18/);
    assert.throws(() => fusedAttention(x, tf.zeros([9]), { batch: 2, t: 4, heads: 2, scale: 1, causal: true }), /6 rows, expected batch 2 x t 4/);
    assert.throws(() => fusedAttention(x, tf.zeros([9]), { batch: 2, t: 3, heads: 5, scale: 1, causal: true }), /qkv width 24 is not 3 x a multiple of 5 heads/);
    x.dispose();
    // a head above the kernels' largest: the kernel refuses it, and the model takes tfjs's ops instead
    assert.throws(() => fusedAttention(tf.zeros([2, 3 * 260]) as tf.Tensor2D, tf.zeros([4]), { batch: 1, t: 2, heads: 1, scale: 1, causal: true }), /head size 260 above the kernels' 256/);
    const wide = new Transformer(modelConfig({ family: 'llama', vocabSize: 8, dModel: 260, nLayers: 1, nHeads: 1, dFf: 16, maxSeqLen: 4 }), new Rng(2));
    const ids = tf.tensor2d([1, 2, 3, 4], [1, 4], 'int32');
    const logits = async (on: boolean) => {
      fastPaths.fusedOps = on;
      try {
        const l = tf.tidy(() => wide.logits2d(ids));
        const v = [...(await l.data())];
        l.dispose();
        return v;
      } finally {
        fastPaths.fusedOps = true;
      }
    };
    assertClose([await logits(true)], [await logits(false)], ['logits'], 'head of 260');
    tf.dispose(ids);
    wide.dispose();
  });
});

test('a whole model on webgpu with the fused kernels: the logits and every parameter\'s gradient as op by op, for both families, packed rows and padded input; decoding with a cache too', async (t) => {
  await onWebgpu(t, async () => {
    for (const family of ['llama', 'neox'] as const) {
      const model = new Transformer(modelConfig({ family, vocabSize: 20, dModel: 32, nLayers: 2, nHeads: 4, dFf: 48, maxSeqLen: 16 }), new Rng(3));
      const rng = new Rng(5);
      const [b, tt] = [3, 10];
      const ids = tf.tensor2d(Array.from({ length: b * tt }, () => rng.int(20)), [b, tt], 'int32');
      const seg = Int32Array.from([1, 1, 1, 1, 1, 1, 2, 2, 2, 0, ...Array(10).fill(3), 4, 4, 4, 4, 4, 5, 5, 5, 5, 5]);
      const mask = tf.tensor2d(Array.from({ length: b * tt }, (_, i) => (i % tt < (i < tt ? 2 : 0) ? 0 : 1)), [b, tt]);
      const of = async (on: boolean) => {
        fastPaths.fusedOps = on;
        try {
          const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(model.logits2d(ids, seg))) as tf.Scalar);
          const f = model.forward(ids, { attentionMask: mask, hidden: true });
          const out = [value, ...Object.keys(grads).sort().map((key) => grads[key]!), f.logits, ...f.meanHidden!];
          const values = await Promise.all(out.map(async (x) => [...(await x.data())]));
          tf.dispose([...out, ...f.hidden!]);
          return values;
        } finally {
          fastPaths.fusedOps = true;
        }
      };
      const [got, want] = [await of(true), await of(false)];
      assertClose(got, want, got.map((_, i) => `output ${i}`), family);
      // decoding with a key/value cache (rotary at each row's own positions; the second row left-padded), then one token more
      const decode = async (on: boolean) => {
        fastPaths.fusedOps = on;
        const cache = emptyCache();
        try {
          const prompt = tf.tensor2d([3, 4, 5, 6, 0, 0, 7, 8], [2, 4], 'int32');
          const next = tf.tensor2d([9, 10], [2, 1], 'int32');
          const first = model.step(prompt, [0, 1, 2, 3, 0, 0, 0, 1], [1, 1, 1, 1, 0, 0, 1, 1], cache);
          const second = model.step(next, [4, 2], [1, 1, 1, 1, 1, 0, 0, 1, 1, 1], cache);
          const values = [[...(await first.data())], [...(await second.data())]];
          tf.dispose([prompt, next, first, second]);
          return values;
        } finally {
          disposeCache(cache);
          fastPaths.fusedOps = true;
        }
      };
      assertClose(await decode(true), await decode(false), ['prompt logits', 'next logits'], `${family} decoding`);
      tf.dispose([ids, mask]);
      model.dispose();
    }
  });
});

// last in this file: it destroys the webgpu device, which this process cannot get back
test('a lost WebGPU device stops training with an error that names the step and the checkpoint; the run resumes from it on another backend', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-device-lost-'));
  try {
    let resumedAt: number | undefined;
    await onWebgpu(t, async () => {
      const model = toyModel('llama');
      const device = (tf.backend() as unknown as { device: { destroy(): void } }).device;
      await assert.rejects(
        train({ model, train: toyExamples(40, 9), config: toyTrainConfig(8), padToken: 0, checkpointDir: dir, onEvent: (e) => { if (e.type === 'step' && e.step === 3) device.destroy(); } }),
        (err: Error) => /WebGPU device was lost during training, after step [34] \(destroyed/.test(err.message) && err.message.includes(`goes on from its last checkpoint, step 2 in ${dir}`),
      );
      // the same run on the cpu backend picks up the checkpoint written before the loss
      await selectBackend('cpu');
      const again = toyModel('llama');
      const r = await train({ model: again, train: toyExamples(40, 9), config: toyTrainConfig(8), padToken: 0, checkpointDir: dir, onEvent: (e) => { if (e.type === 'resume') resumedAt = e.step; } });
      again.dispose();
      assert.equal(r.steps, 8);
      assert.equal(resumedAt, 2, 'resumed from the checkpoint of step 2');
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
