/**
 * Tasks of the miniature world with train and test splits, each mirroring a benchmark
 * of the paper (Section 4.1, Table 2):
 *
 * | task | mirrors | what it asks | output |
 * |---|---|---|---|
 * | translation | FLORES-101 | an English sentence about strangers, filler, questions | its transduction into X |
 * | qa | XQuAD / MLQA | a context about two strangers and a question | the value, a span of the context |
 * | knowledge | mLAMA | a cloze sentence about a knowledge-base person | the hidden value (test: held-out people only) |
 * | summarization | XL-Sum | a passage about a stranger with filler | one sentence of coordinated facts |
 * | alpaca | Alpaca (and its translation) | general instructions (describe, repeat, closed QA, name an example, opposite) | the response |
 *
 * Records have the Alpaca shape {id, instruction, input, output} of the paper's public
 * code (Section 4.1). Translation instructions are English (a paraphrase pool cycled
 * over training records; tests use the first), all other instructions are in the
 * record's language, as the paper localises its QA prompts. Outputs of qa and knowledge
 * are the value in citation form (no affixes), which occurs in the context / is what the
 * "contains" metric looks for. Held-out people appear only in the knowledge test split
 * and English texts; strangers' names never collide with the knowledge base.
 * Serves notebook 02 and the experiments runner.
 */

import { TRANSLATION_TEMPLATES } from '../data/mixture';
import type { AlpacaRecord } from '../data/records';
import { Rng } from '../random/rng';
import { ADJECTIVE_PAIRS, type RelationId } from './english';
import { cloze, fillBlank, passage, question, statement, summary, filler, type Subject } from './grammar';
import { drawStrangers, type KnowledgeBase, type Person } from './kb';
import type { Transducer } from './transduce';

export const TASK_IDS = ['translation', 'qa', 'knowledge', 'summarization', 'alpaca'] as const;
export type TaskId = (typeof TASK_IDS)[number];
export type Split = 'train' | 'test';

/**
 * An instruction-tuning record in the Alpaca shape. Structurally the same as
 * `AlpacaRecord` with an id (src/data/records.ts on the data branch), defined here so
 * that the world does not depend on that branch.
 */
/** An Alpaca record (src/data/records.ts) whose id is always set. */
export type WorldRecord = AlpacaRecord & { id: string };

/** A record with what an evaluator needs beside it. */
export interface WorldExample extends WorldRecord {
  task: TaskId;
  lang: string;
  split: Split;
  /** The expected answer (qa, knowledge: the value; others: the output). */
  answer: string;
  /** qa, knowledge: the value in English, for a lenient "right value in any language" score (docs/world.md). */
  answerEnglish?: string;
  relation?: RelationId;
  /** knowledge: whether the person is held out (never stated in a target language). */
  heldOut?: boolean;
}

/** Just the Alpaca fields (what a trainer reads). */
export function toRecords(examples: readonly WorldExample[]): WorldRecord[] {
  return examples.map(({ id, instruction, input, output }) => ({ id, instruction, input, output }));
}

/**
 * The translation instruction for English -> a world language: the project's pool of
 * paraphrases (src/data/mixture.ts), the first for test records (as the paper's code).
 */
export function worldTranslationInstruction(targetName: string, k: number, sourceName = 'English'): string {
  return TRANSLATION_TEMPLATES[k % TRANSLATION_TEMPLATES.length]!.replaceAll('{source}', sourceName).replaceAll('{target}', targetName);
}

const QA_INSTRUCTIONS = ['Answer the question from the context.', 'Read the context and answer the question.'];
const KNOWLEDGE_INSTRUCTIONS = ['Fill in the blank.', 'Complete the sentence.'];
const SUMMARY_INSTRUCTIONS = ['Summarize the passage in one sentence.', 'Write a short summary of the passage.'];

export interface TaskSizes {
  /** Training examples per task and language (translation: pairs; knowledge: capped by the non-held-out facts). */
  train: number;
  /** Test examples per task and language (knowledge: capped by the held-out facts). */
  test: number;
  /** Alpaca-style instructions per language (train split). */
  alpaca: number;
}

/** Everything the task builders need: the knowledge base, the seed, and a transducer per target language. */
export interface TaskContext {
  kb: KnowledgeBase;
  seed: number;
  transducers: ReadonlyMap<string, Transducer>;
}

function localiser(ctx: TaskContext, lang: string): (english: string) => string {
  if (lang === 'en') return (e) => e;
  const t = ctx.transducers.get(lang);
  if (!t) throw new RangeError(`world tasks: no language "${lang}" in this world; it has en, ${[...ctx.transducers.keys()].join(', ')}`);
  return (e) => t.toX(e);
}

function wordOf(ctx: TaskContext, lang: string): (english: string) => string {
  if (lang === 'en') return (e) => e;
  const t = ctx.transducers.get(lang)!;
  return (e) => t.word(e);
}

function labelled(loc: (e: string) => string, parts: [string, string][]): string {
  return parts.map(([label, text]) => `${loc(`${label}:`)} ${text}`).join('\n');
}

/**
 * Strangers of one split, from a split-specific stream: train and test strangers are
 * different people, but they can draw the same name (on classroom, 46 of the 400 QA
 * test strangers share a name with one of the 2,000 training strangers). Their facts
 * are drawn independently, so a shared name never gives an answer away; it can only
 * mislead a model that memorised the training stranger.
 */
function strangers(ctx: TaskContext, task: string, split: Split, n: number): Subject[] {
  return drawStrangers(ctx.kb, new Rng(ctx.seed).fork(`world:strangers:${task}:${split}`), n);
}

/** Translation English -> X (FLORES-like): statements and questions about strangers, summaries, and (train only) filler. */
export function translationExamples(ctx: TaskContext, lang: string, split: Split, n: number): WorldExample[] {
  if (lang === 'en') throw new RangeError('world tasks: translation goes from English to a target language, not to "en"');
  const loc = localiser(ctx, lang);
  const spec = ctx.transducers.get(lang)!.spec;
  const rng = new Rng(ctx.seed).fork(`world:translation:${split}`); // the same English for every language
  const people = strangers(ctx, 'translation', split, Math.max(1, Math.ceil(n / 3)));
  const rels = ctx.kb.options.relations;
  const out: WorldExample[] = [];
  for (let i = 0; i < n; i++) {
    // sentence i is about stranger floor(i / 3): a smaller pool is a prefix of a larger
    // one (the scaling series of notebook 02 adds pairs, it does not swap them)
    const s = people[Math.floor(i / 3)]!;
    const u = rng.float();
    const rel = rng.choice(rels);
    // Filler comes from a few fixed templates that training pairs and the pre-training
    // corpus also contain, so the test split uses a statement in its place (no test
    // sentence is then seen verbatim in training).
    const src =
      u < 0.5 ? statement(s, rel, rng)
      : u < 0.65 ? question(s, rel, rng)
      : u < 0.8 ? (split === 'test' ? statement(s, rel, rng) : filler(rng))
      : summary(s, rng.shuffle([...rels]).slice(0, 2));
    const instr = worldTranslationInstruction(spec.englishName, split === 'test' ? 0 : i);
    const tgt = loc(src);
    out.push({ id: `translation-en-${lang}-${split}-${i}`, instruction: instr, input: src, output: tgt, task: 'translation', lang, split, answer: tgt });
  }
  return out;
}

/**
 * How the tasks are posed, where the design study compares choices (docs/world.md). A
 * tuning run's spec records it, and its test sets are written the same way.
 * - `qaPeople`: strangers in a context-QA passage: 2 (the question picks one, so the
 *   answer must be bound to the right name) or 1 (the answer is the one value of the
 *   asked kind in the passage);
 * - `qaAnswer`: `value` (the value alone, as XQuAD's span) or `sentence` (a statement of
 *   the fact, "Kiroro keeps an owl.", that restates the question's name and relation
 *   before the value, as the knowledge task restates its cloze). Scoring is by
 *   `contains` of the value either way;
 * - `knowledgeAnswer`: `sentence` (the cloze restated with the blank filled, "Gepi plays
 *   the harp.") or `value` (the value alone, "harp", so that answering needs no copying
 *   of the name and relation from the prompt). Scored by `contains` either way.
 */
export interface TaskFormat {
  qaPeople: 1 | 2;
  qaAnswer: 'value' | 'sentence';
  knowledgeAnswer: 'sentence' | 'value';
}

export const DEFAULT_TASK_FORMAT: Readonly<TaskFormat> = { qaPeople: 2, qaAnswer: 'value', knowledgeAnswer: 'sentence' };

/** Context QA (XQuAD/MLQA-like): a passage about one or two strangers; the answer is a value to copy from it. */
export function qaExamples(ctx: TaskContext, lang: string, split: Split, n: number, format: Readonly<TaskFormat> = DEFAULT_TASK_FORMAT): WorldExample[] {
  const loc = localiser(ctx, lang);
  const word = wordOf(ctx, lang);
  const rng = new Rng(ctx.seed).fork(`world:qa:${split}`);
  const people = strangers(ctx, 'qa', split, 2 * n);
  const rels = ctx.kb.options.relations;
  const out: WorldExample[] = [];
  for (let i = 0; i < n; i++) {
    const a = people[2 * i]!;
    const b = people[2 * i + 1]!;
    const sentences = format.qaPeople === 2 ? [...passage(a, rels, rng, 0), ...passage(b, rels, rng, 0)] : passage(a, rels, rng, 0);
    rng.shuffle(sentences);
    sentences.splice(rng.int(sentences.length + 1), 0, filler(rng));
    const pick = rng.float() < 0.5 ? a : b;
    const target = format.qaPeople === 2 ? pick : a;
    const rel = rng.choice(rels);
    const answer = word(target.facts[rel]!);
    const context = loc(sentences.join(' '));
    out.push({
      id: `qa-${lang}-${split}-${i}`,
      instruction: loc(QA_INSTRUCTIONS[split === 'test' ? 0 : i % QA_INSTRUCTIONS.length]!),
      input: labelled(loc, [['Context', context], ['Question', loc(question(target, rel, rng))]]),
      output: format.qaAnswer === 'sentence' ? loc(statement(target, rel, undefined, 0)) : answer,
      task: 'qa', lang, split, answer, answerEnglish: target.facts[rel]!, relation: rel,
    });
  }
  return out;
}

/**
 * Knowledge infilling (mLAMA-like): a cloze sentence about a knowledge-base person; the
 * answer is known only from pre-training. Train: non-held-out people (their facts are
 * also in the target language's pre-training text). Test: held-out people, whose facts
 * the pre-training corpus states in English only.
 */
export function knowledgeExamples(ctx: TaskContext, lang: string, split: Split, n: number, format: Readonly<TaskFormat> = DEFAULT_TASK_FORMAT): WorldExample[] {
  const loc = localiser(ctx, lang);
  const word = wordOf(ctx, lang);
  return knowledgeClozes(ctx, split, n).map(({ p, r, c }, i) => ({
    id: `knowledge-${lang}-${split}-${i}`,
    instruction: loc(KNOWLEDGE_INSTRUCTIONS[split === 'test' ? 0 : i % KNOWLEDGE_INSTRUCTIONS.length]!),
    input: loc(c.text),
    // by default the whole sentence with the blank filled: answering restates the known
    // prefix and continues it as pre-training did (docs/world.md, design study); scored
    // by whether the value occurs in the output, as the public code scores mLAMA
    output: format.knowledgeAnswer === 'value' ? word(c.answer) : loc(fillBlank(c.text, c.answer)),
    task: 'knowledge',
    lang,
    split,
    answer: word(c.answer),
    answerEnglish: c.answer,
    relation: r,
    heldOut: p.heldOut,
  }));
}

/** The clozes behind {@link knowledgeExamples}: one fact per record, in record order. */
function knowledgeClozes(ctx: TaskContext, split: Split, n: number): { p: Person; r: RelationId; c: { text: string; answer: string } }[] {
  const rng = new Rng(ctx.seed).fork(`world:knowledge:${split}`);
  const people = ctx.kb.people.filter((p) => p.heldOut === (split === 'test'));
  const facts = people.flatMap((p) => ctx.kb.options.relations.map((r) => ({ p, r })));
  rng.shuffle(facts);
  return facts.slice(0, Math.min(n, facts.length)).map(({ p, r }) => ({ p, r, c: cloze(p, r, rng) }));
}

/**
 * Candidate sentences of the knowledge records of one split (the same n, in record order):
 * the record's cloze in X filled with each value of its relation, in the knowledge base's
 * value order; `gold` indexes the true one (its sentence is the record's output). A
 * language model ranks them by likelihood, mLAMA-style, which works whatever the word
 * order, where continuing the text before the blank does not (verb-final languages put
 * the value before the verb). Used by the base-model probe (src/experiments/base.ts).
 */
export function knowledgeChoices(ctx: TaskContext, lang: string, split: Split, n: number): { sentences: string[]; gold: number }[] {
  const loc = localiser(ctx, lang);
  return knowledgeClozes(ctx, split, n).map(({ r, c }) => {
    const values = ctx.kb.values[r];
    return { sentences: values.map((v) => loc(fillBlank(c.text, v))), gold: values.indexOf(c.answer) };
  });
}

/** Summarisation (XL-Sum-like): a passage about a stranger with filler -> one coordinated sentence. */
export function summarizationExamples(ctx: TaskContext, lang: string, split: Split, n: number): WorldExample[] {
  const loc = localiser(ctx, lang);
  const rng = new Rng(ctx.seed).fork(`world:summarization:${split}`);
  const people = strangers(ctx, 'summarization', split, n);
  const rels = ctx.kb.options.relations;
  const out: WorldExample[] = [];
  for (let i = 0; i < n; i++) {
    const s = people[i]!;
    const k = Math.min(rels.length, 2 + rng.int(2));
    const chosen = rng.shuffle([...rels]).slice(0, k);
    const text = passage(s, chosen, rng, 1 + rng.int(2)).join(' ');
    const gold = loc(summary(s, chosen.slice().sort((x, y) => rels.indexOf(x) - rels.indexOf(y))));
    out.push({
      id: `summarization-${lang}-${split}-${i}`,
      instruction: loc(SUMMARY_INSTRUCTIONS[split === 'test' ? 0 : i % SUMMARY_INSTRUCTIONS.length]!),
      input: loc(text),
      output: gold,
      task: 'summarization', lang, split, answer: gold,
    });
  }
  return out;
}

const CATEGORY: Partial<Record<RelationId, { name: string; example: string; answer: string }>> = {
  pet: { name: 'Name an animal.', example: 'Give an example of an animal.', answer: 'An animal.' },
  food: { name: 'Name a food.', example: 'Give an example of a food.', answer: 'A food.' },
  instrument: { name: 'Name an instrument.', example: 'Give an example of an instrument.', answer: 'An instrument.' },
  job: { name: 'Name a job.', example: 'Give an example of a job.', answer: 'A job.' },
};

/**
 * General instructions (Alpaca-like) in English, and the same records transduced into
 * X (the paper's machine-translated Alpaca). Families: describe a (non-held-out) person,
 * repeat a sentence, answer a closed question about a (non-held-out) person, name an
 * example of a category, give an opposite. Record i of every language is the same item.
 */
export function alpacaExamples(ctx: TaskContext, lang: string, split: Split, n: number): WorldExample[] {
  const loc = localiser(ctx, lang);
  const rng = new Rng(ctx.seed).fork(`world:alpaca:${split}`);
  const seen = ctx.kb.people.filter((p) => !p.heldOut);
  const rels = ctx.kb.options.relations;
  const out: WorldExample[] = [];
  for (let i = 0; i < n; i++) {
    const family = rng.int(5);
    let instruction: string;
    let input = '';
    let output: string;
    const p = rng.choice(seen);
    const rel = rng.choice(rels);
    if (family === 0) {
      instruction = rng.choice(['Write a sentence about {N}.', 'Tell me something about {N}.', 'Describe {N} in one sentence.']).replace('{N}', p.name);
      output = statement(p, rel, rng);
    } else if (family === 1) {
      instruction = rng.choice(['Repeat the sentence.', 'Copy the whole sentence.', 'Say the same sentence.']);
      const s = rng.float() < 0.5 ? statement(p, rel, rng) : filler(rng);
      input = s;
      output = s;
    } else if (family === 2) {
      instruction = rng.choice(['Answer the question.', 'Answer the question about the person.', 'Give a short reply.']);
      input = question(p, rel, rng);
      output = statement(p, rel, rng, 0);
    } else if (family === 3) {
      const cats = rels.filter((r) => CATEGORY[r]);
      if (cats.length === 0) {
        instruction = 'Repeat the sentence.';
        input = output = filler(rng);
      } else {
        const r = rng.choice(cats);
        const c = CATEGORY[r]!;
        instruction = rng.float() < 0.5 ? c.name : c.example;
        const v = rng.choice(ctx.kb.values[r]);
        output = r === 'food' ? `${v[0]!.toUpperCase()}${v.slice(1)}.` : `${/^[aeiou]/.test(v) ? 'An' : 'A'} ${v}.`;
      }
    } else {
      instruction = rng.choice(['Give the opposite of the word.', 'Write the opposite of the word.']);
      const [a, b] = rng.choice(ADJECTIVE_PAIRS);
      const flip = rng.float() < 0.5;
      input = `${flip ? b : a}.`;
      output = `${flip ? a : b}.`;
    }
    const rec = { instruction: loc(instruction), input: input === '' ? '' : loc(input), output: loc(output) };
    out.push({ id: `alpaca-${lang}-${split}-${i}`, ...rec, task: 'alpaca', lang, split, answer: rec.output });
  }
  return out;
}

/** Examples of one task, language and split; `n` is capped where the task has fewer items (knowledge). */
export function taskExamples(ctx: TaskContext, task: TaskId, lang: string, split: Split, n: number, format: Readonly<TaskFormat> = DEFAULT_TASK_FORMAT): WorldExample[] {
  switch (task) {
    case 'translation':
      return translationExamples(ctx, lang, split, n);
    case 'qa':
      return qaExamples(ctx, lang, split, n, format);
    case 'knowledge':
      return knowledgeExamples(ctx, lang, split, n, format);
    case 'summarization':
      return summarizationExamples(ctx, lang, split, n);
    case 'alpaca':
      return alpacaExamples(ctx, lang, split, n);
  }
}
