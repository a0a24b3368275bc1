import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { BackendError, selectBackend, tf } from '../../src/backend';
import { train } from '../../src/train';
import { toyExamples, toyModel, toyTrainConfig } from '../fixtures/train-child';

async function losses(backend: string, family: 'llama' | 'neox'): Promise<number[]> {
  await selectBackend(backend);
  const model = toyModel(family);
  const r = await train({ model, train: toyExamples(40, 9), config: { ...toyTrainConfig(5), checkpointEvery: 0 }, padToken: 0 });
  model.dispose();
  return r.losses;
}

test('a few training steps on webgpu give the cpu backend\'s losses', async (t) => {
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
    for (const family of ['llama', 'neox'] as const) {
      const gpu = await losses('webgpu', family);
      const cpu = await losses('cpu', family);
      gpu.forEach((l, i) => assert.ok(Math.abs(l - cpu[i]!) < 1e-3 * Math.max(1, cpu[i]!), `${family} step ${i + 1}: webgpu ${l} vs cpu ${cpu[i]}`));
    }
    assert.equal(tf.getBackend(), 'cpu');
  } finally {
    if (saved !== undefined) process.env.XALIGN_BACKEND = saved;
  }
});
