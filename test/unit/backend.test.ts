import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, test } from 'node:test';
import { BackendError, selectBackend, tf } from '../../src/backend';

const saved = process.env.XALIGN_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.XALIGN_BACKEND;
  else process.env.XALIGN_BACKEND = saved;
});

test('auto picks a backend that works, and explains what it skipped', async () => {
  delete process.env.XALIGN_BACKEND;
  const choice = await selectBackend('auto');
  assert.equal(tf.getBackend(), choice.name);
  assert.ok(choice.probes.at(-1)!.available);
  assert.ok(choice.probes.slice(0, -1).every((p) => !p.available));
  assert.match(choice.reason, /fastest available/);
  const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync());
  assert.equal(y[0], 11);
});

test('a forced backend is used and the reason names who forced it', async () => {
  process.env.XALIGN_BACKEND = 'cpu';
  const choice = await selectBackend('auto');
  assert.equal(choice.name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.match(choice.reason, /forced by XALIGN_BACKEND/);
});

test('the preset setting forces a backend when XALIGN_BACKEND is unset', async () => {
  delete process.env.XALIGN_BACKEND;
  const choice = await selectBackend('wasm');
  assert.equal(choice.name, 'wasm');
  assert.match(choice.reason, /forced by the preset/);
  assert.equal(typeof choice.flags.simd, 'boolean');
});

test('an unknown or unavailable forced backend is an error that says why', async () => {
  process.env.XALIGN_BACKEND = 'tpu';
  await assert.rejects(selectBackend(), (e: unknown) => e instanceof BackendError && /unknown backend "tpu"/.test(e.message));
  delete process.env.XALIGN_BACKEND;
  // tfjs-node cannot be installed on the project's machines; where a user has it, this case does not apply
  let hasNode = true;
  try {
    require.resolve('@tensorflow/tfjs-node');
  } catch {
    hasNode = false;
  }
  if (!hasNode) {
    await assert.rejects(selectBackend('tensorflow'), /backend "tensorflow" forced by the preset is unavailable: .*not installed/);
  }
});

test("Dawn's limit warnings reach stderr only when webgpu is chosen", (t) => {
  const env = { ...process.env };
  delete env.XALIGN_BACKEND;
  const bin = path.resolve(__dirname, '../../bin/xalign.cjs');
  const auto = spawnSync(process.execPath, [bin, 'backend', '--json'], { encoding: 'utf8', env });
  assert.equal(auto.status, 0, auto.stderr);
  const choice = JSON.parse(auto.stdout) as { name: string; probes: { name: string; detail: string }[] };
  if (choice.name === 'webgpu') return t.skip('webgpu is chosen here, so its warnings are expected');
  assert.doesNotMatch(auto.stderr, /artificially reduced/);
  const webgpu = choice.probes.find((p) => p.name === 'webgpu')!;
  if (!/software adapter/.test(webgpu.detail)) return; // no adapter that warns: nothing more to compare
  const forced = spawnSync(process.execPath, [bin, 'backend'], { encoding: 'utf8', env: { ...env, XALIGN_BACKEND: 'webgpu' } });
  assert.equal(forced.status, 0, forced.stderr);
  assert.match(forced.stderr, /artificially reduced/, 'forced webgpu on this adapter: Dawn\'s warnings should still be shown');
});
