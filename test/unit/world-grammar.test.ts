import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Rng } from '../../src/random/rng';
import { cloze, GrammarError, parseEnglish, realizeEnglish, statement, summary } from '../../src/world';
import { allSentenceKinds } from './world-helpers';

test('every sentence kind of the grammar parses and realises back to itself', () => {
  for (const s of allSentenceKinds()) assert.equal(realizeEnglish(parseEnglish(s)), s);
});

test('statements pick "an" before a vowel and capitalise', () => {
  const p = { name: 'Lima', facts: { pet: 'owl', job: 'baker' } };
  assert.equal(statement(p, 'pet', undefined, 0), 'Lima keeps an owl.');
  assert.equal(statement(p, 'job', undefined, 0), 'Lima works as a baker.');
  assert.deepEqual(cloze(p, 'pet', undefined, 0), { text: 'Lima keeps a ___.', answer: 'owl' });
  assert.equal(summary(p, ['job', 'pet']), 'Lima works as a baker and keeps an owl.');
});

test('questions keep the wh-phrase in place inside the clause and front it in English', () => {
  const [c] = parseEnglish('Which town does Tavo live in?');
  assert.equal(c!.question, true);
  assert.equal(c!.subj!.head.text, 'Tavo');
  const pp = c!.vps[0]!.comps[0]!;
  assert.equal(pp.kind, 'pp');
  assert.equal(realizeEnglish([c!]), 'Which town does Tavo live in?');
});

test('generation is deterministic per seed', () => {
  const p = { name: 'Lima', facts: { food: 'rice' } };
  const a = Array.from({ length: 5 }, (_, i) => statement(p, 'food', new Rng(3).fork(String(i))));
  const b = Array.from({ length: 5 }, (_, i) => statement(p, 'food', new Rng(3).fork(String(i))));
  assert.deepEqual(a, b);
});

test('a word outside the grammar is an error naming it', () => {
  assert.throws(() => parseEnglish('Tavo eats pizza.'), (e: Error) => e instanceof GrammarError && /"pizza"/.test(e.message));
});
