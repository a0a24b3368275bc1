import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  compareFormulations,
  dataForTarget,
  fitScalingLaw,
  lawDataFor,
  lawScore,
  logLinearGuess,
  parsePointsCsv,
  type ScalingPoint,
  studentTCdf,
  studentTQuantile,
} from '../../src/scaling';
import { Rng } from '../../src/random/rng';

const law = { alpha: 300, beta: 0.3, gamma: 0.5 };
const sizes = [1e3, 3e3, 1e4, 3e4, 1e5, 3e5];
const exact: ScalingPoint[] = sizes.map((x) => ({ language: 'zh', gamma: 0.5, x, score: lawScore(law, x) }));

function noisy(seed: number, sd = 0.8): ScalingPoint[] {
  const rng = new Rng(seed);
  return sizes.map((x) => ({ language: 'zh', gamma: 0.5, x, score: lawScore(law, x) + rng.normal(0, sd) }));
}

test('Student t quantiles match printed tables', () => {
  assert.ok(Math.abs(studentTQuantile(0.975, 1) - 12.7062) < 1e-4);
  assert.ok(Math.abs(studentTQuantile(0.975, 4) - 2.7764) < 1e-4);
  assert.ok(Math.abs(studentTQuantile(0.975, 10) - 2.2281) < 1e-4);
  assert.ok(Math.abs(studentTQuantile(0.995, 20) - 2.8453) < 1e-4);
  assert.ok(Math.abs(studentTQuantile(0.025, 4) + 2.7764) < 1e-4);
  assert.ok(Math.abs(studentTCdf(studentTQuantile(0.9, 7), 7) - 0.9) < 1e-12);
});

test('noise-free points give back the law exactly, R^2 = 1', () => {
  const f = fitScalingLaw(exact);
  assert.ok(Math.abs(f.alpha / law.alpha - 1) < 1e-6, `alpha ${f.alpha}`);
  assert.ok(Math.abs(f.beta - law.beta) < 1e-7, `beta ${f.beta}`);
  assert.ok(f.sse < 1e-12);
  assert.ok(Math.abs(f.r2 - 1) < 1e-12);
  assert.equal(f.gamma, 0.5);
});

test('LM and the exact search agree on noisy points; the better one is returned', () => {
  for (let seed = 1; seed <= 5; seed++) {
    const f = fitScalingLaw(noisy(seed));
    assert.ok(f.check.agree, `seed ${seed}: ${JSON.stringify(f.check)}`);
    assert.ok(f.sse <= Math.min(f.check.lmSse, f.check.exactSse) * (1 + 1e-12));
    assert.ok(f.alphaInterval[0] < f.alpha && f.alpha < f.alphaInterval[1]);
  }
});

test('the log-linear guess is a sensible start', () => {
  const g = logLinearGuess(exact);
  assert.ok(Math.abs(g.beta - law.beta) < 1e-9, 'exact on noise-free points');
});

test('standard errors equal s^2 (J^T J)^-1 computed by a plain loop in (alpha, beta)', () => {
  const pts = noisy(7);
  const f = fitScalingLaw(pts);
  let a11 = 0, a12 = 0, a22 = 0;
  for (const p of pts) {
    const u = p.gamma * p.x;
    const ja = -Math.pow(u, -f.beta);
    const jb = f.alpha * Math.pow(u, -f.beta) * Math.log(u);
    a11 += ja * ja; a12 += ja * jb; a22 += jb * jb;
  }
  const s2 = f.sse / (pts.length - 2);
  const det = a11 * a22 - a12 * a12;
  assert.ok(Math.abs(Math.sqrt((s2 * a22) / det) / f.alphaStdErr - 1) < 1e-6);
  assert.ok(Math.abs(Math.sqrt((s2 * a11) / det) / f.betaStdErr - 1) < 1e-6);
  assert.ok(Math.abs(f.tValue - studentTQuantile(0.975, 4)) < 1e-12);
});

test('bands: confidence band around the curve, prediction band wider', () => {
  const f = fitScalingLaw(noisy(3));
  const c = f.band(5e4);
  const p = f.band(5e4, { kind: 'prediction' });
  assert.ok(c.lo < c.score && c.score < c.hi);
  assert.ok(p.hi - p.lo > c.hi - c.lo);
  assert.equal(c.score, f.predict(5e4));
});

test('two points: exact fit, no standard errors', () => {
  const f = fitScalingLaw(exact.slice(0, 2));
  assert.ok(Number.isNaN(f.alphaStdErr) && Number.isNaN(f.betaStdErr));
  assert.equal(f.dof, 0);
});

test('clear errors for bad points', () => {
  assert.throws(() => fitScalingLaw(exact.slice(0, 1)), /needs at least 2 points/);
  assert.throws(() => fitScalingLaw([...exact, { language: 'zh', gamma: 0.5, x: 10, score: 100 }]), /below 100/);
  assert.throws(() => fitScalingLaw([...exact, { language: 'zh', gamma: 0.5, x: 0, score: 10 }]), /x .* must be > 0/);
  assert.throws(() => fitScalingLaw([...exact, { language: 'zh', gamma: 0.5, x: 5, score: NaN }]), /finite number/);
  assert.throws(() => fitScalingLaw([...exact, { language: 'zh', gamma: 1.5, x: 5, score: 1 }]), /gamma must be in \(0, 1\]/);
  assert.throws(() => fitScalingLaw([...exact, { language: 'zh', gamma: 0, x: 5, score: 1 }]), /gamma/);
  assert.throws(() => fitScalingLaw([exact[0]!, exact[0]!]), /distinct/);
});

test('lawDataFor inverts lawScore', () => {
  assert.ok(Math.abs(lawScore(law, lawDataFor(law, 80)) - 80) < 1e-9);
});

test('formulations: the logarithmic law wins on logarithmic data, the paper law on its own', () => {
  const logPts: ScalingPoint[] = [];
  for (const [language, gamma] of [['a', 0.5], ['b', 0.7]] as const) {
    for (const x of sizes) logPts.push({ language, gamma, x, score: 10 + 4 * Math.log(x) + (language === 'b' ? 3 : 0) });
  }
  const c = compareFormulations(logPts);
  assert.equal(c.winner, 'logarithmic');
  assert.ok(c.rows.length >= 4);
  const paperPts = [...exact, ...exact.map((p) => ({ ...p, language: 'tr', gamma: 0.3, score: lawScore({ ...law, gamma: 0.3 }, p.x) }))];
  const d = compareFormulations(paperPts);
  const paperRow = d.rows.find((r) => r.name === 'paper')!;
  assert.ok(paperRow.looRmse < 1e-4, `paper LOO ${paperRow.looRmse}`);
  const shared = d.rows.find((r) => r.name === 'shared-gamma')!;
  const noGamma = d.rows.find((r) => r.name === 'shared-no-gamma')!;
  assert.ok(shared.looRmse < 1e-4 && noGamma.looRmse > 0.1, 'gamma explains the gap between the two languages');
});

test('points CSV: parsed, and errors name file and line', () => {
  const ok = parsePointsCsv('language,gamma,x,score\n# a comment\nzh,0.5,1000,40\nzh,0.5,2000,45\n', 'p.csv');
  assert.equal(ok.length, 2);
  assert.equal(ok[1]!.where, 'p.csv line 4');
  assert.throws(() => parsePointsCsv('language,gamma,x\nzh,0.5,1\n', 'p.csv'), /p\.csv line 1: .*"score" is missing/);
  assert.throws(() => parsePointsCsv('language,gamma,x,score\nzh,0.5,abc,3\n', 'p.csv'), /p\.csv line 2: x must be a finite number/);
  assert.throws(() => parsePointsCsv('language,gamma,x,score\nzh,0.5,10,3\nzh,0.6,20,4\n', 'p.csv'), /p\.csv line 3: gamma 0\.6 .* differs/);
  assert.throws(() => parsePointsCsv('language,gamma,x,score\nzh,0.5,10\n', 'p.csv'), /line 2: expected 4 fields/);
  assert.throws(() => parsePointsCsv('language,gamma,x,score\nzh,0.5,10,101\n', 'p.csv'), /p\.csv line 2: score must be below 100/);
});

test('dataForTarget: a two-point fit has no band, so no range (NaN), not a false one', () => {
  const two = fitScalingLaw(exact.slice(0, 2));
  const r = dataForTarget(two, 60);
  assert.ok(Number.isFinite(r.x) && r.x > 0);
  assert.ok(Number.isNaN(r.lo) && Number.isNaN(r.hi));
  const full = dataForTarget(fitScalingLaw(noisy(5)), 60);
  assert.ok(full.lo <= full.x && full.x <= full.hi);
});
