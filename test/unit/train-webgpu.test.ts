import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { BackendError, selectBackend, tf } from '../../src/backend';
import { countGpuWork } from '../../src/backend/gpu-work';
import { adamMoments, adamParam, addSumOfSquares } from '../../src/backend/webgpu-programs';
import { fastPaths, rmsNorm, swiglu } from '../../src/model/ops';
import { Rng } from '../../src/random/rng';
import { AdamW, train } from '../../src/train';
import { toyExamples, toyModel, toyTrainConfig } from '../fixtures/train-child';

async function losses(backend: string, family: 'llama' | 'neox'): Promise<number[]> {
  await selectBackend(backend);
  const model = toyModel(family);
  const r = await train({ model, train: toyExamples(40, 9), config: { ...toyTrainConfig(5), checkpointEvery: 0 }, padToken: 0 });
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

test('a few training steps on webgpu give the cpu backend\'s losses', async (t) => {
  await onWebgpu(t, async () => {
    for (const family of ['llama', 'neox'] as const) {
      const gpu = await losses('webgpu', family);
      const cpu = await losses('cpu', family);
      gpu.forEach((l, i) => assert.ok(Math.abs(l - cpu[i]!) < 1e-3 * Math.max(1, cpu[i]!), `${family} step ${i + 1}: webgpu ${l} vs cpu ${cpu[i]}`));
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

test('fused AdamW kernels on webgpu compute the AdamW update; the gradient norm\'s sum of squares reduces any length', async (t) => {
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
      const out = tf.tidy(() => addSumOfSquares(tf.tensor1d([2.5]), tf.tensor2d(x, [len, 1])));
      const sum = (await out.data())[0]!;
      out.dispose();
      const want = 2.5 + x.reduce((a, b) => a + b * b, 0);
      assert.ok(Math.abs(sum - want) < 1e-4 * want, `length ${len}: ${sum} vs ${want}`);
    }
    assert.throws(() => adamMoments(tf.ones([3]), tf.ones([2]), tf.ones([1]), 0.9, 0.95), /3 values, expected 2 x 2/);
  });
});

test('on webgpu the fused optimiser dispatches fewer kernels a step, with the cpu backend\'s losses over 20 steps, reading them back ten steps at a time; its moments survive a switch of layout', async (t) => {
  const cpu = await (async () => {
    await selectBackend('cpu');
    const model = toyModel('llama');
    const r = await train({ model, train: toyExamples(40, 9), config: { ...toyTrainConfig(20), checkpointEvery: 0 }, padToken: 0 });
    model.dispose();
    return r.losses;
  })();
  await onWebgpu(t, async () => {
    const run = async (on: boolean, steps: number) => {
      fastPaths.fusedAdamW = on;
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
        fastPaths.fusedAdamW = true;
      }
    };
    const fusedRun = await run(true, 20);
    fusedRun.losses.forEach((l, i) => assert.ok(Math.abs(l - cpu[i]!) < 1e-4 * Math.max(1, cpu[i]!), `step ${i + 1}: webgpu ${l} vs cpu ${cpu[i]}`));
    assert.equal(fusedRun.left, 0, 'tensors left behind by 20 fused steps and the disposed model');
    // the loss and the gradient norm are read back ten steps at a time, not every step
    assert.ok(fusedRun.readsPerStep <= 0.5, `${fusedRun.readsPerStep} reads a step`);
    const plain = await run(false, 3);
    assert.ok(fusedRun.perStep < plain.perStep, `dispatches per step: ${fusedRun.perStep} fused, ${plain.perStep} op by op`);
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

test('fused RMSNorm and SwiGLU on webgpu: values and gradients of tfjs\'s ops (RMSNorm for widths below and above a workgroup)', async (t) => {
  await onWebgpu(t, async () => {
    const rng = new Rng(11);
    for (const [n, d] of [[5, 24], [3, 130]] as const) {
      const x = tf.tensor2d(Array.from({ length: n * d }, () => rng.normal()), [n, d]);
      const w = tf.tensor1d(Array.from({ length: d }, () => 1 + rng.normal() / 4));
      const up = tf.tensor2d(Array.from({ length: n * d }, () => rng.normal()), [n, d]);
      const of = async (on: boolean) => {
        fastPaths.fusedOps = on;
        try {
          const y = rmsNorm(x, w, 1e-5);
          const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(rmsNorm(a as tf.Tensor2D, b, 1e-5), up)))([x, w]);
          return Promise.all([y, dx!, dw!].map(async (t) => [...(await t.data())]));
        } finally {
          fastPaths.fusedOps = true;
        }
      };
      const [fusedOut, plainOut] = [await of(true), await of(false)];
      ['y', 'dx', 'dw'].forEach((what, k) => fusedOut[k]!.forEach((v, i) => {
        const want = plainOut[k]![i]!;
        assert.ok(Math.abs(v - want) < 1e-4 * Math.max(1, Math.abs(want)), `[${n}, ${d}] ${what}[${i}]: ${v} vs ${want}`);
      }));
      tf.dispose([x, w, up]);
    }
    // SwiGLU's product and both gradients, far into both tails of the gate
    const gate = tf.tensor2d(Array.from({ length: 60 }, (_, i) => (i - 30) / 2), [6, 10]);
    const upv = tf.tensor2d(Array.from({ length: 60 }, () => rng.normal()), [6, 10]);
    const dy = tf.tensor2d(Array.from({ length: 60 }, () => rng.normal()), [6, 10]);
    const gluOf = async (on: boolean) => {
      fastPaths.fusedOps = on;
      try {
        const [dg, du] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(swiglu(a as tf.Tensor2D, b as tf.Tensor2D), dy)))([gate, upv]);
        return Promise.all([swiglu(gate, upv), dg!, du!].map(async (t) => [...(await t.data())]));
      } finally {
        fastPaths.fusedOps = true;
      }
    };
    const [gf, gp] = [await gluOf(true), await gluOf(false)];
    ['swiglu', 'd gate', 'd up'].forEach((what, k) => gf[k]!.forEach((v, i) => {
      const want = gp[k]![i]!;
      assert.ok(Number.isFinite(v) && Math.abs(v - want) < 1e-4 * Math.max(1, Math.abs(want)), `${what}[${i}]: ${v} vs ${want}`);
    }));
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
