/**
 * `npm run bench:data`: reading + summarising a generated 200 MB parallel corpus
 * (about a million lines per side, WikiMatrix size) in MB/s, beside `wc -l` on the same
 * files in the same run. Also prints the peak resident memory, to show that the
 * streaming reader stays bounded. BENCH_MB changes the size (default 200).
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '../../src/random/rng';
import { forEachPairBatch } from '../../src/data/parallel';
import { summariseParallel } from '../../src/data/summary';

const totalMb = Number(process.env.BENCH_MB ?? 200);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-bench-data-'));
const fa = path.join(dir, 'train.en');
const fb = path.join(dir, 'train.zh');

function generate(): number {
  const rng = new Rng(1);
  const en = 'the of and to in is that for it with as was on be by this are from at or an which language model data'.split(' ');
  const zh = '的 是 在 了 和 有 我 他 这 个 们 中 来 上 大 为 国 地 到 以 说 时 要 就 出 会 可 也 你 对 生 能 而 子 那 得 于 着 下 自'.split(' ');
  const sentence = (words: string[], n: number, sep: string) => Array.from({ length: n }, () => rng.choice(words)).join(sep);
  const pool = Array.from({ length: 20000 }, () => {
    const n = 5 + rng.int(25);
    return [sentence(en, n, ' ') + '.', sentence(zh, Math.ceil(n * 1.1), '') + '。'] as const;
  });
  const target = totalMb * 1e6;
  const wa = fs.openSync(fa, 'w');
  const wb = fs.openSync(fb, 'w');
  let bytes = 0;
  let lines = 0;
  while (bytes < target) {
    const ba: string[] = [];
    const bb: string[] = [];
    for (let i = 0; i < 10000; i++) {
      const [a, b] = pool[rng.int(pool.length)]!;
      ba.push(a);
      bb.push(b);
    }
    const sa = Buffer.from(ba.join('\n') + '\n');
    const sb = Buffer.from(bb.join('\n') + '\n');
    fs.writeSync(wa, sa);
    fs.writeSync(wb, sb);
    bytes += sa.length + sb.length;
    lines += 10000;
  }
  fs.closeSync(wa);
  fs.closeSync(wb);
  return lines;
}

function time<T>(fn: () => T): [T, number] {
  const t = process.hrtime.bigint();
  const r = fn();
  return [r, Number(process.hrtime.bigint() - t) / 1e9];
}

try {
  const [lines, genS] = time(generate);
  const mb = (fs.statSync(fa).size + fs.statSync(fb).size) / 1e6;
  console.log(`generated ${mb.toFixed(0)} MB, ${lines} lines per side, in ${genS.toFixed(1)} s (${dir})`);
  const peakAfterGenerate = process.resourceUsage().maxRSS / 1024;
  const [, wcS] = time(() => spawnSync('wc', ['-l', fa, fb], { encoding: 'utf8' }));
  const [n, readS] = time(() => forEachPairBatch(fa, fb, () => {}).pairs);
  const [s, sumS] = time(() => summariseParallel(fa, fb));
  if (s.pairs !== n || n !== lines) throw new Error(`pair counts differ: ${s.pairs} / ${n} / ${lines}`);
  const row = (what: string, sec: number) => `${what.padEnd(40)} ${sec.toFixed(2).padStart(7)} s ${(mb / sec).toFixed(0).padStart(6)} MB/s`;
  console.log(row('wc -l (both files)', wcS));
  console.log(row('xalign: read pairs (UTF-8 decode, split)', readS));
  console.log(row('xalign: read + summarise', sumS));
  console.log(`read + summarise runs at ${(wcS / sumS).toFixed(2)}x the speed of wc -l (same files, same run)`);
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(
    `peak resident memory: ${peakAfterGenerate.toFixed(0)} MB after generating, ${peak.toFixed(0)} MB after streaming ` +
      `${mb.toFixed(0)} MB of text three times (bounded: the reader holds one 4 MiB chunk per file)`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
