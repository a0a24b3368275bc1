/** Notebook 06's analysis: answer consistency, contrasts between groups of models, the claim 8 and 9 rules, the projection figures. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolvePreset } from '../../src/config/presets';
import type { ConditionComparison } from '../../src/experiments/compare';
import { analyseRepresentations, projectionFigure, type RepresentedModel } from '../../src/experiments/representation-report';
import { answerPairs, CONSISTENCY_TASKS, parallelSentences } from '../../src/experiments/representations';
import { consistencyVerdict, representationVerdict } from '../../src/experiments/verdict';
import { Rng } from '../../src/random/rng';
import { alignmentContrast, alignmentStatistics, consistencyInterval, consistencyScore, consistencyStats, linearCka, namedValues, namedValuesX, project2d, readBack } from '../../src/representations';
import type { RepresentationMatrix } from '../../src/similarity/retrieval';
import { bandFigure, scatterGridFigure } from '../../src/viz/plot';
import { buildWorld, worldOptionsFromSettings } from '../../src/world';

// classroom: all six languages (Latin, Greek-like, logographic, Arabic-like with a definite prefix, ...)
const world = buildWorld(worldOptionsFromSettings(resolvePreset('classroom').settings));
const sum = (rows: number[][]) => rows.reduce((s, r) => r.map((v, k) => (s[k] ?? 0) + v), [] as number[]);

test('consistency: a model that answers every X record with the translation of its English answer scores 100 on every metric, in all six languages and every task', () => {
  assert.equal(world.languages.length, 6);
  for (const lang of world.languages) {
    for (const task of CONSISTENCY_TASKS) {
      const en = world.examples(task, 'en', 'test', 12);
      const x = world.examples(task, lang, 'test', 12);
      // the world's gold outputs: the X output of record i is the transduction of the English one
      const pairs = answerPairs(world, lang, en, en.map((r) => r.output), x.map((r) => r.output));
      const stats = consistencyStats(pairs);
      for (const m of ['sameValue', 'sameValueAny', 'chrf'] as const) {
        assert.equal(consistencyScore(m, sum(stats[m])), 100, `${lang} ${task} ${m}: ${JSON.stringify(pairs.find((_, i) => stats[m][i]![0] !== stats[m][i]![1]) ?? pairs[0])}`);
      }
    }
  }
});

test('consistency: shuffled answers disagree; an X answer in English agrees only in sameValueAny; unreadable words are kept', () => {
  const lang = world.languages[0]!;
  const en = world.examples('knowledge', 'en', 'test', 20);
  const x = world.examples('knowledge', lang, 'test', 20);
  const shifted = answerPairs(world, lang, en, en.map((r) => r.output), x.map((_, i) => x[(i + 1) % x.length]!.output));
  const s = consistencyStats(shifted);
  assert.ok(consistencyScore('sameValue', sum(s.sameValue)) < 50, 'another record\'s answer names another value');
  assert.ok(consistencyScore('chrf', sum(s.chrf)) < 100);
  const inEnglish = answerPairs(world, lang, en, en.map((r) => r.output), en.map((r) => r.output));
  const e = consistencyStats(inEnglish);
  assert.equal(consistencyScore('sameValueAny', sum(e.sameValueAny)), 100);
  assert.ok(consistencyScore('sameValue', sum(e.sameValue)) < consistencyScore('sameValueAny', sum(e.sameValueAny)), 'an English answer does not name the value in X');
  assert.equal(readBack(() => {
    throw new Error('not X');
  }, 'two words'), 'two words');
  assert.deepEqual(namedValues('Gepi plays the Harp.', ['harp', 'lute', 'harpsichord']), ['harp'], 'whole words, case-insensitive');
  const ar = { spaced: true, prefix: 'ال' };
  assert.deepEqual(namedValuesX('هو البرنو.', ['judge', 'smith'], ['برنو', 'بر'], ar), ['judge'], 'a form that begins a longer one at the same place does not count');
  assert.deepEqual(namedValuesX('بر و برنو', ['judge', 'smith'], ['برنو', 'بر'], ar), ['judge', 'smith']);
  assert.deepEqual(namedValuesX('kabarno', ['judge'], ['barno'], { spaced: true, prefix: '' }), [], 'inside a word is not a word start');
  assert.deepEqual(namedValuesX('嗎刽。', ['harp'], ['嗎刽'], { spaced: false, prefix: '' }), ['harp']);
  const i = consistencyInterval('sameValue', e.sameValue, { samples: 50, seed: 1 });
  assert.ok(i.lower <= i.value && i.value <= i.upper);
  assert.throws(() => answerPairs(world, lang, en, ['a'], ['b']), /20 records but 1 English and 1/);
});

test('parallel sentences: each English sentence once, aligned with its translation', () => {
  const lang = world.languages[0]!;
  const { english, other } = parallelSentences(world, lang, 30);
  assert.equal(new Set(english).size, english.length);
  assert.equal(english.length, other.length);
  const t = world.transducers.get(lang)!;
  english.forEach((e, i) => assert.equal(other[i], t.toX(e)));
});

// synthetic states: English rows, and X rows that are a noisy copy (aligned) or a copy moved far away with its rows shuffled (apart)
function states(rng: Rng, n: number, d: number, layers: number, aligned: boolean): { english: RepresentationMatrix[]; other: RepresentationMatrix[]; dir: string } {
  const english: RepresentationMatrix[] = [];
  const other: RepresentationMatrix[] = [];
  for (let l = 0; l < layers; l++) {
    const e = Array.from({ length: n * d }, () => rng.normal());
    const perm = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    const x = Array.from({ length: n * d }, (_, k) => {
      const [i, j] = [Math.floor(k / d), k % d];
      return aligned ? e[k]! + 0.1 * rng.normal() : e[perm[i]! * d + j]! + 3 + rng.normal();
    });
    english.push({ rows: n, cols: d, data: e });
    other.push({ rows: n, cols: d, data: x });
  }
  return { english, other, dir: '' };
}

test('alignmentContrast: a group against itself is 0; aligned against apart is positive on top-1 and negative on centroid distance', () => {
  const rng = new Rng(5);
  const a = states(rng, 24, 6, 1, true);
  const b = states(rng, 24, 6, 1, false);
  const pa = [[a.english[0]!, a.other[0]!] as const];
  const pb = [[b.english[0]!, b.other[0]!] as const];
  const self = alignmentContrast(pa, pa, ['top1', 'cka'], { samples: 100, seed: 1 });
  assert.equal(self.top1.value, 0);
  assert.equal(self.top1.lower, 0);
  const c = alignmentContrast(pa, pb, ['top1', 'centroidDistance'], { samples: 100, seed: 1 });
  assert.ok(c.top1.lower > 0, JSON.stringify(c.top1));
  assert.ok(c.centroidDistance.upper < 0, JSON.stringify(c.centroidDistance));
  const small = { rows: 3, cols: 6, data: Array.from({ length: 18 }, (_, i) => i % 7) };
  assert.throws(() => alignmentContrast(pa, [[small, small]]), /same 24 sentences; one has 3/);
});

test('alignment statistics on a bootstrap draw equal the measures on the drawn rows written out (CKA, centroid distance; cosine gap without repeats)', () => {
  const rng = new Rng(8);
  const s = states(rng, 15, 4, 1, true);
  const [e, x] = [s.english[0]!, s.other[0]!];
  const idx = Array.from({ length: 15 }, () => rng.int(15));
  const pick = (m: RepresentationMatrix) => ({ rows: idx.length, cols: m.cols, data: idx.flatMap((r) => Array.from({ length: m.cols }, (_, k) => Number(m.data[r * m.cols + k]))) });
  const stats = alignmentStatistics(e, x);
  const written = alignmentStatistics(pick(e), pick(x));
  const all = idx.map((_, i) => i);
  for (const m of ['cka', 'centroidDistance'] as const) assert.ok(Math.abs(stats[m](idx) - written[m](all)) < 1e-9, `${m}: ${stats[m](idx)} against ${written[m](all)}`);
  assert.ok(Math.abs(linearCka(pick(e), pick(x)) - stats.cka(idx)) < 1e-9);
  // a draw without repeats: the cosine gap equals that of the rows written out (with repeats, a row's copy is not an "other" pair)
  const distinct = [3, 0, 7, 11, 5, 14];
  const pickRows = (m: RepresentationMatrix) => ({ rows: distinct.length, cols: m.cols, data: distinct.flatMap((r) => Array.from({ length: m.cols }, (_, k) => Number(m.data[r * m.cols + k]))) });
  const sub = alignmentStatistics(pickRows(e), pickRows(x));
  assert.ok(Math.abs(stats.cosineGap(distinct) - sub.cosineGap(distinct.map((_, i) => i))) < 1e-12);
});

test('analyseRepresentations: aligned middle layers give claim 8 reproduced; with two seeds or no middle layer it is not assessed', () => {
  const rng = new Rng(9);
  const models = (seeds: number, layers: number): RepresentedModel[] => [1, 2, 3].slice(0, seeds).flatMap((seed) => [
    { arm: 'en-only', seed, states: states(rng, 20, 5, layers, false) },
    { arm: 'bilingual+translation', seed, states: states(rng, 20, 5, layers, true) },
  ]);
  const a = analyseRepresentations(models(3, 4), { lang: 'xx', samples: 100, seed: 1 });
  assert.deepEqual(a.claim8.middleLayers, [1, 2]);
  assert.equal(a.verdicts[0]!.verdict, 'reproduced', a.verdicts[0]!.reason);
  assert.equal(a.verdicts[1]!.verdict, 'not assessed', 'no consistency measured');
  assert.equal(a.measures.length, 2 * 4 * 5, 'arms x layers x measures');
  assert.equal(analyseRepresentations(models(2, 4), { lang: 'xx', samples: 50, seed: 1 }).verdicts[0]!.verdict, 'not assessed');
  assert.match(analyseRepresentations(models(3, 2), { lang: 'xx', samples: 50, seed: 1 }).verdicts[0]!.reason, /no middle layer/);
  const fig = projectionFigure(models(1, 3), { arms: ['en-only', 'bilingual+translation'], layers: [0, 2], lang: 'xx', method: 'pca', seed: 1, title: 't' });
  assert.equal(fig.data.length, 2 * 2 * 2, 'panels x (English, X)');
  assert.deepEqual(fig.layout.grid, { rows: 2, columns: 2, pattern: 'independent', ygap: 0.35, xgap: 0.12 });
});

test('claim 8 and 9 rules: reproduced, partly and not reproduced as stated', () => {
  const iv = (value: number, lower: number, upper: number) => ({ value, lower, upper });
  const e8 = { lang: 'xx', middleLayers: [1, 2], pairedSeeds: 3, top1: iv(0.2, 0.1, 0.3), centroidDistance: iv(-0.5, -0.8, -0.2) };
  assert.equal(representationVerdict(e8).verdict, 'reproduced');
  assert.equal(representationVerdict({ ...e8, top1: iv(0.05, -0.01, 0.1) }).verdict, 'partly');
  assert.equal(representationVerdict({ ...e8, top1: iv(0, -0.1, 0.1), centroidDistance: iv(0.1, 0, 0.2) }).verdict, 'not reproduced');
  const comp = (delta: number, p: number | null, seeds = 3): ConditionComparison => ({
    lang: 'xx', task: 'qa', metric: 'sameValue', evalLang: 'xx', a: 'en-only', b: 'bilingual+translation',
    seedsA: { seeds, mean: 10, lower: null, upper: null }, seedsB: { seeds, mean: 10 + delta, lower: null, upper: null }, delta, pairedSeeds: seeds, pValue: p, segments: 10,
  });
  assert.equal(consistencyVerdict({ lang: 'xx', comparisons: [comp(5, 0.01), comp(3, 0.02)] }).verdict, 'reproduced');
  assert.equal(consistencyVerdict({ lang: 'xx', comparisons: [comp(5, 0.01), comp(3, 0.5)] }).verdict, 'partly');
  assert.equal(consistencyVerdict({ lang: 'xx', comparisons: [comp(-5, 0.01), comp(3, 0.5)] }).verdict, 'not reproduced');
  assert.equal(consistencyVerdict({ lang: 'xx', comparisons: [comp(5, 0.01), comp(-3, 0.01), comp(-2, 0.01)] }).verdict, 'not reproduced', 'more significant losses than gains');
  assert.equal(consistencyVerdict({ lang: 'xx', comparisons: [comp(5, 0.01, 2)] }).verdict, 'not assessed');
  assert.equal(consistencyVerdict({ lang: 'xx', comparisons: [comp(5, null)] }).verdict, 'not assessed');
});

test('figures: bands and small multiples check their lengths; UMAP repeats with its seed', () => {
  assert.throws(() => bandFigure([0, 1], [{ name: 'a', y: [1, 2], lower: [0], upper: [2, 3] }], { title: 't' }), /band "a"/);
  assert.throws(() => scatterGridFigure([{ title: 'p', groups: [{ name: 'g', x: [1], y: [] }] }], { title: 't', columns: 1 }), /panel "p", group "g"/);
  const rng = new Rng(2);
  const m = { rows: 30, cols: 4, data: Array.from({ length: 120 }, () => rng.normal()) };
  assert.deepEqual(project2d(m, 'umap', { seed: 3, neighbours: 5 }), project2d(m, 'umap', { seed: 3, neighbours: 5 }));
  assert.equal(project2d(m, 'pca').x.length, 30);
});
