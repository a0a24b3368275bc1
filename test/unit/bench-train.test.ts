/** The training benchmark's judgements and options (src/bench/train-bench.ts, xalign bench train). */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { judgeTorchBlas } from '../../src/bench/train-bench';
import { resolvePreset } from '../../src/config/presets';

test('bench: a PyTorch on a reference BLAS is not a fair anchor for the speed ratio', () => {
  assert.equal(judgeTorchBlas(5.1, 'BLAS_INFO=generic', 'cpu').fair, false);
  assert.match(judgeTorchBlas(5.1, '', 'cpu').why, /libopenblas0-pthread/);
  assert.equal(judgeTorchBlas(80, 'BLAS_INFO=generic', 'cpu').fair, true);
  assert.equal(judgeTorchBlas(NaN, '', 'cpu').fair, false);
  assert.equal(judgeTorchBlas(3, '', 'cuda').fair, true, 'a GPU device does not use the CPU BLAS');
});

test('bench --preset times the preset\'s own model at its tuning batch', () => {
  const r = spawnSync(process.execPath, [path.resolve(__dirname, '../../bin/xalign.cjs'), 'bench', 'train', '--preset', 'smoke', '--set', 'modelDim=48',
    '--steps', '1', '--warmup', '0', '--seq', '24', '--backend', 'cpu', '--skip-torch', '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  const smoke = resolvePreset('smoke').settings;
  assert.deepEqual([v.model.dModel, v.model.nLayers, v.model.vocabSize, v.batch, v.seqLen], [48, smoke.modelLayers, smoke.worldBpeVocab, smoke.tuneBatchSize, 24]);
  assert.ok(v.tfjs.tokensPerSec > 0);
  const both = spawnSync(process.execPath, [path.resolve(__dirname, '../../bin/xalign.cjs'), 'bench', 'train', '--preset', 'smoke', '--family', 'neox'], { encoding: 'utf8' });
  assert.equal(both.status, 2);
});
