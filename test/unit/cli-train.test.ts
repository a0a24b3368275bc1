import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const BIN = path.resolve(__dirname, '../../bin/xalign.cjs');
const xalign = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, XALIGN_BACKEND: 'cpu' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

test('xalign train --config runs a tiny job, then generate answers from its model', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-train-cli-'));
  try {
    const data = ['one', 'two', 'three'].map((w) => JSON.stringify({ instruction: `say ${w}`, input: '', output: w })).join('\n');
    fs.writeFileSync(path.join(dir, 'data.jsonl'), data + '\n');
    const cfg = { out: 'run', model: { dModel: 16, nLayers: 1, nHeads: 2 }, train: { steps: 3, batchSize: 3, seqLen: 24, checkpointEvery: 2 }, data: { train: 'data.jsonl' } };
    fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(cfg));
    const r = xalign(['train', '--config', path.join(dir, 'run.json'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout);
    assert.equal(v.steps, 3);
    assert.match(r.stderr, /step 3\/3 loss/);
    assert.ok(fs.existsSync(path.join(dir, 'run', 'model', 'model.safetensors')));
    assert.ok(fs.existsSync(path.join(dir, 'run', 'checkpoints', 'latest.json')));
    const g = xalign(['generate', '--checkpoint', path.join(dir, 'run'), '--prompt', 'say one', '--max-tokens', '3', '--json']);
    assert.equal(g.code, 0, g.stderr);
    assert.equal(JSON.parse(g.stdout).outputs[0].tokens.length <= 3, true);
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...cfg, train: { stepz: 3 } }));
    const bad = xalign(['train', '--config', path.join(dir, 'bad.json')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /bad.json: train: unknown field "stepz"/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('xalign bench train --json prints tokens/s and GFLOP/s (tiny sizes, no PyTorch)', () => {
  const r = xalign(['bench', 'train', '--steps', '1', '--warmup', '0', '--batch', '2', '--seq', '8', '--skip-torch', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  assert.ok(v.tfjs.tokensPerSec > 0 && v.tfjs.gflopsPerSec > 0);
  assert.equal(v.backend.name, 'cpu');
  assert.equal(xalign(['bench', 'nothing']).code, 2);
});
