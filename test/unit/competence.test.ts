import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { competenceOf, competenceTable, COMPETENCE_SCORES } from '../../src/experiments/competence';
import { judgeTorchBlas } from '../../src/bench/train-bench';

const metrics = (k: number, qa: number, s: number) => ({ knowledge: { en: { contains: k } }, qa: { en: { contains: qa } }, summarization: { en: { rougeL: s } } });

test('competence: English knowledge, QA and summarisation against their targets, beside the base probe', () => {
  assert.deepEqual(COMPETENCE_SCORES.map((s) => s.target), [70, 50, 40]);
  const c = competenceOf(metrics(72.5, 49.9, 40), { en: { contains: 100, rank: 98 } });
  assert.deepEqual(c.scores, { knowledge: 72.5, qa: 49.9, summarization: 40 });
  assert.deepEqual(c.met, { knowledge: true, qa: false, summarization: true });
  assert.deepEqual(c.base, { contains: 100, rank: 98 });
  assert.throws(() => competenceOf({ knowledge: { el: { contains: 1 } } }), /no English knowledge contains/);
});

test('competence table: mean and t-interval over seeds per language and condition; competent only when every mean meets its target', () => {
  const r = (lang: string, condition: string, m: ReturnType<typeof metrics>) => ({ spec: { lang, condition }, metrics: m });
  const rows = competenceTable([
    r('el', 'en-only', metrics(70, 60, 45)), r('el', 'en-only', metrics(80, 50, 41)), r('el', 'en-only', metrics(75, 55, 43)),
    r('zh', 'en-only', metrics(90, 40, 50)),
  ]);
  assert.equal(rows.length, 2);
  const el = rows[0]!;
  assert.equal(el.seeds, 3);
  assert.equal(el.scores.knowledge.mean, 75);
  assert.ok(el.scores.knowledge.lower! < 75 && el.scores.knowledge.upper! > 75);
  assert.equal(el.competent, true);
  assert.equal(rows[1]!.competent, false);
  assert.equal(rows[1]!.met.qa, false);
  assert.equal(rows[1]!.scores.qa.lower, null, 'one seed has no interval');
});

test('bench: a PyTorch on a reference BLAS is not a fair anchor for the speed ratio', () => {
  assert.equal(judgeTorchBlas(5.1, 'BLAS_INFO=generic', 'cpu').fair, false);
  assert.match(judgeTorchBlas(5.1, '', 'cpu').why, /libopenblas0-pthread/);
  assert.equal(judgeTorchBlas(80, 'BLAS_INFO=generic', 'cpu').fair, true);
  assert.equal(judgeTorchBlas(NaN, '', 'cpu').fair, false);
  assert.equal(judgeTorchBlas(3, '', 'cuda').fair, true, 'a GPU device does not use the CPU BLAS');
});
