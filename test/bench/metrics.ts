/**
 * Benchmark: scores a generated 100,000-segment corpus with every metric and prints
 * segments per second. `npm run bench:metrics` (set BENCH_SEGMENTS to change the size).
 * Figures depend on the machine and its load: compare only numbers taken in one run.
 */

import { performance } from 'node:perf_hooks';
import { corpusBleu, corpusChrf, corpusChrfPlusPlus, corpusContains, corpusExactMatch, corpusRouge, pairedSignificance, Bleu } from '../../src/eval/metrics';
import { Rng } from '../../src/random/rng';

const N = Number(process.env.BENCH_SEGMENTS ?? 100_000);
const rng = new Rng(20240606);
const VOCAB = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`).concat(['the', 'a', ',', '.', '"', '(', ')', '1,000', 'e-mail', '北京', 'الولد']);

function sentence(): string[] {
  const n = 5 + rng.int(30);
  return Array.from({ length: n }, () => VOCAB[Math.min(rng.int(VOCAB.length), rng.int(VOCAB.length))]!);
}

const refs: string[] = [];
const hyps: string[] = [];
const hypsB: string[] = [];
for (let i = 0; i < N; i++) {
  const r = sentence();
  refs.push(r.join(' '));
  hyps.push(r.map((w) => (rng.float() < 0.2 ? VOCAB[rng.int(VOCAB.length)]! : w)).join(' '));
  hypsB.push(r.map((w) => (rng.float() < 0.25 ? VOCAB[rng.int(VOCAB.length)]! : w)).join(' '));
}
const words = refs.reduce((a, r) => a + r.split(' ').length, 0);
process.stdout.write(`corpus: ${N} segments, ${words} reference words (mean ${(words / N).toFixed(1)} per segment)\n`);

function time(label: string, segments: number, fn: () => { score: number }): void {
  const t0 = performance.now();
  const r = fn();
  const s = (performance.now() - t0) / 1000;
  process.stdout.write(`${label.padEnd(40)} ${s.toFixed(2).padStart(7)} s  ${Math.round(segments / s).toString().padStart(9)} segments/s  (score ${r.score.toFixed(2)})\n`);
}

time('BLEU (13a)', N, () => corpusBleu(hyps, refs));
time('BLEU (intl)', N, () => corpusBleu(hyps, refs, { tokenize: 'intl' }));
time('BLEU (zh)', N, () => corpusBleu(hyps, refs, { tokenize: 'zh' }));
time('chrF', N, () => corpusChrf(hyps, refs));
time('chrF++', N, () => corpusChrfPlusPlus(hyps, refs));
time('ROUGE-1/2/L (english)', N, () => {
  const r = corpusRouge(hyps, refs);
  return { score: r.rougeL };
});
time('ROUGE-1/2/L (multilingual)', N, () => {
  const r = corpusRouge(hyps, refs, { tokenizer: 'multilingual' });
  return { score: r.rougeL };
});
time('EM (en)', N, () => corpusExactMatch(hyps, refs));
time('contains', N, () => corpusContains(hyps, refs));
const M = Math.min(N, 10_000);
time(`paired bootstrap BLEU, ${M} segs x 1000`, M, () => {
  const r = pairedSignificance(new Bleu(), hyps.slice(0, M), hypsB.slice(0, M), refs.slice(0, M));
  return { score: r.pValue };
});
