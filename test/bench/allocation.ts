/**
 * `npm run bench:allocation`: the exact allocation solver (src/allocation/optimal.ts,
 * paper Section 3.3) on 1,000 random problems of 6 languages. Prints the median time
 * per problem and the largest constraint violation; where Debian's python3-scipy is
 * present, runs scipy's SLSQP (scaled variables, analytic gradients) on the same
 * problems in the same run and prints the speed ratio and the objective gap.
 * Target: objective equal or better on every problem, at least 50x faster.
 */

import { allocateOptimal, type AllocationLaw, gain } from '../../src/allocation';
import { Rng } from '../../src/random/rng';
import { median, runPython, scipyVersion, timePerCall } from './scipy';

const PROBLEMS = Number(process.env.BENCH_PROBLEMS ?? 1000);
const rng = new Rng(20230).fork('bench-allocation');

interface Problem {
  laws: AllocationLaw[];
  budget: number;
}

const problems: Problem[] = Array.from({ length: PROBLEMS }, () => {
  const laws = Array.from({ length: 6 }, (_, i) => {
    const gamma = rng.uniform(0.3, 0.95);
    const beta = rng.uniform(0.1, 1.0);
    const at100k = rng.uniform(20, 80);
    return {
      language: `l${i}`,
      alpha: (100 - at100k) * Math.pow(gamma * 1e5, beta),
      beta,
      gamma,
      max: Math.exp(rng.uniform(Math.log(5e4), Math.log(1.5e6))),
    };
  });
  const total = laws.reduce((t, l) => t + l.max, 0);
  return { laws, budget: rng.uniform(0.1, 0.9) * total };
});

function violation(p: Problem, x: readonly number[]): number {
  const sum = x.reduce((a, b) => a + b, 0);
  let v = Math.abs(sum - p.budget);
  x.forEach((xi, i) => {
    v = Math.max(v, -xi, xi - p.laws[i]!.max);
  });
  return v;
}

const objective = (p: Problem, x: readonly number[]): number => p.laws.reduce((t, l, i) => t + gain(l, x[i]!), 0) / p.laws.length;

console.log(`allocation benchmark: ${PROBLEMS} random problems, 6 languages each, budget 10-90% of the available data`);
const ours = problems.map((p) => allocateOptimal(p.laws, p.budget));
const times = problems.map((p) => timePerCall(() => allocateOptimal(p.laws, p.budget), 20));
const ourViolation = Math.max(...problems.map((p, k) => violation(p, ours[k]!.x)));
const ourRelViolation = Math.max(...problems.map((p, k) => violation(p, ours[k]!.x) / p.budget));
const ourMedian = median(times);
console.log(`xalign exact (KKT bisection): median ${(ourMedian * 1e6).toFixed(1)} µs per problem; ` +
  `largest constraint violation ${ourViolation.toExponential(2)} pairs (${ourRelViolation.toExponential(2)} of the budget)`);

const scipy = scipyVersion();
if (!scipy.version) {
  console.log(`scipy comparison skipped: ${scipy.reason}`);
} else {
  const ref = runPython<{ x: number[]; success: boolean; message: string; seconds: number }[]>('scipy_allocation.py', problems);
  const refMedian = median(ref.map((r) => r.seconds));
  const gaps = problems.map((p, k) => objective(p, ours[k]!.x) - objective(p, ref[k]!.x));
  const tolerance = 1e-9;
  const worse = gaps.filter((g) => g < -tolerance).length;
  const refViolation = Math.max(...problems.map((p, k) => violation(p, ref[k]!.x)));
  const failures = ref.filter((r) => !r.success).length;
  const messages = new Map<string, number>();
  for (const r of ref.filter((q) => !q.success)) messages.set(r.message, (messages.get(r.message) ?? 0) + 1);
  const ratio = refMedian / ourMedian;
  console.log(`scipy ${scipy.version} SLSQP (scaled, analytic gradients): median ${(refMedian * 1e6).toFixed(1)} µs per problem; ` +
    `largest constraint violation ${refViolation.toExponential(2)} pairs; reported failures ${failures}` +
    (failures ? ` (${[...messages].map(([m, c]) => `${c} "${m}"`).join(', ')})` : ''));
  console.log(`speed ratio (scipy / xalign, medians): ${ratio.toFixed(1)}x`);
  console.log(`objective gap xalign - scipy (mean score points): min ${Math.min(...gaps).toExponential(2)}, ` +
    `median ${median(gaps).toExponential(2)}, max ${Math.max(...gaps).toExponential(2)}; ` +
    `xalign worse by more than ${tolerance} on ${worse} of ${PROBLEMS}`);
  const met = worse === 0 && ratio >= 50;
  console.log(`target (equal or better objective on every problem, >= 50x faster): ${met ? 'met' : 'NOT met'}`);
  if (!met) process.exitCode = 1;
}
