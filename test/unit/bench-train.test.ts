/** The training benchmark's judgements (src/bench/train-bench.ts). */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { judgeTorchBlas } from '../../src/bench/train-bench';

test('bench: a PyTorch on a reference BLAS is not a fair anchor for the speed ratio', () => {
  assert.equal(judgeTorchBlas(5.1, 'BLAS_INFO=generic', 'cpu').fair, false);
  assert.match(judgeTorchBlas(5.1, '', 'cpu').why, /libopenblas0-pthread/);
  assert.equal(judgeTorchBlas(80, 'BLAS_INFO=generic', 'cpu').fair, true);
  assert.equal(judgeTorchBlas(NaN, '', 'cpu').fair, false);
  assert.equal(judgeTorchBlas(3, '', 'cuda').fair, true, 'a GPU device does not use the CPU BLAS');
});
