import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { competenceDisplay, competenceOf, competenceSummary, competenceTable, COMPETENCE_SCORES, labCompetence } from '../../src/experiments/competence';
import type { ExperimentResult, TuneSpec } from '../../src/experiments';

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

test('lab competence: grid rows per condition, then series points outside the grid; displayed with intervals; one summary line', () => {
  const res = (hash: string, condition: string, pairs: number, m: ReturnType<typeof metrics>) =>
    ({ kind: 'tune', provenance: { configHash: hash }, spec: { lang: 'el', condition, data: { translation: pairs ? { el: pairs } : {} } }, metrics: m }) as unknown as ExperimentResult<TuneSpec>;
  const grid = [res('a', 'en-only', 0, metrics(60, 0, 45)), res('b', 'en-only', 0, metrics(70, 0, 47)), res('c', 'bilingual+translation', 3000, metrics(50, 0, 40))];
  const rows = labCompetence(grid, [grid[2]!, res('d', 'bilingual+translation', 100, metrics(40, 0, 30))]);
  assert.deepEqual(rows.map((r) => [r.condition, r.seeds]), [['en-only', 2], ['bilingual+translation', 1], ['recipe, 100 pairs', 1]]);
  const shown = competenceDisplay(rows[0]!);
  assert.match(String(shown['knowledge (contains, %) >= 70']), /^65\.0 \(.+ to .+\) \(below\)$/);
  assert.equal(shown['summarisation (ROUGE-L) >= 40'], `46.0 (${rows[0]!.scores.summarization.lower!.toFixed(1)} to ${rows[0]!.scores.summarization.upper!.toFixed(1)})`);
  assert.match(competenceSummary(rows), /^Below target: el en-only \(knowledge, qa\); el bilingual\+translation \(knowledge, qa\); el recipe, 100 pairs \(knowledge, qa, summarization\)\./);
  const good = competenceTable([{ spec: { lang: 'el', condition: 'en-only' }, metrics: metrics(80, 60, 45) }]);
  assert.match(competenceSummary(good), /^English-only models meet every competence target in el/);
  assert.match(competenceSummary([]), /^Below target: \./, 'no English-only rows is never "competent"');
});
