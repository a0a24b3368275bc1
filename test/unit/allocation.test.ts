import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  allocateOptimal,
  allocateProportional,
  allocateTemperature,
  allocateUniform,
  allocateUniMax,
  type AllocationLaw,
  budgetSweep,
  checkOptimality,
  corpusMixture,
  gain,
  impliedGammas,
  lawsMakingOptimal,
  parseBudget,
  TABLE3,
  validateLaws,
} from '../../src/allocation';
import { writeParallel } from '../../src/data/parallel';
import { writeAlpaca } from '../../src/data/records';
import { localRegistry } from '../../src/data/registry';
import { Rng } from '../../src/random/rng';

const laws: AllocationLaw[] = [
  { language: 'a', alpha: 200, beta: 0.25, gamma: 0.5, max: 600_000 },
  { language: 'b', alpha: 400, beta: 0.3, gamma: 0.4, max: 250_000 },
  { language: 'c', alpha: 130, beta: 0.18, gamma: 0.6, max: 1_000_000 },
];

function randomLaws(rng: Rng, n: number): AllocationLaw[] {
  return Array.from({ length: n }, (_, i) => {
    const gamma = rng.uniform(0.3, 0.95);
    const beta = rng.uniform(0.1, 1);
    return { language: `l${i}`, alpha: rng.uniform(10, 60) * Math.pow(gamma * 1e5, beta), beta, gamma, max: Math.exp(rng.uniform(Math.log(5e4), Math.log(1.5e6))) };
  });
}

test('optimal: budget met, marginal gains equal below the caps', () => {
  const r = allocateOptimal(laws, 900_000);
  assert.ok(Math.abs(r.used - 900_000) < 1e-6);
  const free = r.marginal.filter((_, i) => r.x[i]! < laws[i]!.max);
  for (const g of free) assert.ok(Math.abs(g / r.lambda - 1) < 1e-9);
  r.x.forEach((x, i) => assert.ok(x >= 0 && x <= laws[i]!.max));
});

test('optimal matches a brute-force search on two languages', () => {
  const two = laws.slice(0, 2);
  const c = 500_000;
  let best = -Infinity;
  for (let k = 1; k < 20000; k++) {
    const x0 = (c * k) / 20000;
    const x1 = c - x0;
    if (x1 > two[1]!.max || x0 > two[0]!.max) continue;
    best = Math.max(best, (gain(two[0]!, x0) + gain(two[1]!, x1)) / 2);
  }
  const r = allocateOptimal(two, c);
  assert.ok(r.objective >= best - 1e-12 && r.objective - best < 1e-6);
});

test('optimal is at least as good as every baseline on random problems', () => {
  const rng = new Rng(11);
  for (let k = 0; k < 50; k++) {
    const ls = randomLaws(rng, 6);
    const c = rng.uniform(0.1, 0.9) * ls.reduce((t, l) => t + l.max, 0);
    const opt = allocateOptimal(ls, c);
    assert.ok(Math.abs(opt.used - c) <= 1e-9 * c);
    for (const b of [allocateUniform(ls, c), allocateProportional(ls, c), allocateTemperature(ls, c, 2), allocateUniMax(ls, c)]) {
      assert.ok(opt.objective >= b.objective - 1e-9, `${b.method}: ${b.objective} > ${opt.objective}`);
    }
  }
});

test('degenerate cases are handled and reported', () => {
  const zero = allocateOptimal(laws, 0);
  assert.deepEqual(zero.x, [0, 0, 0]);
  assert.equal(zero.objective, -Infinity);
  assert.match(zero.notes[0]!, /C = 0/);
  const over = allocateOptimal(laws, 5_000_000);
  assert.deepEqual(over.x, laws.map((l) => l.max));
  assert.match(over.notes[0]!, /exceeds the sum of maxima .* every language is capped/);
  const flat = allocateOptimal([...laws, { language: 'flat', alpha: 50, beta: 1e-9, gamma: 0.5, max: 1e6 }], 900_000);
  assert.ok(flat.x[3]! < 1, `flat language got ${flat.x[3]}`);
  assert.ok(flat.notes.some((n) => /flat/.test(n)));
  const tiny = allocateOptimal([...laws, { language: 't', alpha: 50, beta: 0.3, gamma: 0.5, max: 0.5 }], 900_000);
  assert.equal(tiny.x[3], 0.5);
  assert.ok(tiny.capped.includes('t') && tiny.notes.some((n) => /tiny maximum/.test(n)));
  assert.ok(Math.abs(tiny.used - 900_000) < 1e-6);
  const none = allocateOptimal([...laws, { language: 'z', alpha: 50, beta: 0.3, gamma: 0.5, max: 0 }], 900_000);
  assert.equal(none.objective, -Infinity);
  assert.ok(none.notes.some((n) => /max 0/.test(n)));
});

test('baselines: uniform leaves the capped remainder unused; temperature spans proportional to uniform', () => {
  const u = allocateUniform(laws, 900_000);
  assert.deepEqual(u.x, [300_000, 250_000, 300_000]);
  assert.equal(u.used, 850_000);
  assert.ok(u.notes.some((n) => /50000 pairs unused/.test(n)));
  const p = allocateProportional(laws, 925_000);
  assert.ok(Math.abs(p.x[0]! / p.x[2]! - 0.6) < 1e-12);
  const t1 = allocateTemperature(laws, 925_000, 1);
  t1.x.forEach((x, i) => assert.ok(Math.abs(x - p.x[i]!) < 1e-6));
  const hot = allocateTemperature(laws, 600_000, 1e6);
  hot.x.forEach((x) => assert.ok(Math.abs(x - 200_000) < 10));
  const um = allocateUniMax(laws, 900_000);
  assert.deepEqual(um.x, [325_000, 250_000, 325_000]);
  assert.equal(um.used, 900_000);
});

test('Table 3 check: an optimal allocation passes, uniform fails, the converse recovers the allocation', () => {
  const opt = allocateOptimal(laws, 900_000);
  const asRecord = Object.fromEntries(laws.map((l, i) => [l.language, opt.x[i]!]));
  const ok = checkOptimality(laws, asRecord);
  assert.ok(ok.optimal && ok.gap < 1e-9);
  const bad = checkOptimality(laws, { a: 300_000, b: 250_000, c: 350_000 });
  assert.ok(!bad.optimal && bad.gap > 0);
  const implied = lawsMakingOptimal(TABLE3.optimised, { beta: 0.3, gamma: { ar: 0.5, el: 0.5, hi: 0.4, tr: 0.4, vi: 0.6, zh: 0.6 }, lambda: 2e-5 });
  const back = allocateOptimal(implied, TABLE3.optimised.ar + TABLE3.optimised.el + TABLE3.optimised.hi + TABLE3.optimised.tr + TABLE3.optimised.vi + TABLE3.optimised.zh);
  back.languages.forEach((l, i) => assert.ok(Math.abs(back.x[i]! - TABLE3.optimised[l as keyof typeof TABLE3.optimised]) < 1e-3));
  const g = impliedGammas(TABLE3.optimised, 0.3);
  assert.equal(g.zh, 1);
  assert.ok(g.tr! < g.hi! && g.hi! < g.el!, 'more data means less similar');
});

test('budget sweep grows every language monotonically', () => {
  const s = budgetSweep(laws, [1e4, 1e5, 5e5, 1e6]);
  for (let i = 0; i < 3; i++) for (let k = 1; k < 4; k++) assert.ok(s.rows[k]!.x[i]! >= s.rows[k - 1]!.x[i]! - 1e-9);
});

test('input checks name the field', () => {
  assert.throws(() => validateLaws([{ ...laws[0]!, beta: 0 }], 'l.json'), /l\.json\[0\]\.beta: must be > 0/);
  assert.throws(() => validateLaws([{ ...laws[0]!, gamma: 2 }]), /\[0\]\.gamma/);
  assert.throws(() => validateLaws([laws[0]!, laws[0]!]), /appears twice/);
  assert.throws(() => allocateOptimal(laws, -1), /budget/);
  assert.equal(parseBudget('1.2M'), 1_200_000);
  assert.equal(parseBudget('1200k'), 1_200_000);
  assert.equal(parseBudget('1.2e6'), 1_200_000);
  assert.throws(() => parseBudget('lots'), /--budget/);
});

test('corpus mixture: the optimum of a share of the real pairs, capped per language, written as a mixture', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-alloc-mix-'));
  const pairs = (n: number, l: string) => Array.from({ length: n }, (_, i) => ({ src: `s${i}`, tgt: `${l}${i}` }));
  writeParallel(path.join(root, 'cache', 'corpus', 'en-aa', 'train'), 'en', 'aa', pairs(40, 'a'));
  writeParallel(path.join(root, 'cache', 'corpus', 'en-bb', 'train'), 'en', 'bb', pairs(10, 'b'));
  const twoLetter = laws.map((l) => ({ ...l, language: l.language.repeat(2) }));
  writeAlpaca(path.join(root, 'alpaca', 'alpaca_en.json'), [{ instruction: 'Say hi.', input: '', output: 'Hi.' }]);
  const registry = localRegistry(root);
  const m = corpusMixture(twoLetter, { registry, budgetShare: 0.5, seed: 3 })!;
  assert.deepEqual(m.laws.map((l) => [l.language, l.max]), [['aa', 40], ['bb', 10]], 'cc has no corpus; caps are the pairs present');
  assert.equal(m.budget, 25);
  assert.deepEqual(m.plan.x, allocateOptimal(m.laws, 25).x);
  m.plan.languages.forEach((l, i) => assert.equal(m.mixture.manifest.translation[l]!.used, Math.round(m.plan.x[i]!)));
  assert.deepEqual(Object.keys(m.instructions), ['en']);
  assert.equal(m.mixture.records.length, m.plan.languages.reduce((t, l) => t + m.mixture.manifest.translation[l]!.used, 0) + 1);
  assert.deepEqual(corpusMixture(twoLetter, { registry, budgetShare: 0.5, seed: 3 })!.mixture.records, m.mixture.records, 'deterministic');
  assert.equal(corpusMixture(twoLetter, { registry: new Map(), budgetShare: 0.5, seed: 3 }), undefined, 'no corpus, no mixture');
});
