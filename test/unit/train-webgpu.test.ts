import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { BackendError, selectBackend, tf } from '../../src/backend';
import { countGpuWork } from '../../src/backend/gpu-work';
import { fastPaths } from '../../src/model/ops';
import { train } from '../../src/train';
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
