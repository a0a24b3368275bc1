import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { buildWorld, composePretrainCorpus } from '../../src/world';
import { tinyOptions } from './world-helpers';

test('the corpus is deterministic and English-dominated, with each target language at its share', () => {
  const o = tinyOptions();
  const a = buildWorld(o).corpus();
  const b = buildWorld(o).corpus();
  assert.deepEqual(a, b);
  const by = new Map<string, number>();
  for (const d of a.docs) by.set(d.lang, (by.get(d.lang) ?? 0) + d.sentences);
  const total = [...by.values()].reduce((s, x) => s + x, 0);
  for (const l of ['ar', 'el', 'hi', 'tr', 'vi', 'zh']) {
    const share = by.get(l)! / total;
    assert.ok(share > 0.045 && share < 0.06, `${l}: ${share}`);
  }
  const english = [...by].filter(([k]) => k === 'en' || k.startsWith('en+')).reduce((s, [, x]) => s + x, 0);
  assert.ok(english / total > 0.65);
});

test('no target-language text states a held-out fact; code-switching never replaces held-out values', () => {
  const w = buildWorld(tinyOptions({ corpus: { sentences: 3000, targetShare: 0.05, codeSwitchShare: 0.5, codeSwitchP: 1, parallelShare: 0.05, repeatShare: 0.05, recallShare: 0.05 } }));
  const held = w.kb.people.filter((p) => p.heldOut);
  assert.ok(held.length > 0);
  let switched = 0;
  for (const d of w.corpus().docs) {
    for (const p of held) {
      if (!d.text.includes(p.name)) continue;
      assert.ok(d.lang === 'en' || d.lang.startsWith('en+'), `held-out ${p.name} in ${d.lang}: ${d.text}`);
      if (d.kind === 'codeswitch') {
        switched++;
        for (const v of Object.values(p.facts)) if (new RegExp(`\\b${v}\\b`).test(d.text.replace(p.name, ''))) assert.ok(true);
        const t = w.transducers.get(d.lang.slice(3))!;
        for (const v of Object.values(p.facts)) assert.ok(!d.text.split(/[\s.]+/).includes(t.word(v!)), `${p.name}: ${v} switched in ${d.text}`);
      }
    }
  }
  assert.ok(switched > 0, 'some held-out biographies are code-switched (with their values kept in English)');
});

test('levers are off unless asked: no parallel or repeated documents by default, and each one adds its own kind', () => {
  const kinds = (o: Parameters<typeof tinyOptions>[0]) => new Set(buildWorld(tinyOptions(o)).corpus().docs.map((d) => d.kind));
  const base = kinds({});
  assert.ok(!base.has('parallel') && !base.has('repeat'));
  const none = kinds({ corpus: { ...tinyOptions().corpus, codeSwitchShare: 0 } });
  assert.ok(!none.has('codeswitch'));
  assert.ok(kinds({ corpus: { ...tinyOptions().corpus, parallelShare: 0.1 } }).has('parallel'));
  const w = buildWorld(tinyOptions({ corpus: { ...tinyOptions().corpus, repeatShare: 0.1 } }));
  const rep = w.corpus().docs.find((d) => d.kind === 'repeat')!;
  const half = rep.text.slice(0, (rep.text.length - 1) / 2);
  assert.equal(rep.text, `${half} ${half}`);
});

test('shares that leave no English are refused, naming the options', () => {
  const w = buildWorld(tinyOptions());
  assert.throws(
    () => composePretrainCorpus(w.kb, [...w.transducers.values()], { ...tinyOptions().corpus, targetShare: 0.2 }, 1),
    /targetShare x 6 languages/,
  );
});

test('stranger recall: a document restates a fact it stated earlier, about people outside the knowledge base', () => {
  const w = buildWorld(tinyOptions({ corpus: { sentences: 3000, targetShare: 0.05, codeSwitchShare: 0.3, codeSwitchP: 0.5, parallelShare: 0, repeatShare: 0, recallShare: 0.1 } }));
  const docs = w.corpus().docs.filter((d) => d.kind === 'recall');
  const sentences = docs.reduce((a, d) => a + d.sentences, 0);
  assert.ok(Math.abs(sentences - 300) <= 10, `about 10% of the sentences: ${sentences}`);
  const names = new Set(w.kb.people.map((p) => p.name));
  const allValues = new Set(Object.values(w.kb.values).flat());
  const en = docs.filter((d) => d.lang === 'en');
  assert.ok(en.length > 0 && en.length < docs.length, 'mostly English, some in a target language');
  for (const d of en) {
    const ss = d.text.split(/(?<=\.) /);
    const first = ss[0]!.split(' ')[0]!;
    assert.ok(!names.has(first), `a stranger, not a knowledge-base person: ${d.text}`);
    const last = ss.at(-1)!;
    const words = last.replace(/ ?\.$/, '').split(' ');
    const value = words.find((x) => allValues.has(x))!;
    assert.ok(value, `a fact: ${last}`);
    const earlier = ss.slice(0, -1).filter((s) => s.startsWith(`${words[0]} `) && s.split(/[ .]/).includes(value));
    assert.ok(earlier.length > 0, `"${last}" restates an earlier fact of ${words[0]}: ${d.text}`);
  }
});
