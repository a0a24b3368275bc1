import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Rng } from '../../src/random/rng';
import { buildKnowledgeBase, drawStrangers, ENGLISH_POS } from '../../src/world';

const opts = { seed: 3, people: 40, relations: ['job', 'pet', 'food', 'instrument'] as const, valuesPerRelation: 10, heldOutShare: 0.2 };

test('the knowledge base is deterministic per seed and differs across seeds', () => {
  const a = buildKnowledgeBase({ ...opts, relations: [...opts.relations] });
  const b = buildKnowledgeBase({ ...opts, relations: [...opts.relations] });
  assert.deepEqual(a, b);
  const c = buildKnowledgeBase({ ...opts, relations: [...opts.relations], seed: 4 });
  assert.notDeepEqual(a.people.map((p) => p.name), c.people.map((p) => p.name));
});

test('people have one value per relation from the value sets; the held-out share is exact', () => {
  const kb = buildKnowledgeBase({ ...opts, relations: [...opts.relations] });
  assert.equal(kb.people.filter((p) => p.heldOut).length, 8);
  for (const p of kb.people) {
    for (const r of opts.relations) assert.ok(kb.values[r].includes(p.facts[r]!), `${p.name} ${r}`);
  }
  assert.equal(new Set(kb.people.map((p) => p.name)).size, kb.people.length);
  for (const p of kb.people) assert.equal(ENGLISH_POS[p.name.toLowerCase()], undefined);
});

test('strangers never share a name with the knowledge base, and two draws differ', () => {
  const kb = buildKnowledgeBase({ ...opts, relations: [...opts.relations] });
  const rng = new Rng(1);
  const s1 = drawStrangers(kb, rng, 50);
  const s2 = drawStrangers(kb, rng, 50);
  const kbNames = new Set([...kb.people.map((p) => p.name), ...kb.towns]);
  for (const s of [...s1, ...s2]) assert.ok(!kbNames.has(s.name), s.name);
  assert.notDeepEqual(s1.map((s) => s.name), s2.map((s) => s.name));
});

test('bad options are errors naming the field', () => {
  assert.throws(() => buildKnowledgeBase({ ...opts, relations: [...opts.relations], heldOutShare: 1 }), /heldOutShare/);
  assert.throws(() => buildKnowledgeBase({ ...opts, relations: ['job', 'colour' as never] }), /unknown relation "colour"/);
  assert.throws(() => buildKnowledgeBase({ ...opts, relations: ['job'], valuesPerRelation: 99 }), /valuesPerRelation/);
});
