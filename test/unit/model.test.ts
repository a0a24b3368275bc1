import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { selectBackend, tf } from '../../src/backend';
import {
  BpeTokenizer,
  bmm,
  ByteTokenizer,
  decodeSafetensors,
  dense,
  encodeInstruction,
  encodeSafetensors,
  fastPaths,
  gelu,
  generate,
  loadModel,
  modelConfig,
  parameterCount,
  saveModel,
  sequenceLogLikelihoods,
  tokenizerFromJSON,
  Transformer,
} from '../../src/model';
import { embed } from '../../src/model/ops';
import { Rng } from '../../src/random/rng';

before(async () => {
  await selectBackend('cpu');
});

const tiny = (family: 'llama' | 'neox', extra = {}) =>
  modelConfig({ family, vocabSize: 20, dModel: 16, nLayers: 2, nHeads: 2, dFf: 32, maxSeqLen: 16, ...extra });

test('byte tokenizer: UTF-8 round trip and literal special tokens', () => {
  const tok = new ByteTokenizer();
  const text = 'Γειά σου κόσμε 你好';
  assert.equal(tok.decode(tok.encode(text)), text);
  const ids = tok.encode('hi<|eos|>');
  assert.deepEqual(ids, [104, 105, tok.special.eos]);
  assert.equal(tok.decode(ids, { skipSpecial: true }), 'hi');
  const { prompt, response } = encodeInstruction(tok, 'q', 'a');
  assert.deepEqual(prompt, [tok.special.instruction, 113, tok.special.response]);
  assert.deepEqual(response, [97, tok.special.eos]);
});

test('BPE learns merges up to the vocabulary size, round-trips text and JSON', () => {
  const corpus = ['the cat sat on the mat', 'the hat', 'the the the cat', 'Ο γάτος κάθεται'];
  const bpe = BpeTokenizer.train(corpus, 270);
  assert.equal(bpe.vocabSize, 270);
  const text = 'the cat on the mat, Ο γάτος<|eos|>';
  const ids = bpe.encode(text);
  assert.ok(ids.length < new ByteTokenizer().encode(text).length, 'merges shorten the text');
  assert.equal(bpe.decode(ids), text);
  assert.equal(ids.at(-1), bpe.special.eos);
  const again = tokenizerFromJSON(JSON.parse(JSON.stringify(bpe.toJSON())));
  assert.deepEqual(again.encode(text), ids);
  assert.throws(() => tokenizerFromJSON({ type: 'wordpiece', specials: bpe.toJSON().specials }, 'tok.json'), /tok.json: field "type"/);
  assert.throws(() => BpeTokenizer.train(corpus, 100), /vocabSize must be an integer >= 260/);
});

test('both families: logits shape, hidden states and masked mean over real tokens', () => {
  for (const family of ['llama', 'neox'] as const) {
    const m = new Transformer(tiny(family), new Rng(3));
    // warm the model's cache of per-shape constants (rotary tables, causal masks)
    tf.dispose(m.forward(tf.tensor2d([[5, 6]], [1, 2], 'int32')).logits);
    tf.dispose(m.forward(tf.tensor2d([[1, 2, 3, 4], [5, 6, 0, 0]], [2, 4], 'int32')).logits);
    const before = tf.memory().numTensors;
    const ids = tf.tensor2d([[1, 2, 3, 4], [5, 6, 0, 0]], [2, 4], 'int32');
    const mask = tf.tensor2d([[1, 1, 1, 1], [1, 1, 0, 0]], [2, 4], 'int32');
    const r = m.forward(ids, { hidden: true, attentionMask: mask });
    assert.deepEqual(r.logits.shape, [2, 4, 20]);
    assert.equal(r.hidden!.length, 3);
    assert.deepEqual(r.meanHidden![1]!.shape, [2, 16]);
    const h = r.hidden![1]!.arraySync() as number[][][];
    const mean = r.meanHidden![1]!.arraySync() as number[][];
    const manual = h[1]![0]!.map((v, k) => (v + h[1]![1]![k]!) / 2);
    manual.forEach((v, k) => assert.ok(Math.abs(v - mean[1]![k]!) < 1e-5, `${family}: mean divides by the real length`));
    // padding at the end does not change the real tokens' logits (causal attention)
    const soloIds = tf.tensor2d([[5, 6]], [1, 2], 'int32');
    const solo = m.forward(soloIds);
    const a = (solo.logits.arraySync() as number[][][])[0]!;
    const b = (r.logits.arraySync() as number[][][])[1]!;
    for (let t = 0; t < 2; t++) a[t]!.forEach((v, k) => assert.ok(Math.abs(v - b[t]![k]!) < 1e-4));
    tf.dispose([ids, mask, soloIds, r.logits, ...r.hidden!, ...r.meanHidden!, solo.logits]);
    assert.equal(tf.memory().numTensors, before, 'forward leaks nothing');
    m.dispose();
  }
});

test('seeded initialisation is reproducible; tied embeddings drop the output matrix; a disposed model leaves no tensor', async () => {
  const tensorsBefore = tf.memory().numTensors;
  const a = new Transformer(tiny('llama'), new Rng(7));
  const b = new Transformer(tiny('llama'), new Rng(7));
  assert.deepEqual(await a.p('layers.0.attn.wqkv').data(), await b.p('layers.0.attn.wqkv').data());
  assert.equal(parameterCount(tiny('llama')) - parameterCount(tiny('llama', { tiedEmbeddings: true })), 16 * 20);
  a.dispose();
  b.dispose();
  assert.equal(tf.memory().numTensors, tensorsBefore, 'the parameters\' initial values are not kept alive');
});

test('KV-cache decoding, batched with left padding, equals greedy full passes; stop tokens end a row', async () => {
  for (const family of ['llama', 'neox'] as const) {
    const m = new Transformer(tiny(family), new Rng(11));
    const before = tf.memory().numTensors;
    const prompts = [[1, 2, 3, 4], [7, 8]];
    const out = await generate(m, prompts, { maxNewTokens: 4 });
    assert.equal(tf.memory().numTensors, before, 'generate leaks nothing');
    for (let r = 0; r < 2; r++) {
      const seq = [...prompts[r]!];
      for (let s = 0; s < 4; s++) {
        const logits = m.forward(tf.tensor2d([seq], [1, seq.length], 'int32')).logits;
        const row = (logits.arraySync() as number[][][])[0]!.at(-1)!;
        logits.dispose();
        const next = row.indexOf(Math.max(...row));
        assert.equal(out[r]![s], next, `${family} row ${r} step ${s}`);
        seq.push(next);
      }
    }
    const stopped = await generate(m, prompts, { maxNewTokens: 4, stopTokens: [out[0]![1]!] });
    assert.deepEqual(stopped[0], out[0]!.slice(0, 2));
    const s1 = await generate(m, prompts, { maxNewTokens: 5, temperature: 1, topK: 5, rng: new Rng(2) });
    const s2 = await generate(m, prompts, { maxNewTokens: 5, temperature: 1, topK: 5, rng: new Rng(2) });
    assert.deepEqual(s1, s2, 'sampling is seeded');
    m.dispose();
  }
});

test('sequence log-likelihoods: sums of next-token log-probabilities, the same alone and right-padded in a batch', async () => {
  const m = new Transformer(tiny('llama'), new Rng(5));
  const seqs = [[1, 2, 3, 4, 5], [6, 7], [8, 9, 10]];
  await sequenceLogLikelihoods(m, seqs, { batchSize: 3 }); // the model caches masks per length
  const before = tf.memory().numTensors;
  const batched = await sequenceLogLikelihoods(m, seqs, { batchSize: 3 });
  assert.equal(tf.memory().numTensors, before, 'nothing leaks');
  for (const [i, q] of seqs.entries()) {
    const logits = m.forward(tf.tensor2d([q], [1, q.length], 'int32')).logits;
    const rows = (tf.logSoftmax(logits).arraySync() as number[][][])[0]!;
    logits.dispose();
    const want = q.slice(1).reduce((a, tok, j) => a + rows[j]![tok]!, 0);
    assert.ok(Math.abs(batched[i]! - want) < 1e-4, `sequence ${i}: ${batched[i]} vs ${want}`);
    assert.ok(batched[i]! < 0);
    const [alone] = await sequenceLogLikelihoods(m, [q]);
    assert.ok(Math.abs(alone! - batched[i]!) < 1e-4, 'padding after a row changes nothing');
  }
  await assert.rejects(sequenceLogLikelihoods(m, [[1, 2], [3]]), /sequence 1 has 1 token/);
  await assert.rejects(sequenceLogLikelihoods(m, [Array(17).fill(1)]), /more than the model's maxSeqLen 16/);
  m.dispose();
});

test('safetensors: byte layout, round trip, clear errors', () => {
  const t = new Map([
    ['a', { shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }],
    ['b', { shape: [3], data: Int32Array.from([7, 8, 9]) }],
  ]);
  const buf = encodeSafetensors(t, { note: 'x' });
  const n = Number(new DataView(buf.buffer).getBigUint64(0, true));
  assert.equal(n % 8, 0);
  const header = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + n)));
  assert.deepEqual(header.a, { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] });
  assert.deepEqual(header.__metadata__, { note: 'x' });
  assert.equal(buf.length, 8 + n + 28);
  const back = decodeSafetensors(buf);
  assert.deepEqual([...back.tensors.get('a')!.data], [1, 2, 3, 4]);
  assert.deepEqual([...back.tensors.get('b')!.data], [7, 8, 9]);
  assert.throws(() => decodeSafetensors(buf.subarray(0, 40), 'w.safetensors'), /w.safetensors: header length/);
});

test('checkpoints round-trip and name what does not match', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-ckpt-'));
  const tok = new ByteTokenizer();
  const m = new Transformer(tiny('neox', { vocabSize: tok.vocabSize }), new Rng(5));
  await saveModel(dir, m, tok);
  const { model, tokenizer } = loadModel(dir);
  assert.equal(tokenizer!.type, 'bytes');
  assert.deepEqual(await model.p('embed').data(), await m.p('embed').data());
  const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...cfg, dFf: 48 }));
  assert.throws(() => loadModel(dir), /model.safetensors: .*tensor "layers.0.mlp.w_in" has shape \[16,32\], expected \[16,48\]/);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...cfg, family: 'llama' }));
  assert.throws(() => loadModel(dir), /missing tensor "layers.0.mlp.w_gate_up".*unexpected tensor "layers.0.attn_norm.bias"/);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...cfg, heads: 3 }));
  assert.throws(() => loadModel(dir), /config.json: unknown field "heads"/);
  m.dispose();
  model.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('wasm fast paths (explicit-transpose gradients, depthwise batched matmul, GELU derivative, gathered embeddings) match automatic differentiation', async () => {
  await selectBackend('wasm');
  try {
    const rng = new Rng(4);
    const a = tf.tensor3d(Array.from({ length: 3 * 4 * 5 }, () => rng.normal()), [3, 4, 5]);
    const b = tf.tensor3d(Array.from({ length: 3 * 5 * 2 }, () => rng.normal()), [3, 5, 2]);
    const x = tf.tensor2d(Array.from({ length: 6 * 5 }, () => rng.normal()), [6, 5]);
    const w = tf.tensor2d(Array.from({ length: 5 * 3 }, () => rng.normal()), [5, 3]);
    const close = (p: tf.Tensor, q: tf.Tensor, what: string) => {
      const d = tf.tidy(() => tf.max(tf.abs(tf.sub(p, q))).dataSync()[0]!);
      assert.ok(d < 1e-4, `${what} differs by ${d}`);
    };
    const f = (u: tf.Tensor3D, v: tf.Tensor3D) => tf.sum(tf.mul(bmm(u, v), tf.range(0, 8).reshape([1, 4, 2])));
    const g = (u: tf.Tensor3D, v: tf.Tensor3D) => tf.sum(tf.mul(tf.matMul(u, v), tf.range(0, 8).reshape([1, 4, 2])));
    close(bmm(a, b), tf.matMul(a, b), 'bmm');
    const [ga, gb] = tf.grads(f as (...t: tf.Tensor[]) => tf.Tensor)([a, b]);
    const [ha, hb] = tf.grads(g as (...t: tf.Tensor[]) => tf.Tensor)([a, b]);
    close(ga!, ha!, 'd bmm / da');
    close(gb!, hb!, 'd bmm / db');
    const [gx, gw] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(dense(p as tf.Tensor2D, q))))([x, w]);
    const [hx, hw] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D))))([x, w]);
    close(gx!, hx!, 'd dense / dx');
    close(gw!, hw!, 'd dense / dw');
    // GELU with its derivative written out against automatic differentiation of the tanh formula, on values far into both tails
    const z = tf.tensor1d(Array.from({ length: 200 }, (_, i) => (i - 100) / 10));
    const dy = tf.tensor1d(Array.from({ length: 200 }, () => rng.normal()));
    const geluOf = (on: boolean) => {
      fastPaths.geluGrad = on;
      try {
        return [gelu(z), tf.grad((t: tf.Tensor) => tf.sum(tf.mul(gelu(t), dy)))(z)];
      } finally {
        fastPaths.geluGrad = true;
      }
    };
    const [[v1, d1], [v0, d0]] = [geluOf(true), geluOf(false)];
    close(v1!, v0!, 'gelu');
    close(d1!, d0!, 'd gelu / dx');
    assert.ok(Math.abs(v1!.dataSync()[100 + 10]! - 0.8412) < 1e-3, 'gelu(1) = 0.8412 (tanh approximation)');
    // embeddings gathered, the gradient scattered back (repeated ids add up), against the one-hot product
    const ids = tf.tensor1d([3, 1, 3, 0, 5, 3, 1], 'int32');
    const table = tf.tensor2d(Array.from({ length: 6 * 4 }, () => rng.normal()), [6, 4]);
    const up = tf.tensor2d(Array.from({ length: 7 * 4 }, () => rng.normal()), [7, 4]);
    const embedOf = (on: boolean) => {
      fastPaths.gatherEmbed = on;
      try {
        return [embed(ids, table), tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embed(ids, t), up)))(table)];
      } finally {
        fastPaths.gatherEmbed = true;
      }
    };
    const [[e1, de1], [e0, de0]] = [embedOf(true), embedOf(false)];
    close(e1!, e0!, 'embed');
    close(de1!, de0!, 'd embed / d table');
    const upRows = up.arraySync() as number[][];
    const row3 = [0, 2, 5].reduce((acc, i) => acc.map((v, j) => v + upRows[i]![j]!), [0, 0, 0, 0]);
    close(tf.slice(de1!, [3, 0], [1, 4]), tf.tensor2d([row3]), 'd embed / d row 3 (three uses)');
    close(tf.slice(de1!, [2, 0], [1, 4]), tf.zeros([1, 4]), 'd embed / d an unused row');
  } finally {
    await selectBackend('cpu');
  }
});
