/**
 * The miniature world as one object: knowledge base, one transducer per target
 * language, the pre-training corpus (built on first use) and the tasks, all from the
 * preset's settings and seed. `describeWorld` measures it (what `xalign world describe`
 * prints and docs/world.md tabulates). Serves notebook 02 and the experiments runner.
 */

import type { Settings } from '../config/presets';
import type { RelationId } from './english';
import { RELATION_IDS } from './english';
import { composePretrainCorpus, type CorpusOptions, type PretrainCorpus } from './corpus';
import { buildKnowledgeBase, type KnowledgeBase, type KnowledgeBaseOptions } from './kb';
import { languageSpec, type LanguageSpec } from './languages';
import { measureSimilarity, type MeasuredSimilarity } from './similarity';
import { knowledgeChoices, type Split, type TaskContext, taskExamples, type TaskFormat, type TaskId, TASK_IDS, type TaskSizes, type WorldExample } from './tasks';
import { buildTransducer, lostDistinctions, type Transducer } from './transduce';
import { statement, question, filler } from './grammar';
import { Rng } from '../random/rng';

export interface WorldOptions {
  seed: number;
  /** Target languages: built-in codes or user-written specs. */
  languages: readonly (string | LanguageSpec)[];
  kb: Omit<KnowledgeBaseOptions, 'seed'>;
  corpus: CorpusOptions;
  sizes: TaskSizes & { translationPairs: number };
}

/** The world options a preset's settings give (the world* settings, languages, evalExamples, instructionsPerLanguage). */
export function worldOptionsFromSettings(s: Settings): WorldOptions {
  const relations = s.worldRelations.map((r) => {
    if (!(RELATION_IDS as readonly string[]).includes(r)) throw new RangeError(`setting worldRelations: unknown relation "${r}"; expected ${RELATION_IDS.join(', ')}`);
    return r as RelationId;
  });
  return {
    seed: s.seed,
    languages: s.languages,
    kb: { people: s.worldPeople, relations, valuesPerRelation: s.worldValuesPerRelation, heldOutShare: s.worldHeldOutShare },
    corpus: {
      sentences: s.worldCorpusSentences,
      targetShare: s.worldTargetShare,
      codeSwitchShare: s.worldCodeSwitchShare,
      codeSwitchP: s.worldCodeSwitchP,
      parallelShare: s.worldParallelShare,
      repeatShare: s.worldRepeatShare,
      // off leaves the options (and so every base spec's hash) as before the lever existed
      ...(s.worldRecallShare > 0 ? { recallShare: s.worldRecallShare } : {}),
    },
    sizes: { train: s.worldTaskTrain, test: s.evalExamples, alpaca: s.instructionsPerLanguage, translationPairs: s.worldTranslationPairs },
  };
}

export interface World {
  options: WorldOptions;
  kb: KnowledgeBase;
  /** Target-language codes in order. */
  languages: string[];
  transducers: Map<string, Transducer>;
  /** The pre-training corpus (composed on first call, then kept). */
  corpus(): PretrainCorpus;
  /** Examples of a task; `n` defaults to the preset's size for the split. */
  /** Records of a task; `format` chooses how QA is posed (default `DEFAULT_TASK_FORMAT`). */
  examples(task: TaskId, lang: string, split: Split, n?: number, format?: Readonly<TaskFormat>): WorldExample[];
  /** The knowledge records' candidate sentences, one per value of the relation (`knowledgeChoices`, src/world/tasks.ts). */
  knowledgeChoices(lang: string, split: Split, n?: number): { sentences: string[]; gold: number }[];
}

/**
 * Builds the world; cheap until `corpus()` is called. `unseen` are languages with
 * transducers and tasks but no text in the pre-training corpus: a language a base model
 * pre-trained on `options` never saw (a user's language from a file), which leaves the
 * corpus, and so the base model, as they are.
 */
export function buildWorld(options: WorldOptions, unseen: readonly LanguageSpec[] = []): World {
  const kb = buildKnowledgeBase({ seed: options.seed, ...options.kb });
  const transducers = new Map<string, Transducer>();
  for (const l of [...options.languages, ...unseen]) {
    const spec = typeof l === 'string' ? languageSpec(l) : l;
    if (transducers.has(spec.code)) throw new RangeError(`world: language "${spec.code}" listed twice`);
    transducers.set(spec.code, buildTransducer(spec, options.seed));
  }
  const pretrained = [...transducers.values()].slice(0, options.languages.length);
  const ctx: TaskContext = { kb, seed: options.seed, transducers };
  let corpus: PretrainCorpus | undefined;
  const defaultSize = (task: TaskId, split: Split) =>
    split === 'test' ? options.sizes.test : task === 'alpaca' ? options.sizes.alpaca : task === 'translation' ? options.sizes.translationPairs : options.sizes.train;
  return {
    options,
    kb,
    languages: [...transducers.keys()],
    transducers,
    corpus: () => (corpus ??= composePretrainCorpus(kb, pretrained, options.corpus, options.seed)),
    examples: (task, lang, split, n, format) => taskExamples(ctx, task, lang, split, n ?? defaultSize(task, split), format),
    knowledgeChoices: (lang, split, n) => knowledgeChoices(ctx, lang, split, n ?? defaultSize('knowledge', split)),
  };
}

/** Statistics of one language's share of the corpus, under a byte tokenizer (UTF-8 bytes = tokens). */
export interface CorpusLanguageStats {
  lang: string;
  docs: number;
  sentences: number;
  /** Whitespace-separated words (for a script without spaces, the transducer's word count). */
  words: number;
  /** UTF-8 bytes: tokens under a byte tokenizer. */
  bytes: number;
  /** Share of all bytes. */
  byteShare: number;
  /** Distinct byte values used (the byte tokenizer's vocabulary actually seen, of 256). */
  distinctBytes: number;
  /** Distinct characters. */
  distinctChars: number;
  /** Distinct word types. */
  wordTypes: number;
  bytesPerSentence: number;
}

export interface WorldDescription {
  seed: number;
  people: number;
  heldOut: number;
  relations: string[];
  valuesPerRelation: number;
  languages: {
    code: string;
    models: string;
    script: string;
    order: string;
    adjective: string;
    adposition: string;
    morphology: string;
    loanShare: number;
    lexiconSize: number;
    loans: number;
    lost: string[];
    similarity: MeasuredSimilarity;
  }[];
  corpus?: { options: CorpusOptions; totalSentences: number; totalBytes: number; byLanguage: CorpusLanguageStats[]; byKind: Record<string, number> };
  tasks: { task: TaskId; train: number; test: number }[];
  /**
   * UTF-8 bytes of whole records (instruction + input + output) on 50 test examples per
   * task, in English and in each target language: what a byte tokenizer must fit in seqLen.
   */
  recordBytes: { task: TaskId; lang: string; mean: number; max: number }[];
  /** Milliseconds to build the world and (if asked) compose the corpus. */
  timings: { buildMs: number; corpusMs?: number };
}

function wordsOf(text: string, lang: string, world: World): string[] {
  const t = world.transducers.get(lang);
  if (t && t.spec.separator === '') {
    const per = t.spec.script.logogramsPerWord ?? 2;
    return text.split(/\s+/).flatMap((p) => p.match(/[\p{Script=Han}]+|[^\p{Script=Han}\p{P}]+/gu) ?? []).flatMap((run) =>
      /\p{Script=Han}/u.test(run) ? Array.from({ length: Math.ceil(run.length / per) }, (_, i) => run.slice(i * per, i * per + per)) : [run]);
  }
  return text.split(/\s+/).filter((w) => w !== '');
}

/** Corpus statistics per language key ('en', 'xx', 'en+xx' code-switched, 'en|xx' parallel). */
export function worldCorpusStats(world: World, corpus: PretrainCorpus): CorpusLanguageStats[] {
  const acc = new Map<string, { docs: number; sentences: number; words: number; bytes: number; byteSet: Set<number>; chars: Set<string>; types: Set<string> }>();
  for (const d of corpus.docs) {
    let a = acc.get(d.lang);
    if (!a) acc.set(d.lang, (a = { docs: 0, sentences: 0, words: 0, bytes: 0, byteSet: new Set(), chars: new Set(), types: new Set() }));
    a.docs++;
    a.sentences += d.sentences;
    const buf = Buffer.from(d.text, 'utf8');
    a.bytes += buf.length;
    for (const b of buf) a.byteSet.add(b);
    for (const ch of d.text) a.chars.add(ch);
    const base = d.lang.replace(/^en[+|]/, '');
    for (const w of wordsOf(d.text.replace(/[.?:;।؟。？：]/g, ' '), base === d.lang ? d.lang : base, world)) {
      a.words++;
      a.types.add(w.toLowerCase());
    }
  }
  const total = [...acc.values()].reduce((s, a) => s + a.bytes, 0);
  const order = (k: string) => (k === 'en' ? 0 : k.startsWith('en+') ? 2 : k.startsWith('en|') ? 3 : 1);
  return [...acc.entries()]
    .sort(([a], [b]) => order(a) - order(b) || (a < b ? -1 : 1))
    .map(([lang, a]) => ({
      lang,
      docs: a.docs,
      sentences: a.sentences,
      words: a.words,
      bytes: a.bytes,
      byteShare: a.bytes / total,
      distinctBytes: a.byteSet.size,
      distinctChars: a.chars.size,
      wordTypes: a.types.size,
      bytesPerSentence: a.bytes / Math.max(1, a.sentences),
    }));
}

/** Measures the world: sizes, each language's parameters and measured similarity, corpus statistics (if `corpus`), task sizes. */
export function describeWorld(options: WorldOptions, opts: { corpus?: boolean } = {}): WorldDescription {
  const t0 = performance.now();
  const world = buildWorld(options);
  const buildMs = performance.now() - t0;
  const rng = new Rng(options.seed).fork('world:describe');
  const sample: string[] = [];
  for (let i = 0; i < 200; i++) {
    const p = world.kb.people[rng.int(world.kb.people.length)]!;
    const r = rng.choice(world.kb.options.relations);
    sample.push(i % 4 === 0 ? question(p, r, rng) : i % 4 === 1 ? filler(rng) : statement(p, r, rng));
  }
  const languages = world.languages.map((code) => {
    const t = world.transducers.get(code)!;
    const s = t.spec;
    return {
      code,
      models: s.models,
      script: `${s.script.name} (${s.script.block})`,
      order: s.order + (s.adjunctsBeforeVerb ? ', adjuncts before the verb' : ''),
      adjective: s.adjective,
      adposition: s.adposition,
      morphology: s.morphology.kind,
      loanShare: s.loanShare,
      lexiconSize: t.lexicon.inverse.size,
      loans: t.lexicon.loans.size,
      lost: lostDistinctions(s),
      similarity: measureSimilarity(t, sample),
    };
  });
  let corpus: WorldDescription['corpus'];
  let corpusMs: number | undefined;
  if (opts.corpus) {
    const t1 = performance.now();
    const c = world.corpus();
    corpusMs = performance.now() - t1;
    const byLanguage = worldCorpusStats(world, c);
    const byKind: Record<string, number> = {};
    for (const d of c.docs) byKind[d.kind] = (byKind[d.kind] ?? 0) + d.sentences;
    corpus = {
      options: c.options,
      totalSentences: byLanguage.reduce((s, l) => s + l.sentences, 0),
      totalBytes: byLanguage.reduce((s, l) => s + l.bytes, 0),
      byLanguage,
      byKind,
    };
  }
  const tasks = TASK_IDS.map((task) => {
    const sz = options.sizes;
    const train = task === 'alpaca' ? sz.alpaca : task === 'translation' ? sz.translationPairs : task === 'knowledge' ? Math.min(sz.train, world.kb.people.filter((p) => !p.heldOut).length * world.kb.options.relations.length) : sz.train;
    const test = task === 'knowledge' ? Math.min(sz.test, world.kb.people.filter((p) => p.heldOut).length * world.kb.options.relations.length) : sz.test;
    return { task, train, test };
  });
  const recordBytes: WorldDescription['recordBytes'] = [];
  for (const task of TASK_IDS) {
    for (const lang of ['en', ...world.languages]) {
      if (task === 'translation' && lang === 'en') continue;
      const sizes = world.examples(task, lang, 'test', 50).map((e) => Buffer.byteLength(e.instruction + e.input + e.output, 'utf8'));
      recordBytes.push({ task, lang, mean: sizes.reduce((a, b) => a + b, 0) / sizes.length, max: Math.max(...sizes) });
    }
  }
  return {
    seed: options.seed,
    people: world.kb.people.length,
    heldOut: world.kb.people.filter((p) => p.heldOut).length,
    relations: [...world.kb.options.relations],
    valuesPerRelation: world.kb.options.valuesPerRelation,
    languages,
    corpus,
    tasks,
    recordBytes,
    timings: { buildMs, corpusMs },
  };
}
