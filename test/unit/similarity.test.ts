import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { floatToHalf, halfToFloat, parseNpy, readNpy, retrievalSimilarity, writeNpy } from '../../src/similarity';

const m = (rows: number, cols: number, data: number[]) => ({ rows, cols, data });

test('identical representations: gamma = top-1 = MRR = 1', () => {
  const e = m(3, 2, [1, 0, 0, 1, 1, 1]);
  const r = retrievalSimilarity(e, e);
  assert.deepEqual([r.similarity, r.top1, r.mrr, r.n], [1, 1, 1, 3]);
});

test('a hand-computed case', () => {
  // English rows: e0 = (1,0), e1 = (0,1), e2 = (1,1).
  // Other rows:   f0 = (0,1), f1 = (0,1), f2 = (1,1).
  // e0: cos to f0 0, f1 0, f2 0.707 -> f0 ties with f1, f2 ahead -> rank 3.
  // e1: cos f0 1, f1 1, f2 0.707 -> f0 ties with f1 -> rank 2.
  // e2: cos f0 0.707, f1 0.707, f2 1 -> rank 1.
  const r = retrievalSimilarity(m(3, 2, [1, 0, 0, 1, 1, 1]), m(3, 2, [0, 1, 0, 1, 1, 1]));
  assert.deepEqual(r.ranks, [3, 2, 1]);
  assert.ok(Math.abs(r.similarity - (1 / 3 + 2 / 3 + 1) / 3) < 1e-12);
  assert.ok(Math.abs(r.top1 - 1 / 3) < 1e-12);
  assert.ok(Math.abs(r.mrr - (1 / 3 + 1 / 2 + 1) / 3) < 1e-12);
});

test('constant representations score 1/n, never 0', () => {
  const r = retrievalSimilarity(m(4, 2, [1, 1, 1, 1, 1, 1, 1, 1]), m(4, 2, [2, 2, 2, 2, 2, 2, 2, 2]));
  assert.equal(r.similarity, 1 / 4);
  assert.equal(r.top1, 0);
});

test('errors: shapes differ, zero rows, non-finite values', () => {
  assert.throws(() => retrievalSimilarity(m(2, 2, [1, 0, 0, 1]), m(1, 2, [1, 0]), ['a.npy', 'b.npy']), /a\.npy is 2 x 2 but b\.npy is 1 x 2/);
  assert.throws(() => retrievalSimilarity(m(2, 2, [1, 0, 0, 0]), m(2, 2, [1, 0, 0, 1])), /row 1 is all zeros/);
  assert.throws(() => retrievalSimilarity(m(2, 2, [1, NaN, 0, 1]), m(2, 2, [1, 0, 0, 1])), /not finite/);
});

test('half precision encodes and decodes exactly representable values', () => {
  for (const v of [0, 1, -2, 0.5, 65504, 2 ** -24, 1 / 3]) {
    const back = halfToFloat(floatToHalf(v));
    assert.ok(Math.abs(back - v) <= Math.abs(v) * 2 ** -11 + 1e-12, `${v} -> ${back}`);
  }
  assert.equal(halfToFloat(0x3c00), 1);
  assert.equal(halfToFloat(0xc000), -2);
  assert.equal(halfToFloat(0x7c00), Infinity);
});

test('.npy round trip in float16, float32 and float64', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-npy-'));
  const data = [0.5, -1.25, 3, 4.75, 1024, -0.125];
  for (const dtype of ['float16', 'float32', 'float64'] as const) {
    const file = path.join(dir, `${dtype}.npy`);
    writeNpy(file, data, [2, 3], dtype);
    const a = readNpy(file);
    assert.equal(a.dtype, dtype);
    assert.deepEqual(a.shape, [2, 3]);
    assert.deepEqual([...a.data], data);
    assert.equal((fs.statSync(file).size - 6 * { float16: 2, float32: 4, float64: 8 }[dtype]) % 64, 0, 'header padded to 64 bytes');
  }
});

function rawNpy(header: string, payload: Uint8Array, version = 1): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  const out = new Uint8Array(pre + header.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[pre + i] = header.charCodeAt(i);
  out.set(payload, pre + header.length);
  return out;
}

test('.npy: big-endian and version 2 are read; Fortran order, integers, truncation are errors', () => {
  const be = new Uint8Array(16);
  new DataView(be.buffer).setFloat64(0, 1.5, false);
  new DataView(be.buffer).setFloat64(8, -2, false);
  assert.deepEqual([...parseNpy(rawNpy("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }\n", be), 'be.npy').data], [1.5, -2]);
  const le = new Uint8Array(new Float32Array([1, 2]).buffer);
  assert.deepEqual([...parseNpy(rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", le, 2)).data], [1, 2]);
  assert.throws(() => parseNpy(rawNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }\n", le), 'f.npy'), /f\.npy: .*Fortran order/);
  assert.throws(() => parseNpy(rawNpy("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }\n", le), 'i.npy'), /i\.npy: dtype '<i4' is not supported/);
  assert.throws(() => parseNpy(rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n", le), 't.npy'), /t\.npy: expected 16 bytes/);
  assert.throws(() => parseNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), 'x.npy'), /x\.npy: not a \.npy file/);
});
