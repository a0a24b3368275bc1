/**
 * The experiments runner (notebook 02; paper Sections 3.1 and 5.1, Table 2).
 *
 * Two kinds of described run, each a plain JSON object whose config hash keys the
 * results store ({@link ResultStore}):
 * - `pretrain` ({@link BaseSpec}): the base model, pre-trained with the language-model
 *   objective on the miniature world's English-dominated corpus (docs/world.md). Its
 *   tokenizer is a byte-level BPE trained on that same corpus (`worldBpeVocab`): like
 *   LLaMA's, it is fitted to English-dominated text, so target languages get more
 *   tokens per sentence, and it keeps context-QA records (300-550 bytes) within
 *   `tuneSeqLen` tokens where a byte tokenizer could not.
 * - `tune` ({@link TuneSpec}): instruction tuning of that base model in one of the
 *   issue's three conditions for a target language X, with the same number of steps in
 *   every condition: `en-only` (English instructions: the baseline), `bilingual`
 *   (English and X instructions), `bilingual+translation` (plus English->X translation
 *   pairs: the paper's recipe). Then evaluation on the test splits (src/experiments/evaluate.ts).
 *
 * A run whose config hash is already stored is not run again (its stored result is
 * returned); a run killed part-way resumes from the engine's last checkpoint in the
 * store's run folder.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { Settings } from '../config/presets';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic';
import { loadModel, saveModel } from '../model/checkpoint';
import { modelConfig, type ModelFamily } from '../model/config';
import { generate, sequenceLogLikelihoods } from '../model/generate';
import { BpeTokenizer, encodeInstruction, type Tokenizer } from '../model/tokenizer';
import { Transformer } from '../model/transformer';
import { gitCommit, PROJECT_ROOT, type Provenance } from '../provenance';
import { Rng } from '../random/rng';
import type { Batching, Example } from '../train/data';
import { train, trainConfig, type TrainConfig, type TrainEvent, type TrainResult } from '../train/trainer';
import { buildWorld, type World, type WorldOptions, worldOptionsFromSettings } from '../world/world';
import { readCorpusManifest } from '../data/corpus/build';
import { readParallel } from '../data/parallel';
import { corpusDir } from '../data/registry';
import { languageSpec } from '../world/languages';
import { DEFAULT_TASK_FORMAT, type TaskFormat, type TaskId, type WorldExample, worldTranslationInstruction } from '../world/tasks';
import { competenceOf } from './competence';
import { probeContextRecall, probeCopying } from './copy-probe';
import { maxNewTokensFor, nativeIndices, predict, recordPrompt, scoreTask, segmentStatsFor } from './evaluate';
import { configHash, type ExperimentResult, type MetricValues, ResultStore } from './store';

export const CONDITIONS = ['en-only', 'bilingual', 'bilingual+translation'] as const;
export type Condition = (typeof CONDITIONS)[number];

export function isCondition(s: string): s is Condition {
  return (CONDITIONS as readonly string[]).includes(s);
}

/** The training settings a spec records (everything else takes the engine's defaults). */
export interface SpecTrain {
  steps: number;
  batchSize: number;
  seqLen: number;
  lr: number;
  seed: number;
  /** Engine checkpoints every N steps (resume granularity). */
  checkpointEvery: number;
}

export interface BaseSpec {
  kind: 'pretrain';
  world: WorldOptions;
  tokenizer: { type: 'bpe'; vocabSize: number };
  model: { family: ModelFamily; dModel: number; nLayers: number; nHeads: number; maxSeqLen: number };
  train: SpecTrain;
  /**
   * The trainer's other settings (objective, batching, schedule, optimiser), as a tune
   * spec records them. Absent in the committed bases, which take the trainer's defaults
   * (docs/world.md, "What a config hash covers"); adding it to
   * {@link baseSpecFromSettings} changes every base's hash, so it waits for the next
   * rebuild of the committed bases. A spec that has it trains with it.
   */
  trainer?: Omit<TrainConfig, keyof SpecTrain>;
  /** Held-out-fact completion probe: cloze prefixes per language. */
  probe: { langs: string[]; n: number };
}

/**
 * Version of what a tune spec's hash stands for. Raise it when a change of code alters
 * the results of an unchanged spec (data generation, trainer defaults, decoding,
 * metrics), so the store does not hand back results the current code would not give.
 * 2: tuneBatchSize / tuneEvalExamples settings; nested translation pools.
 * 3: the trainer's whole configuration in the spec (`trainer`); `containsNative`.
 * 4: packed tuning batches, replay, task format (`format`); "an" before a vowel in
 *    filled clozes; longer QA answers decoded; the competence summary.
 *
 * The backend is not part of the hash: it changes rounding, not the experiment, and each
 * result's provenance names it (docs/world.md, "What a config hash covers").
 */
export const TUNE_SPEC_VERSION = 4;

export interface TuneSpec {
  kind: 'tune';
  /** {@link TUNE_SPEC_VERSION} when the spec was made. */
  version: number;
  base: BaseSpec;
  lang: string;
  condition: Condition;
  seed: number;
  train: SpecTrain;
  /**
   * The trainer's other settings (objective, batching, schedule, optimiser, clipping),
   * defaults included (src/train/trainer.ts), so a changed default is a different run.
   * The trainer runs with these and `train`.
   */
  trainer: Omit<TrainConfig, keyof SpecTrain>;
  /**
   * Instruction pool per language: these tasks' train splits, `perTask` records each;
   * translation pairs for the third condition, from the world (transduced English) or,
   * with `real`, from the real corpus of `xalign data build` (its train split; the
   * corpus fingerprint makes a rebuilt corpus a different run). `replayShare` of the
   * training examples are pre-training documents of the world's corpus, scored on every
   * token (replay against forgetting; 0 = none).
   */
  data: { tasks: TaskId[]; perTask: number; translationPairs: number; real?: { fingerprint: string }; replayShare: number };
  /** How the tasks are posed, in training and test sets alike (src/world/tasks.ts). */
  format: TaskFormat;
  /** Test tasks and languages, `n` records each; `realTranslation`: also chrF/BLEU on the real corpus's test split (n pairs). */
  eval: { tasks: TaskId[]; langs: string[]; n: number; realTranslation?: boolean };
}

/** English-X pairs of the real corpus (`xalign data build`) as translation records; `n` at most. */
export function realTranslationRecords(lang: string, split: 'train' | 'test', n: number, maxChars = 200): WorldExample[] {
  const dir = path.join(corpusDir(), `en-${lang}`);
  const [src, tgt] = [path.join(dir, `${split}.en`), path.join(dir, `${split}.${lang}`)];
  if (!fs.existsSync(src) || !fs.existsSync(tgt)) {
    throw new Error(`real translation data: ${src} or ${tgt} is missing; build the corpus with \`npx xalign data build\` (npm run setup does)`);
  }
  const name = languageSpec(lang).englishName;
  // short pairs only: the laboratory's BPE was fitted to the world's text, so real text costs several tokens per word
  return readParallel(src, tgt)
    .filter((p) => p.src.length <= maxChars && p.tgt.length <= maxChars)
    .slice(0, n)
    .map((p, i) => ({ id: `real-${lang}-${split}-${i}`, instruction: worldTranslationInstruction(name, split === 'test' ? 0 : i), input: p.src, output: p.tgt, task: 'translation' as const, lang, split, answer: p.tgt }));
}

/** The fingerprint of the real corpus (its manifest), or an error saying how to build it. */
export function realCorpusFingerprint(): string {
  const m = readCorpusManifest();
  if (!m) throw new Error(`real translation data: no corpus manifest in ${corpusDir()}; run \`npx xalign data build\``);
  return m.fingerprint;
}

/** Pre-training learning rate of the base models; tuning takes the preset's tuneLr (docs/world.md, design study). */
export const PRETRAIN_LR = 2e-3;

/** The base model a preset describes (pretrainSteps, modelDim, seqLen, worldBpeVocab, ...). */
export function baseSpecFromSettings(s: Settings): BaseSpec {
  const train: SpecTrain = { steps: Math.max(1, s.pretrainSteps), batchSize: s.batchSize, seqLen: s.seqLen, lr: PRETRAIN_LR, seed: s.seed, checkpointEvery: Math.max(1, Math.ceil(s.pretrainSteps / 10)) };
  return {
    kind: 'pretrain',
    world: worldOptionsFromSettings(s),
    tokenizer: { type: 'bpe', vocabSize: s.worldBpeVocab },
    model: { family: 'llama', dModel: s.modelDim, nLayers: s.modelLayers, nHeads: s.modelHeads, maxSeqLen: Math.max(s.seqLen, s.tuneSeqLen) + 1 },
    train,
    probe: { langs: ['en', ...s.languages], n: s.evalExamples },
  };
}

/** The pre-training configuration of a base spec (a spec from before `trainer` was recorded takes today's defaults). */
function pretrainConfig(spec: BaseSpec): TrainConfig {
  return spec.trainer ? trainConfig({ ...spec.trainer, ...spec.train }, 'base spec: trainer') : tuneConfig(spec.train, 'lm');
}

/** One tuning condition for language `lang` at the preset's sizes; `seed` varies the data order. */
/**
 * One tuning condition for language `lang` at the preset's sizes; `seed` varies the data
 * order; `translationPairs` (default `worldTranslationPairs`) sets the recipe's pairs,
 * e.g. for a point of the scaling series.
 */
export function tuneSpecFromSettings(s: Settings, o: { lang: string; condition: Condition; seed?: number; translationPairs?: number; real?: boolean }): TuneSpec {
  if (!s.languages.includes(o.lang)) throw new RangeError(`experiment: language "${o.lang}" is not in the preset's languages (${s.languages.join(', ')})`);
  const seed = o.seed ?? s.seed;
  const pairs = o.translationPairs ?? s.worldTranslationPairs;
  if (!Number.isInteger(pairs) || pairs < 1) throw new RangeError(`experiment: translationPairs must be a positive integer, got ${pairs}`);
  if (o.real && o.condition !== 'bilingual+translation') throw new RangeError(`experiment: real translation data goes with the condition bilingual+translation, not ${o.condition}`);
  const train: SpecTrain = { steps: Math.max(1, s.tuneSteps), batchSize: s.tuneBatchSize, seqLen: s.tuneSeqLen, lr: s.tuneLr, seed, checkpointEvery: Math.max(1, Math.ceil(s.tuneSteps / 10)) };
  return {
    kind: 'tune',
    version: TUNE_SPEC_VERSION,
    base: baseSpecFromSettings(s),
    lang: o.lang,
    condition: o.condition,
    seed,
    train,
    trainer: otherTrainerSettings(tuneConfig(train, 'instruction', s.tuneBatching as Batching)),
    data: {
      tasks: ['alpaca', 'qa', 'knowledge', 'summarization'], perTask: s.worldTaskTrain, translationPairs: o.condition === 'bilingual+translation' ? pairs : 0,
      replayShare: s.tuneReplayShare,
      ...(o.real ? { real: { fingerprint: realCorpusFingerprint() } } : {}),
    },
    format: { qaPeople: s.worldQaPeople as 1 | 2, qaAnswer: s.worldQaAnswer as TaskFormat['qaAnswer'] },
    eval: { tasks: ['translation', 'qa', 'knowledge', 'summarization'], langs: [o.lang, 'en'], n: s.tuneEvalExamples, ...(o.real ? { realTranslation: true } : {}) },
  };
}

export interface RunOptions {
  store: ResultStore;
  preset: string;
  backend: string;
  /** The command that regenerates the result (provenance). */
  command?: string;
  onEvent?: (e: TrainEvent & { phase: 'pretrain' | 'tune' }) => void;
  log?: (line: string) => void;
  /** A base-model folder to use when its manifest's configHash matches the spec (e.g. a committed checkpoint). */
  baseDir?: string;
}

export interface RunOutcome<S> {
  result: ExperimentResult<S>;
  /** True when the stored result was returned without running. */
  reused: boolean;
  /** Folder of the trained model. */
  modelDir: string;
}

/** What `xalign world pretrain` writes next to a base checkpoint. */
export interface BaseManifest {
  command: string;
  commit: string;
  seed: number;
  backend: string;
  machine: { platform: string; arch: string; cpus: number; cpuModel: string; node: string };
  configHash: string;
  preset: string;
  time: string;
  steps: number;
  /** The first training losses: a re-run must reproduce them (test). */
  firstLosses: number[];
  finalLoss: number;
  /** sha256 of each file of the checkpoint. */
  sha256: Record<string, string>;
  spec: BaseSpec;
}

export const MANIFEST_FILE = 'manifest.json';

function machine(): BaseManifest['machine'] {
  const cpus = os.cpus();
  return { platform: os.platform(), arch: os.arch(), cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', node: process.versions.node };
}

function sha256File(f: string): string {
  return createHash('sha256').update(fs.readFileSync(f)).digest('hex');
}

function provenance(hash: string, seed: number, o: RunOptions, command: string): Provenance {
  return { commit: gitCommit(), preset: o.preset, configHash: hash, backend: o.backend, seed, time: new Date().toISOString(), command };
}

function tuneConfig(t: SpecTrain, objective: 'lm' | 'instruction', batching: Batching = objective === 'lm' ? 'pack' : 'pad') {
  return trainConfig({
    objective,
    batching,
    steps: t.steps,
    batchSize: t.batchSize,
    seqLen: t.seqLen,
    lr: t.lr,
    seed: t.seed,
    checkpointEvery: t.checkpointEvery,
  });
}

/** A trainer configuration without the fields a {@link SpecTrain} holds. */
function otherTrainerSettings(c: TrainConfig): Omit<TrainConfig, keyof SpecTrain> {
  const { steps: _s, batchSize: _b, seqLen: _l, lr: _r, seed: _e, checkpointEvery: _c, ...rest } = c;
  return rest;
}

/** Reads a base folder's manifest, or null when there is none. */
export function readManifest(dir: string): BaseManifest | null {
  const f = path.join(dir, MANIFEST_FILE);
  return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as BaseManifest) : null;
}

/**
 * Held-out-fact completion by the base model (docs/world.md), two
 * ways for the knowledge test clozes of each language:
 * - `contains` / `containsAny`: the text before the blank is continued greedily; strict
 *   counts the value in the probed language, any-language also its English word. In
 *   verb-final word orders the text before the blank is little more than the name, so
 *   this is a floor there (docs/world.md);
 * - `rank`: the cloze filled with each value of its relation is scored by likelihood
 *   (after an end-of-text token, as pre-training packs documents), and the true sentence
 *   must come first, mLAMA-style; chance is 1 / `valuesPerRelation`. Word order does not
 *   matter.
 * All three in %.
 */
export async function probeFacts(model: Transformer, tok: Tokenizer, world: World, langs: readonly string[], n: number): Promise<Record<string, MetricValues>> {
  const out: Record<string, MetricValues> = {};
  for (const lang of langs) {
    const recs = world.examples('knowledge', lang, 'test', n);
    const prompts = recs.map((r) => {
      const pre = r.input!.split('___')[0]!.trimEnd();
      const ids = tok.encode(pre);
      return ids.length > 0 ? ids : [tok.special.eos];
    });
    const hyps: string[] = [];
    for (let s = 0; s < prompts.length; s += 16) {
      const gen = await generate(model, prompts.slice(s, s + 16), { maxNewTokens: 6, stopTokens: [tok.special.eos], padToken: tok.special.pad });
      hyps.push(...gen.map((g) => tok.decode(g, { skipSpecial: true })));
    }
    const m = scoreTask('knowledge', lang, recs, hyps);
    const choices = world.knowledgeChoices(lang, 'test', n);
    const ll = await sequenceLogLikelihoods(
      model,
      choices.flatMap((c) => c.sentences.map((t) => [tok.special.eos, ...tok.encode(t), tok.special.eos])),
    );
    let k = 0;
    let right = 0;
    for (const c of choices) {
      const scores = ll.slice(k, k + c.sentences.length);
      k += c.sentences.length;
      const best = scores.indexOf(Math.max(...scores));
      if (best === c.gold) right++;
    }
    out[lang] = { contains: m.contains!, containsAny: m.containsAny!, rank: choices.length ? (100 * right) / choices.length : 0 };
  }
  return out;
}

/**
 * What a base model is probed for: held-out fact completion per language
 * ({@link probeFacts}), and in English whether it copies from its context and reads a
 * stated fact back from it (`copying.en`: {@link probeCopying}'s `first` and `second`,
 * {@link probeContextRecall}'s `contextRecall`, %).
 */
async function probeBase(model: Transformer, tok: Tokenizer, world: World, spec: BaseSpec): Promise<Record<string, Record<string, MetricValues>>> {
  return {
    'fact-completion': await probeFacts(model, tok, world, spec.probe.langs, spec.probe.n),
    copying: { en: { ...(await probeCopying(model, tok, world)), contextRecall: await probeContextRecall(model, tok, world) } },
  };
}

/** {@link probeBase} of the base checkpoint in `dir` (model and tokenizer), as its spec asks. */
async function probeCheckpoint(dir: string, spec: BaseSpec): Promise<Record<string, Record<string, MetricValues>>> {
  const loaded = loadModel(dir);
  try {
    if (!loaded.tokenizer) throw new Error(`${dir}: base model has no tokenizer.json`);
    return await probeBase(loaded.model, loaded.tokenizer, buildWorld(spec.world), spec);
  } finally {
    loaded.model.dispose();
  }
}

/** Whether a stored base result has every probe metric of this version (`rank`, then `copying`, came later). */
function probeIsCurrent(r: ExperimentResult<BaseSpec>): boolean {
  const fc = r.metrics['fact-completion'];
  return !!fc && r.spec.probe.langs.every((l) => fc[l]?.rank !== undefined) && r.metrics.copying?.en?.contextRecall !== undefined;
}

/** What pre-training a base model starts from: the world, its corpus as examples, the BPE fitted to it, the freshly initialised model. */
function prepareBase(spec: BaseSpec): { world: World; tok: BpeTokenizer; examples: Example[]; model: Transformer } {
  const world = buildWorld(spec.world);
  const texts = world.corpus().docs.map((d) => d.text);
  const tok = BpeTokenizer.train(texts, spec.tokenizer.vocabSize);
  const examples: Example[] = texts.map((t) => ({ prompt: [], response: [...tok.encode(t), tok.special.eos] }));
  const model = new Transformer(modelConfig({ ...spec.model, vocabSize: tok.vocabSize }), new Rng(spec.train.seed).fork('init'));
  return { world, tok, examples, model };
}

/**
 * Pre-trains (or reuses) the base model a {@link BaseSpec} describes; writes the model
 * and its manifest to the store's run folder (`runs/HASH/model`).
 */
export async function runPretrain(spec: BaseSpec, o: RunOptions): Promise<RunOutcome<BaseSpec>> {
  const hash = configHash(spec);
  const command = o.command ?? `npx xalign world pretrain --preset ${o.preset}`;
  if (o.baseDir) {
    const m = readManifest(o.baseDir);
    if (m && m.configHash === hash) {
      const stored = o.store.get<BaseSpec>(hash);
      if (stored && probeIsCurrent(stored)) return { result: stored, reused: true, modelDir: o.baseDir };
      // A committed checkpoint: probe what it knows (seconds), and store that as its result.
      const metrics = await probeCheckpoint(o.baseDir, spec);
      const result: ExperimentResult<BaseSpec> = {
        version: 1, kind: 'pretrain', label: `base model (${o.baseDir})`, spec, metrics,
        provenance: { commit: m.commit, preset: m.preset, configHash: hash, backend: m.backend, seed: m.seed, time: m.time, command: m.command },
        training: { steps: m.steps, losses: m.firstLosses, seconds: 0, tokensPerSec: 0 },
      };
      o.store.put(result);
      return { result, reused: true, modelDir: o.baseDir };
    }
    if (m) o.log?.(`base ${o.baseDir} was made from another config (hash ${m.configHash}, wanted ${hash}); using the store's base ${hash}, pre-trained first if the store lacks it`);
  }
  const modelDir = path.join(o.store.runDir(hash), 'model');
  const stored = o.store.get<BaseSpec>(hash);
  if (stored && fs.existsSync(path.join(modelDir, MANIFEST_FILE))) {
    if (probeIsCurrent(stored)) return { result: stored, reused: true, modelDir };
    // stored by a version without the likelihood-ranking probe: probe again, keep the rest
    const result = { ...stored, metrics: { ...stored.metrics, ...(await probeCheckpoint(modelDir, spec)) } };
    o.store.put(result);
    return { result, reused: true, modelDir };
  }
  const t0 = performance.now();
  const { world, tok, examples, model } = prepareBase(spec);
  try {
    const tr = await train({
      model, tokenizer: tok, train: examples, config: pretrainConfig(spec),
      checkpointDir: path.join(o.store.runDir(hash), 'checkpoints'),
      onEvent: (e) => o.onEvent?.({ ...e, phase: 'pretrain' }),
    });
    await saveModel(modelDir, model, tok);
    const metrics = await probeBase(model, tok, world, spec);
    const seconds = (performance.now() - t0) / 1000;
    const prov = provenance(hash, spec.train.seed, o, command);
    const manifest: BaseManifest = {
      command, commit: prov.commit, seed: spec.train.seed, backend: o.backend, machine: machine(), configHash: hash, preset: o.preset, time: prov.time,
      steps: tr.steps, firstLosses: tr.losses.slice(0, 5), finalLoss: tr.losses.at(-1)!,
      sha256: Object.fromEntries(['model.safetensors', 'config.json', 'tokenizer.json'].map((f) => [f, sha256File(path.join(modelDir, f))])),
      spec,
    };
    writeJsonAtomic(path.join(modelDir, MANIFEST_FILE), manifest);
    const result: ExperimentResult<BaseSpec> = {
      version: 1, kind: 'pretrain', label: `base model (${o.preset})`, spec, provenance: prov, metrics,
      training: trainingSummary(tr, seconds),
    };
    o.store.put(result);
    return { result, reused: false, modelDir };
  } finally {
    model.dispose();
  }
}

/**
 * The first `steps` training losses of the base model `spec` describes, computed afresh
 * (world, corpus, BPE, initialisation, data order) and without writing anything: what a
 * committed base's manifest records as `firstLosses` (its command must reproduce them).
 */
export async function pretrainFirstLosses(spec: BaseSpec, steps: number, onEvent?: (e: TrainEvent) => void): Promise<number[]> {
  const { tok, examples, model } = prepareBase(spec);
  try {
    const tr = await train({ model, tokenizer: tok, train: examples, config: pretrainConfig(spec), stopAfter: steps, onEvent });
    return tr.losses;
  } finally {
    model.dispose();
  }
}

function trainingSummary(tr: TrainResult, seconds: number, resumedFrom?: number): ExperimentResult['training'] {
  return {
    steps: tr.steps, losses: tr.losses, seconds, tokensPerSec: tr.tokensPerSec,
    realTokensPerSec: tr.realTokensPerSec, nonPaddingShare: tr.nonPaddingShare, examplesSeen: tr.examplesSeen,
    ...(resumedFrom !== undefined ? { resumedFrom } : {}),
  };
}

/**
 * Pre-training documents replayed during tuning: `share` of the final example count,
 * drawn (seeded by the run's seed) from the world's corpus, as language-model examples.
 */
export function replayExamples(world: World, tok: Tokenizer, instructionExamples: number, share: number, seed: number, seqLen: number): Example[] {
  if (share <= 0) return [];
  const docs = world.corpus().docs;
  const n = Math.round((share / (1 - share)) * instructionExamples);
  const rng = new Rng(seed).fork('replay');
  return Array.from({ length: n }, () => {
    const ids = [tok.special.eos, ...tok.encode(docs[rng.int(docs.length)]!.text), tok.special.eos].slice(0, seqLen + 1);
    return { prompt: [], response: ids };
  });
}

/** The instruction-tuning records of a condition (equal steps come from the spec, not the pool size). */
export function conditionRecords(world: World, spec: TuneSpec): WorldExample[] {
  const pool = (lang: string) => spec.data.tasks.flatMap((t) => world.examples(t, lang, 'train', spec.data.perTask, spec.format));
  const recs = pool('en');
  if (spec.condition !== 'en-only') recs.push(...pool(spec.lang));
  if (spec.condition === 'bilingual+translation') {
    recs.push(...(spec.data.real ? realTranslationRecords(spec.lang, 'train', spec.data.translationPairs) : world.examples('translation', spec.lang, 'train', spec.data.translationPairs)));
  }
  return recs;
}

/**
 * Fits an instruction example into `seqLen + 1` tokens so that its response stays in the
 * loss: a response longer than 3/4 of the row is cut; a prompt that does not fit keeps its
 * first token (the instruction marker) and its last tokens (the question end of the input).
 * Evaluation truncates prompts the same way (src/experiments/evaluate.ts).
 */
export function fitExample(ex: Example, seqLen: number): Example & { truncated: boolean } {
  if (ex.prompt.length + ex.response.length <= seqLen + 1) return { ...ex, truncated: false };
  const response = ex.response.slice(0, Math.max(1, Math.floor((3 * seqLen) / 4)));
  const room = seqLen + 1 - response.length;
  const prompt = ex.prompt.length <= room ? ex.prompt : [ex.prompt[0]!, ...ex.prompt.slice(ex.prompt.length - room + 1)];
  return { prompt, response, truncated: true };
}

/** Per-segment statistics: segments[task][lang][metric] = one row per test record (see SEGMENT_METRICS). */
export type SegmentStats = Record<string, Record<string, Record<string, number[][]>>>;

/** Evaluates a model on the spec's test tasks and languages: metrics[task][lang]. */
export async function evaluateTuned(model: Transformer, tok: Tokenizer, world: World, ev: TuneSpec['eval'], format: Readonly<TaskFormat> = DEFAULT_TASK_FORMAT): Promise<{
  metrics: Record<string, Record<string, MetricValues>>;
  segments: SegmentStats;
  samples: Record<string, { prompt: string; output: string; gold: string }>;
  /** TASK/LANG: how many test records `containsNative` counts (the others have loan-word answers). */
  nativeRecords: Record<string, number>;
}> {
  const metrics: Record<string, Record<string, MetricValues>> = {};
  const segments: SegmentStats = {};
  const samples: Record<string, { prompt: string; output: string; gold: string }> = {};
  const nativeRecords: Record<string, number> = {};
  for (const task of ev.tasks) {
    for (const lang of ev.langs) {
      if (task === 'translation' && lang === 'en') continue;
      const recs = world.examples(task, lang, 'test', ev.n, format);
      const hyps = await predict(model, tok, recs, { maxNewTokens: maxNewTokensFor(task, tok, recs) });
      (metrics[task] ??= {})[lang] = scoreTask(task, lang, recs, hyps);
      (segments[task] ??= {})[lang] = segmentStatsFor(task, lang, recs, hyps);
      samples[`${task}/${lang}`] = { prompt: recordPrompt(recs[0]!), output: hyps[0]!, gold: recs[0]!.output };
      if (metrics[task]![lang]!.containsNative !== undefined) nativeRecords[`${task}/${lang}`] = nativeIndices(recs).length;
    }
  }
  if (ev.realTranslation) {
    const lang = ev.langs[0]!;
    const recs = realTranslationRecords(lang, 'test', ev.n);
    const hyps = await predict(model, tok, recs, { maxNewTokens: maxNewTokensFor('translation', tok, recs) });
    (metrics['translation-real'] ??= {})[lang] = scoreTask('translation', lang, recs, hyps);
    (segments['translation-real'] ??= {})[lang] = segmentStatsFor('translation', lang, recs, hyps);
    samples[`translation-real/${lang}`] = { prompt: recordPrompt(recs[0]!), output: hyps[0]!, gold: recs[0]!.output };
  }
  return { metrics, segments, samples, nativeRecords };
}

/**
 * The token examples a tuning run trains on: the condition's records as instruction
 * examples fitted to the row (`truncated` of them cut), then the replayed pre-training
 * documents.
 */
export function tuningExamples(world: World, tok: Tokenizer, spec: TuneSpec): { recs: WorldExample[]; examples: Example[]; truncated: number; replay: Example[] } {
  const recs = conditionRecords(world, spec);
  const examples = recs.map((r) => fitExample(encodeInstruction(tok, recordPrompt(r), r.output), spec.train.seqLen));
  const truncated = examples.filter((e) => e.truncated).length;
  const replay = replayExamples(world, tok, examples.length, spec.data.replayShare, spec.seed, spec.train.seqLen);
  return { recs, examples, truncated, replay };
}

/**
 * Runs (or reuses) one tuning condition: ensures the base model, tunes it on the
 * condition's records for `spec.train.steps` steps (resuming from the run folder's
 * checkpoint after a kill), evaluates, stores the result.
 */
export async function runTune(spec: TuneSpec, o: RunOptions): Promise<RunOutcome<TuneSpec>> {
  const hash = configHash(spec);
  const modelDir = path.join(o.store.runDir(hash), 'model');
  const stored = o.store.get<TuneSpec>(hash);
  if (stored) return { result: stored, reused: true, modelDir };
  const base = await runPretrain(spec.base, { ...o, command: undefined });
  const t0 = performance.now();
  const world = buildWorld(spec.base.world);
  const loaded = loadModel(base.modelDir);
  if (!loaded.tokenizer) throw new Error(`${base.modelDir}: base model has no tokenizer.json`);
  const tok = loaded.tokenizer;
  const model = loaded.model;
  try {
    const { recs, examples, truncated, replay } = tuningExamples(world, tok, spec);
    let resumedFrom: number | undefined;
    const tr = await train({
      model, tokenizer: tok, train: [...examples, ...replay], config: trainConfig({ ...spec.trainer, ...spec.train }, `tune spec ${configHash(spec)}: trainer`),
      checkpointDir: path.join(o.store.runDir(hash), 'checkpoints'),
      onEvent: (e) => {
        if (e.type === 'resume') resumedFrom = e.step;
        o.onEvent?.({ ...e, phase: 'tune' });
      },
    });
    await saveModel(modelDir, model, tok);
    const { metrics, segments, samples, nativeRecords } = await evaluateTuned(model, tok, world, spec.eval, spec.format);
    const competence = spec.eval.langs.includes('en') ? competenceOf(metrics, base.result.metrics['fact-completion']) : undefined;
    const seconds = (performance.now() - t0) / 1000;
    const command = o.command ?? `npx xalign experiment run --preset ${o.preset} --lang ${spec.lang} --condition ${spec.condition} --seed ${spec.seed}`;
    const result: ExperimentResult<TuneSpec> = {
      version: 1, kind: 'tune', label: `tune ${spec.lang} ${spec.condition} seed ${spec.seed}`, spec,
      provenance: provenance(hash, spec.seed, o, command), metrics,
      training: trainingSummary(tr, seconds, resumedFrom),
      extra: { ...(competence ? { competence } : {}), records: recs.length, replayed: replay.length, truncated, baseConfigHash: base.result.provenance.configHash, samples, segments, nativeRecords },
    };
    o.store.put(result);
    return { result, reused: false, modelDir };
  } finally {
    model.dispose();
  }
}

/**
 * The command that regenerates `spec`'s result: `npx xalign experiment run` with the
 * preset, its overridden settings as `--set`, the language, condition, seed and (for the
 * recipe at a size other than the preset's) `--pairs`.
 */
export function tuneCommand(preset: { name: string; settings: Settings; overridden: readonly string[] }, spec: TuneSpec): string {
  const sets = preset.overridden.map((k) => {
    const v = (preset.settings as unknown as Record<string, unknown>)[k];
    return ` --set ${k}=${Array.isArray(v) ? v.join('+') : String(v)}`;
  });
  const pairs = spec.condition === 'bilingual+translation' && spec.data.translationPairs !== preset.settings.worldTranslationPairs ? ` --pairs ${spec.data.translationPairs}` : '';
  const real = spec.data.real ? ' --real' : '';
  return `npx xalign experiment run --preset ${preset.name}${sets.join('')} --lang ${spec.lang} --condition ${spec.condition} --seed ${spec.seed}${pairs}${real}`;
}

/** Where a committed base checkpoint of a preset lives: data/world/base-PRESET (see `xalign world pretrain --out`). */
export function committedBaseDir(preset: string): string {
  return path.join(PROJECT_ROOT, 'data', 'world', `base-${preset}`);
}

/** Copies a base model folder (weights, config, tokenizer, manifest) to `out`, atomically per file. */
export function copyBase(modelDir: string, out: string): string[] {
  fs.mkdirSync(out, { recursive: true });
  const files = ['model.safetensors', 'config.json', 'tokenizer.json', MANIFEST_FILE];
  for (const f of files) writeFileAtomic(path.join(out, f), fs.readFileSync(path.join(modelDir, f)));
  return files.map((f) => path.join(out, f));
}
