import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { borrowedWords, buildTransducer, LANGUAGES, measureSimilarity, similarityLadder, structuralDistance, withSimilarity } from '../../src/world';
import { allSentenceKinds } from './world-helpers';

const SENTENCES = allSentenceKinds();

test('borrowed words grow monotonically with the loan share', () => {
  let prev = new Set<string>();
  for (const s of [0, 0.1, 0.3, 0.6, 1]) {
    const cur = borrowedWords(1, s);
    for (const w of prev) assert.ok(cur.has(w), `${w} at ${s}`);
    assert.ok(cur.size >= prev.size);
    prev = cur;
  }
});

test('the similarity ladder raises shared tokens and lowers word-order distance, measured on text', () => {
  for (const code of ['hi', 'ar', 'zh']) {
    const m = [0, 0.25, 0.5, 0.75, 1].map((level) => measureSimilarity(buildTransducer(similarityLadder(LANGUAGES[code]!, level), 1), SENTENCES));
    for (let i = 1; i < m.length; i++) {
      assert.ok(m[i]!.sharedTokenShare >= m[i - 1]!.sharedTokenShare, `${code} shared at step ${i}`);
      assert.ok(m[i]!.orderDistance <= m[i - 1]!.orderDistance + 1e-12, `${code} order at step ${i}`);
    }
    assert.ok(m[4]!.sharedTokenShare > 0.6, `${code}: at level 1 every content word is English (${m[4]!.sharedTokenShare})`);
    assert.ok(m[4]!.sharedTokenShare < 1, `${code}: function words stay the language's own`);
    assert.ok(m[0]!.orderDistance > m[4]!.orderDistance);
  }
});

test('structural distance reads the spec; withSimilarity overrides one parameter', () => {
  assert.equal(structuralDistance(LANGUAGES.el!), 0);
  assert.equal(structuralDistance(LANGUAGES.hi!), 0.6);
  const hiSvo = withSimilarity(LANGUAGES.hi!, { order: 'SVO' });
  assert.equal(hiSvo.code, 'hi-sim');
  assert.equal(hiSvo.order, 'SVO');
  assert.equal(LANGUAGES.hi!.order, 'SOV');
  const t = buildTransducer(hiSvo, 1);
  for (const e of SENTENCES.slice(0, 20)) assert.ok(t.toEnglish(t.toX(e)).length > 0);
});
