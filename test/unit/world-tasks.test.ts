import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { TRANSLATION_TEMPLATES } from '../../src/data';
import { ENGLISH_POS, TASK_IDS, toRecords } from '../../src/world';
import { fillBlank } from '../../src/world/grammar';
import { DEFAULT_TASK_FORMAT } from '../../src/world/tasks';
import { tinyWorld } from './world-helpers';

const LANGS = ['en', 'ar', 'el', 'hi', 'tr', 'vi', 'zh'];

test('every task gives Alpaca-shaped records, deterministically, for every language and split', () => {
  const w = tinyWorld();
  const w2 = tinyWorld();
  for (const task of TASK_IDS) {
    for (const lang of LANGS) {
      if (task === 'translation' && lang === 'en') continue;
      for (const split of ['train', 'test'] as const) {
        const ex = w.examples(task, lang, split);
        assert.ok(ex.length > 0, `${task} ${lang} ${split}`);
        assert.deepEqual(ex, w2.examples(task, lang, split));
        for (const r of toRecords(ex)) {
          assert.deepEqual(Object.keys(r), ['id', 'instruction', 'input', 'output']);
          assert.ok(r.instruction !== '' && r.output !== '');
        }
        assert.equal(new Set(ex.map((e) => e.id)).size, ex.length);
      }
    }
  }
});

test('context QA: the answer is a span of the context, in every language', () => {
  const w = tinyWorld();
  for (const lang of LANGS) {
    for (const e of w.examples('qa', lang, 'test', 20)) {
      const context = e.input.split('\n')[0]!;
      assert.ok(context.includes(e.answer), `${lang}: "${e.answer}" not in ${context}`);
    }
  }
});

test('knowledge infilling: test asks held-out people only, train never does', () => {
  const w = tinyWorld();
  for (const lang of ['en', 'tr', 'zh']) {
    assert.ok(w.examples('knowledge', lang, 'test', 100).every((e) => e.heldOut === true));
    assert.ok(w.examples('knowledge', lang, 'train', 100).every((e) => e.heldOut === false));
  }
  const held = w.kb.people.filter((p) => p.heldOut);
  assert.equal(w.examples('knowledge', 'tr', 'test', 1000).length, held.length * w.kb.options.relations.length);
  for (const task of ['alpaca', 'qa', 'summarization', 'translation'] as const) {
    for (const e of w.examples(task, 'tr', 'train', 30)) for (const p of held) assert.ok(!`${e.instruction} ${e.input} ${e.output}`.includes(p.name), `${task}: ${p.name}`);
  }
});

test('translation: English source, X target by the transduction; tests use the first instruction; splits disjoint', () => {
  const w = tinyWorld();
  const t = w.transducers.get('hi')!;
  const test_ = w.examples('translation', 'hi', 'test', 10);
  for (const e of test_) {
    assert.equal(e.output, t.toX(e.input));
    assert.equal(e.instruction, 'Translate the following sentences from English to Hindi.');
  }
  const train = w.examples('translation', 'hi', 'train', 10);
  assert.equal(new Set(train.map((e) => e.instruction)).size, Math.min(TRANSLATION_TEMPLATES.length, train.length));
  const names = (xs: typeof train) =>
    new Set(xs.flatMap((e) => e.input.split(/[\s.?]+/).filter((t) => /^\p{Lu}/u.test(t) && ENGLISH_POS[t.toLowerCase()] === undefined)));
  assert.ok(names(test_).size > 0);
  for (const n of names(test_)) assert.ok(!names(train).has(n), n);
  // the same English in every language (FLORES is multi-way parallel)
  assert.deepEqual(w.examples('translation', 'zh', 'test', 10).map((e) => e.input), test_.map((e) => e.input));
});

test('alpaca: record i is the same item in English and in its transduction', () => {
  const w = tinyWorld();
  const en = w.examples('alpaca', 'en', 'train', 30);
  const vi = w.examples('alpaca', 'vi', 'train', 30);
  const t = w.transducers.get('vi')!;
  en.forEach((e, i) => {
    assert.equal(vi[i]!.instruction, t.toX(e.instruction));
    assert.equal(vi[i]!.output, t.toX(e.output));
  });
});

test('qa and knowledge carry the English value for a lenient score; the strict answer is its X word', () => {
  const w = tinyWorld();
  const t = w.transducers.get('el')!;
  for (const task of ['qa', 'knowledge'] as const) {
    for (const e of w.examples(task, 'el', 'test', 10)) assert.equal(e.answer, t.word(e.answerEnglish!));
    for (const e of w.examples(task, 'en', 'test', 10)) assert.equal(e.answer, e.answerEnglish);
  }
});

test('knowledge choices: one sentence per value of the relation, in record order; the gold one is the record\'s output', () => {
  const w = tinyWorld();
  for (const lang of ['en', 'hi', 'tr', 'zh']) {
    const recs = w.examples('knowledge', lang, 'test', 12);
    const choices = w.knowledgeChoices(lang, 'test', 12);
    assert.equal(choices.length, recs.length);
    choices.forEach((c, i) => {
      const rec = recs[i]!;
      assert.equal(c.sentences.length, w.kb.values[rec.relation!].length, `${lang} ${i}`);
      assert.equal(c.sentences[c.gold], rec.output, `${lang} ${i}: the gold sentence is the record's output`);
      assert.equal(new Set(c.sentences).size, c.sentences.length, `${lang} ${i}: the candidates differ`);
    });
  }
});

test('no translation test source occurs verbatim among the training pairs (filler is train-only)', () => {
  const w = tinyWorld();
  for (const lang of ['ar', 'tr', 'zh']) {
    const train = new Set(w.examples('translation', lang, 'train', 400).map((r) => r.input));
    const test = w.examples('translation', lang, 'test', 100);
    assert.deepEqual(test.filter((r) => train.has(r.input)).map((r) => r.input), [], lang);
  }
});

test('knowledge answer formats: the cloze restated with its value, or the value alone; the default is unchanged', () => {
  const w = tinyWorld();
  assert.deepEqual(w.examples('knowledge', 'en', 'test', 10, { ...DEFAULT_TASK_FORMAT, knowledgeAnswer: 'sentence' }), w.examples('knowledge', 'en', 'test', 10));
  for (const lang of ['en', ...LANGS]) {
    const sentence = w.examples('knowledge', lang, 'train', 10);
    const value = w.examples('knowledge', lang, 'train', 10, { ...DEFAULT_TASK_FORMAT, knowledgeAnswer: 'value' });
    value.forEach((e, i) => {
      assert.equal(e.output, e.answer, lang);
      assert.ok(sentence[i]!.output.includes(e.answer) && sentence[i]!.output.length > e.output.length, lang);
      assert.deepEqual({ ...e, output: '' }, { ...sentence[i]!, output: '' }, `${lang}: only the output differs`);
    });
  }
});

test('context QA formats: one stranger per passage, or an answer sentence that contains the value; the default is unchanged', () => {
  const w = tinyWorld();
  assert.deepEqual(w.examples('qa', 'en', 'test', 10, { ...DEFAULT_TASK_FORMAT, qaPeople: 2, qaAnswer: 'value' }), w.examples('qa', 'en', 'test', 10));
  for (const lang of LANGS) {
    const one = w.examples('qa', lang, 'test', 10, { ...DEFAULT_TASK_FORMAT, qaPeople: 1, qaAnswer: 'value' });
    const two = w.examples('qa', lang, 'test', 10);
    const sent = w.examples('qa', lang, 'test', 10, { ...DEFAULT_TASK_FORMAT, qaPeople: 2, qaAnswer: 'sentence' });
    one.forEach((e, i) => {
      const context = e.input.split('\n')[0]!;
      assert.ok(context.includes(e.answer), `${lang}: "${e.answer}" not in ${context}`);
      assert.ok(context.length < two[i]!.input.split('\n')[0]!.length, `${lang}: one stranger makes a shorter passage`);
    });
    sent.forEach((e, i) => {
      assert.equal(e.answer, two[i]!.answer, `${lang}: the same question and value`);
      assert.equal(e.input, two[i]!.input);
      assert.ok(e.output.includes(e.answer) && e.output !== e.answer, `${lang}: "${e.output}" states "${e.answer}"`);
    });
  }
  const en = w.examples('qa', 'en', 'test', 10, { ...DEFAULT_TASK_FORMAT, qaPeople: 2, qaAnswer: 'sentence' });
  for (const e of en) assert.ok(e.input.includes(e.output.split(' ')[0]!), `the sentence starts with the asked name: ${e.output}`);
});

test('filled clozes take "an" before a vowel, as the pre-training corpus writes them', () => {
  const w = tinyWorld();
  const recs = [...w.examples('knowledge', 'en', 'train'), ...w.examples('knowledge', 'en', 'test')];
  assert.ok(recs.every((r) => !/\ba [aeiou]/i.test(r.output)), 'no "a owl"');
  assert.equal(fillBlank('Zave keeps a ___ .', 'owl'), 'Zave keeps an owl .');
  assert.equal(fillBlank('Zave keeps a ___ .', 'cat'), 'Zave keeps a cat .');
  assert.equal(fillBlank('Zave likes ___ .', 'olives'), 'Zave likes olives .');
});
