import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  approximateRandomizationStats,
  Bleu,
  estimateCi,
  meanStats,
  pairedBootstrapStats,
  pairedSignificance,
  scoreFromMeanStats,
  statsMetric,
} from '../../src/eval/metrics';
import { Rng } from '../../src/random/rng';

// A small corpus where system B is clearly better than A.
const REFS = Array.from({ length: 60 }, (_, i) => `the cat number ${i} sat on the red mat today`);
const GOOD = REFS.map((r, i) => (i % 5 === 0 ? r.replace('red', 'blue') : r));
const BAD = REFS.map((r, i) => (i % 3 === 0 ? r : `a dog ${i} stood near some mat`));

test('paired bootstrap (sacrebleu method): 1,000 samples by default, seeded, p-value and 95% CIs', () => {
  const r = pairedSignificance(new Bleu(), BAD, GOOD, REFS);
  assert.equal(r.test, 'paired-bootstrap');
  assert.equal(r.samples, 1000);
  assert.equal(r.seed, 12345);
  assert.ok(r.pValue < 0.05, `p = ${r.pValue}`);
  assert.ok(r.delta > 0);
  for (const s of [r.a, r.b]) {
    assert.ok(s.lower <= s.score && s.score <= s.upper, JSON.stringify(s));
    assert.ok(Math.abs(s.ci - (s.upper - s.lower) / 2) < 1e-12);
  }
  assert.deepEqual(pairedSignificance(new Bleu(), BAD, GOOD, REFS), r, 'same seed, same result');
  const other = pairedSignificance(new Bleu(), BAD, GOOD, REFS, 'bootstrap', { rng: new Rng(7) });
  assert.equal(other.seed, 7);
});

test('approximate randomisation: 10,000 trials by default, p-value, and CIs from bootstrap', () => {
  const r = pairedSignificance(statsMetric('chrf'), BAD, GOOD, REFS, 'ar', { samples: 2000 });
  assert.equal(r.test, 'approximate-randomization');
  assert.ok(r.pValue < 0.05, `p = ${r.pValue}`);
  assert.equal(r.ciSamples, 1000);
  assert.ok(r.b.lower <= r.b.score && r.b.score <= r.b.upper);
});

test('a system against a near-copy of itself is not significant; identical systems give sacrebleu\'s p = 1/(n+1)', () => {
  // Three segments worse, three better: no real difference.
  const almost = GOOD.map((g, i) => ([7, 14, 21].includes(i) ? g.replace('today', 'now') : [0, 5, 10].includes(i) ? REFS[i]! : g));
  const bs = pairedSignificance(new Bleu(), GOOD, almost, REFS);
  assert.ok(bs.pValue > 0.05, `p = ${bs.pValue}`);
  const ar = pairedSignificance(new Bleu(), GOOD, almost, REFS, 'ar', { samples: 1000 });
  assert.ok(ar.pValue > 0.05, `p = ${ar.pValue}`);
  // Zero observed difference is "not attributed to chance" (multeval's rule, kept by sacrebleu).
  assert.equal(pairedSignificance(new Bleu(), GOOD, GOOD, REFS, 'bootstrap', { samples: 99 }).pValue, 1 / 100);
});

test('any segment-level metric: ROUGE, EM, and precomputed COMET scores', () => {
  const r = pairedSignificance(statsMetric('rouge'), BAD, GOOD, REFS);
  assert.equal(r.metric, 'ROUGE-L');
  assert.ok(r.pValue < 0.05);
  const em = pairedSignificance(statsMetric('em'), BAD, GOOD, REFS);
  assert.equal(em.metric, 'EM');
  const a = Array.from({ length: 80 }, (_, i) => 0.7 + 0.1 * Math.sin(i));
  const b = a.map((x) => x + 0.05);
  const c = pairedBootstrapStats(meanStats(a), meanStats(b), scoreFromMeanStats(100), { metric: 'COMET' });
  assert.ok(c.pValue < 0.05);
  assert.ok(Math.abs(c.delta - 5) < 1e-9);
  const d = approximateRandomizationStats(meanStats(a), meanStats(b), scoreFromMeanStats(100), { samples: 500 });
  assert.ok(d.pValue < 0.05);
});

test('CI bounds follow sacrebleu: sorted scores at n//40 and n - n//40 - 1', () => {
  const scores = Array.from({ length: 1000 }, (_, i) => 999 - i);
  const ci = estimateCi(scores, 500);
  assert.equal(ci.lower, 25);
  assert.equal(ci.upper, 974);
  assert.equal(ci.ci, 474.5);
  assert.equal(ci.mean, 499.5);
});

test('mismatched systems are an error naming both counts', () => {
  assert.throws(() => pairedSignificance(new Bleu(), ['a', 'b'], ['a'], ['a', 'b']), /system A has 2 segments, system B has 1/);
  assert.throws(() => pairedSignificance(new Bleu(), ['a', 'b'], ['a', 'b'], ['a']), /hypotheses have 2 lines, references has 1/);
});
