/** Exact PCA, alignment measures and the layer folders of src/representations, the pooling they rely on, and `xalign represent`. */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { selectBackend } from '../../src/backend';
import { meanStates } from '../../src/experiments';
import { modelConfig } from '../../src/model/config';
import { BpeTokenizer } from '../../src/model/tokenizer';
import { Transformer } from '../../src/model/transformer';
import { Rng } from '../../src/random/rng';
import { alignment, layerFile, linearCka, pca, readLayerDir, writeLayerDir } from '../../src/representations';
import { writeNpy } from '../../src/similarity';

before(async () => {
  await selectBackend('cpu');
});

const matrix = (rows: number[][]) => ({ rows: rows.length, cols: rows[0]!.length, data: rows.flat() });
const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} != ${b}`);
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-repr-'));

test('pca: a hand-checked case (variances 8/3 and 2/3, signs by the largest entry), and rank-deficient input without NaN', () => {
  const r = pca(matrix([[1, 0], [-1, 0], [0, 2], [0, -2]]), 2);
  [8 / 3, 2 / 3].forEach((v, i) => close(r.explainedVariance[i]!, v));
  [0.8, 0.2].forEach((v, i) => close(r.explainedVarianceRatio[i]!, v));
  [Math.sqrt(8), Math.sqrt(2)].forEach((v, i) => close(r.singularValues[i]!, v));
  assert.deepEqual(r.components.map((c) => c.map((v) => Math.round(v * 1e9) / 1e9)), [[0, 1], [1, 0]]);
  assert.deepEqual(r.projection.map((p) => p.map((v) => Math.round(v * 1e9) / 1e9 + 0)), [[0, 1], [0, -1], [2, 0], [-2, 0]]);
  // rows on one line through the mean: one direction carries all the variance
  const flat = pca(matrix([[1, 2, 3], [2, 4, 6], [3, 6, 9], [4, 8, 12]]), 3);
  close(flat.explainedVarianceRatio[0]!, 1);
  assert.ok(flat.explainedVariance.slice(1).every((v) => Math.abs(v) < 1e-9) && flat.singularValues.every(Number.isFinite));
  const comp = flat.components[0]!;
  const norm = Math.hypot(1, 2, 3);
  [1, 2, 3].forEach((v, i) => close(comp[i]!, v / norm));
  assert.throws(() => pca(matrix([[1, Number.NaN], [0, 1]]), 1, 'x.npy'), /x\.npy: row 0, column 1 is not finite/);
  assert.throws(() => pca(matrix([[1, 2]]), 1, 'x.npy'), /x\.npy has 1 row\(s\)/);
  assert.throws(() => pca(matrix([[1, 2], [3, 4]]), 3, 'x.npy'), /x\.npy has 2 columns; cannot take 3 components/);
});

test('pca: matches numpy\'s SVD of the centred matrix (variances, singular values, components up to the stated sign)', (t) => {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return t.skip('python3 with numpy is not installed');
  const rng = new Rng(7);
  const [n, d] = [40, 6];
  const data = Array.from({ length: n * d }, (_, i) => rng.normal() * (1 + (i % d)));
  const dir = tmp();
  try {
    const file = path.join(dir, 'x.npy');
    writeNpy(file, data, [n, d], 'float64');
    const py = `import numpy as np, json\nx=np.load(${JSON.stringify(file)})\nc=x-x.mean(0)\nu,s,vt=np.linalg.svd(c,full_matrices=False)\nprint(json.dumps({"s":s.tolist(),"vt":vt.tolist()}))`;
    const ref = JSON.parse(execFileSync('python3', ['-c', py], { encoding: 'utf8' })) as { s: number[]; vt: number[][] };
    const r = pca({ rows: n, cols: d, data }, d);
    ref.s.forEach((s, i) => close(r.singularValues[i]!, s, 1e-9));
    ref.vt.forEach((row, i) => {
      const dot = row.reduce((acc, v, j) => acc + v * r.components[i]![j]!, 0);
      close(Math.abs(dot), 1, 1e-9);
      const big = r.components[i]!.reduce((b, v, j, a) => (Math.abs(v) > Math.abs(a[b]!) ? j : b), 0);
      assert.ok(r.components[i]![big]! > 0, 'the largest entry of each component is positive');
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('alignment: CKA is 1 against a rotated and scaled copy; unrelated sets align less; every interval holds its value', () => {
  const rng = new Rng(3);
  const [n, d] = [30, 4];
  const e = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
  const [c, s] = [Math.cos(0.7), Math.sin(0.7)];
  const rotated = e.map(([a, b, x, y]) => [3 * (c * a! - s * b!), 3 * (s * a! + c * b!), 3 * y!, -3 * x!]);
  close(linearCka(matrix(e), matrix(rotated)), 1, 1e-9);
  const noise = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
  const same = alignment(matrix(e), matrix(e.map((r) => r.map((v) => v + 0.001 * rng.normal()))), { samples: 200, seed: 1 });
  const none = alignment(matrix(e), matrix(noise), { samples: 200, seed: 1 });
  assert.equal(same.top1.value, 1);
  assert.ok(same.cka.value > 0.99 && none.cka.value < same.cka.value);
  assert.ok(same.cosineGap.value > 0.9 && Math.abs(none.cosineGap.value) < 0.3);
  assert.ok(same.centroidDistance.value < 0.1);
  for (const a of [same, none]) {
    for (const m of [a.top1, a.mrr, a.cka, a.cosineGap, a.centroidDistance]) assert.ok(m.lower <= m.upper && Number.isFinite(m.value), JSON.stringify(m));
  }
  assert.throws(() => alignment(matrix(e), matrix(e.slice(1))), /is 30 x 4 but other is 29 x 4/);
});

test('pooling: a sentence\'s mean state is the same alone and padded in a batch with a longer one', async () => {
  const texts = ['a short one', 'a much longer sentence than the first one, with padding after the short one'];
  const tok = BpeTokenizer.train(texts, 300);
  const model = new Transformer(modelConfig({ family: 'llama', dModel: 16, nLayers: 2, nHeads: 2, maxSeqLen: 64, vocabSize: tok.vocabSize }), new Rng(1).fork('init'));
  try {
    const alone = await meanStates(model, tok, [texts[0]!]);
    const batch = await meanStates(model, tok, texts);
    assert.equal(alone.length, 3);
    alone.forEach((layer, l) => layer.forEach((v, k) => close(batch[l]![k]!, v, 1e-4)));
  } finally {
    model.dispose();
  }
});

test('layer folders: written and read back in order; gaps, ragged rows and missing folders are named', () => {
  const dir = tmp();
  try {
    const files = writeLayerDir(path.join(dir, 'en'), [[1, 2, 3, 4], [5, 6, 7, 8]], 2, 2);
    assert.deepEqual(files.map((f) => path.basename(f)), ['layer-00.npy', 'layer-01.npy']);
    const back = readLayerDir(path.join(dir, 'en'));
    assert.deepEqual(Array.from(back.layers[1]!.data), [5, 6, 7, 8]);
    fs.renameSync(files[1]!, path.join(dir, 'en', layerFile(2)));
    assert.throws(() => readLayerDir(path.join(dir, 'en')), /numbered from 00 without gaps; found layer-02\.npy where layer-01\.npy was expected/);
    writeNpy(path.join(dir, 'en', layerFile(1)), [1, 2, 3], [1, 3]);
    fs.rmSync(path.join(dir, 'en', layerFile(2)));
    assert.throws(() => readLayerDir(path.join(dir, 'en')), /layer-01\.npy: 1 rows, but .*layer-00\.npy has 2/);
    assert.throws(() => readLayerDir(path.join(dir, 'none')), /none: no such folder/);
    fs.mkdirSync(path.join(dir, 'empty'));
    assert.throws(() => readLayerDir(path.join(dir, 'empty')), /no layer-NN\.npy files/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('export_states.py: its pooling averages real tokens only, padding on either side', (t) => {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return t.skip('python3 with numpy is not installed');
  const script = path.resolve(__dirname, '../tools/export_states.py');
  const py = [
    'import importlib.util, json, numpy as np',
    `spec = importlib.util.spec_from_file_location("export_states", ${JSON.stringify(script)})`,
    'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
    'h = np.arange(2 * 4 * 3, dtype=np.float32).reshape(2, 4, 3)',
    'right = m.mean_pool(h, np.array([[1, 1, 0, 0], [1, 1, 1, 1]]))',
    'left = m.mean_pool(h, np.array([[0, 0, 1, 1], [1, 1, 1, 1]]))',
    'print(json.dumps({"right": right.tolist(), "left": left.tolist()}))',
  ].join('\n');
  const r = JSON.parse(execFileSync('python3', ['-c', py], { encoding: 'utf8' })) as { right: number[][]; left: number[][] };
  // row 0: tokens 0-1 (values 0..5) or 2-3 (6..11); row 1: all four tokens (12..23)
  assert.deepEqual(r.right, [[1.5, 2.5, 3.5], [16.5, 17.5, 18.5]]);
  assert.deepEqual(r.left, [[7.5, 8.5, 9.5], [16.5, 17.5, 18.5]]);
});

test('xalign represent pca and align --json print the documented fields', () => {
  const bin = path.resolve(__dirname, '../../bin/xalign.cjs');
  const run = (args: string[]) => JSON.parse(execFileSync(process.execPath, [bin, ...args, '--json'], { encoding: 'utf8', env: { ...process.env, XALIGN_BACKEND: 'cpu' } }));
  const dir = tmp();
  try {
    const x = path.join(dir, 'x.npy');
    writeNpy(x, [1, 0, -1, 0, 0, 2, 0, -2], [4, 2], 'float64');
    const p = run(['represent', 'pca', '--x', x, '--k', '2']);
    assert.deepEqual(Object.keys(p), ['explainedVarianceRatio', 'explainedVariance', 'singularValues', 'components', 'projection']);
    close(p.explainedVarianceRatio[0], 0.8);
    assert.equal(p.projection.length, 4);
    const rng = new Rng(5);
    const rows = Array.from({ length: 12 * 3 }, () => rng.normal());
    writeLayerDir(path.join(dir, 'en'), [rows, rows.map((v) => 2 * v)], 12, 3);
    writeLayerDir(path.join(dir, 'x'), [rows.map((v) => v + 0.01), rows.map((v) => -v)], 12, 3);
    const a = run(['represent', 'align', '--en', path.join(dir, 'en'), '--x', path.join(dir, 'x'), '--samples', '50']);
    assert.equal(a.layers.length, 2);
    assert.deepEqual(Object.keys(a.layers[0]), ['layer', 'n', 'top1', 'mrr', 'cka', 'cosineGap', 'centroidDistance']);
    assert.equal(a.layers[0].top1.value, 1);
    close(a.layers[1].cka.value, 1, 1e-9);
    assert.ok(a.layers[1].cosineGap.value < 0, 'negated vectors point away from their pairs');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
