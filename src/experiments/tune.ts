/**
 * Instruction tuning in the laboratory: the records a condition trains on (read from
 * the spec's resolved condition, src/experiments/conditions.ts), fitted to the row and
 * turned into token examples, then one run of the trainer on the base model, its
 * evaluation and the stored result. A run whose config hash is stored is not run again;
 * a run killed part-way resumes from the engine's last checkpoint in the store's run
 * folder.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, saveModel } from '../model/checkpoint';
import { encodeInstruction, type Tokenizer } from '../model/tokenizer';
import { Rng } from '../random/rng';
import type { Example } from '../train/data';
import { train } from '../train/trainer';
import type { World } from '../world/world';
import { type WorldExample, worldTranslationInstruction } from '../world/tasks';
import { runPretrain } from './base';
import { competenceOf } from './competence';
import { evaluateTuned, recordPrompt } from './evaluate';
import { realTranslationRecords } from './real-data';
import { runProvenance, type RunOptions, type RunOutcome, trainingSummary } from './run';
import { targetPairs, tuneWorld, type TuneSpec } from './spec';
import { configHash, type ExperimentResult } from './store';

/**
 * The instruction-tuning records of a run: the tasks' train splits in each instruction
 * language, then the translation pairs of each language (equal steps come from the
 * spec, not the pool size).
 */
export function conditionRecords(world: World, spec: TuneSpec): WorldExample[] {
  const { tasks, perTask, instructionLangs, translation, reverse } = spec.data;
  const recs = instructionLangs.flatMap((lang) => tasks.flatMap((t) => world.examples(t, lang, 'train', perTask, spec.format)));
  for (const [lang, pairs] of Object.entries(translation)) recs.push(...pairRecords(world, spec, lang, pairs));
  for (const [lang, pairs] of Object.entries(reverse ?? {})) {
    // the same pairs the other way round, asked in English as the English->X ones are
    recs.push(...pairRecords(world, spec, lang, pairs).map((r, i) => ({
      ...r, id: `${r.id}-reverse`, instruction: worldTranslationInstruction('English', i, languageName(world, lang)), input: r.output, output: r.input, answer: r.input,
    })));
  }
  return recs;
}

/** The first `pairs` English->X training pairs of `lang`: the world's, or the real corpus's when the spec says so. */
function pairRecords(world: World, spec: TuneSpec, lang: string, pairs: number): WorldExample[] {
  return spec.data.real ? realTranslationRecords(lang, 'train', pairs) : world.examples('translation', lang, 'train', pairs);
}

function languageName(world: World, lang: string): string {
  return world.transducers.get(lang)?.spec.englishName ?? lang;
}

/**
 * The continued pre-training text of a run (none without `data.continued`): the X side
 * of the first N pairs of each language, each a language-model example scored on every
 * token.
 */
export function continuedExamples(world: World, tok: Tokenizer, spec: TuneSpec): Example[] {
  const texts = spec.data.continued?.texts ?? {};
  const docs: Example[] = Object.entries(texts).flatMap(([lang, n]) =>
    pairRecords(world, spec, lang, n).map((r) => documentExample(tok, r.output, spec.train.seqLen)),
  );
  // a text shorter than one batch is repeated until it fills one (training cycles through it anyway)
  const batchTokens = spec.train.batchSize * (spec.train.seqLen + 1);
  const tokens = docs.reduce((t, d) => t + d.response.length, 0);
  return tokens > 0 && tokens < batchTokens ? Array.from({ length: Math.ceil(batchTokens / tokens) }, () => docs).flat() : docs;
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
  return Array.from({ length: n }, () => documentExample(tok, docs[rng.int(docs.length)]!.text, seqLen));
}

/** A text as a language-model example: between end-of-text tokens, every token scored, cut to `seqLen + 1` tokens. */
function documentExample(tok: Tokenizer, text: string, seqLen: number): Example {
  return { prompt: [], response: [tok.special.eos, ...tok.encode(text), tok.special.eos].slice(0, seqLen + 1) };
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
 * The hash of what decides a tuned model's weights: the base, the trainer, the data, the
 * task format and the seed; not the run's language label, condition name or tests. Two
 * specs with equal training hashes train the same model (e.g. the English-only baseline
 * of every language: its data has no target language in it).
 */
export function trainingHash(spec: TuneSpec): string {
  // a language of the user's own shapes the training data only when the run trains on it (not an English-only run)
  const own = spec.language && (spec.data.instructionLangs.includes(spec.lang) || targetPairs(spec) > 0) ? { language: spec.language } : {};
  return configHash({ version: spec.version, base: spec.base, train: spec.train, data: spec.data, format: spec.format, seed: spec.seed, ...own });
}

/** A stored tune result whose training hash is `spec`'s and whose model is on disk: its result and model folder. */
function storedTwin(store: RunOptions['store'], spec: TuneSpec): { result: ExperimentResult<TuneSpec>; modelDir: string } | null {
  const want = trainingHash(spec);
  for (const r of store.list()) {
    if (r.kind !== 'tune' || (r.spec as TuneSpec).version !== spec.version || trainingHash(r.spec as TuneSpec) !== want) continue;
    const modelDir = path.join(store.runDir(r.provenance.configHash), 'model');
    if (fs.existsSync(path.join(modelDir, 'config.json'))) return { result: r as ExperimentResult<TuneSpec>, modelDir };
  }
  return null;
}

/** The folder of the model a stored tune result was tested on: its own, or the run's named by `extra.trainedBy`. */
export function resultModelDir(store: RunOptions['store'], result: ExperimentResult): string {
  const trainedBy = result.extra?.trainedBy;
  return path.join(store.runDir(typeof trainedBy === 'string' ? trainedBy : result.provenance.configHash), 'model');
}

/**
 * Runs (or reuses) one tuning condition: ensures the base model, tunes it on the
 * condition's records for `spec.train.steps` steps (resuming from the run folder's
 * checkpoint after a kill), evaluates, stores the result. When the store holds a run
 * that trained the same model ({@link trainingHash}), that model is evaluated on this
 * spec's tests instead of being trained again: the result's `training` is the stored
 * run's and `extra.trainedBy` names it.
 */
export async function runTune(spec: TuneSpec, o: RunOptions): Promise<RunOutcome<TuneSpec>> {
  const hash = configHash(spec);
  const modelDir = path.join(o.store.runDir(hash), 'model');
  const stored = o.store.get<TuneSpec>(hash);
  if (stored) return { result: stored, reused: true, modelDir: resultModelDir(o.store, stored) };
  const base = await runPretrain(spec.base, { ...o, command: undefined });
  const t0 = performance.now();
  const world = tuneWorld(spec);
  const twin = storedTwin(o.store, spec);
  const loaded = loadModel(twin ? twin.modelDir : base.modelDir);
  if (!loaded.tokenizer) throw new Error(`${twin ? twin.modelDir : base.modelDir}: model has no tokenizer.json`);
  const tok = loaded.tokenizer;
  const model = loaded.model;
  try {
    const { recs, examples, truncated, replay } = tuningExamples(world, tok, spec);
    let resumedFrom: number | undefined;
    const continued = twin ? [] : continuedExamples(world, tok, spec);
    // continued pre-training first (its own checkpoints: a killed run resumes in either phase)
    const cpt = continued.length
      ? await train({
        model, tokenizer: tok, train: continued, config: { ...spec.train, steps: spec.data.continued!.steps },
        checkpointDir: path.join(o.store.runDir(hash), 'checkpoints-continued'),
        // continued pre-training is reported as a pre-training phase, so progress does not count tuning steps twice
        onEvent: (e) => o.onEvent?.({ ...e, phase: 'pretrain' }),
      })
      : null;
    const cptSeconds = (performance.now() - t0) / 1000;
    const tr = twin
      ? null
      : await train({
        model, tokenizer: tok, train: [...examples, ...replay], config: spec.train,
        checkpointDir: path.join(o.store.runDir(hash), 'checkpoints'),
        onEvent: (e) => {
          if (e.type === 'resume') resumedFrom = e.step;
          o.onEvent?.({ ...e, phase: 'tune' });
        },
      });
    if (tr) await saveModel(modelDir, model, tok);
    const { metrics, segments, samples, nativeRecords, misses } = await evaluateTuned(model, tok, world, spec.eval, spec.format);
    const competence = spec.eval.langs.includes('en') ? competenceOf(metrics, base.result.metrics['fact-completion']) : undefined;
    const seconds = (performance.now() - t0) / 1000;
    const command = o.command ?? `npx xalign experiment run --preset ${o.preset} ${spec.language ? `--language ${spec.lang}.json` : `--lang ${spec.lang}`} --condition ${spec.condition} --seed ${spec.seed}`;
    const result: ExperimentResult<TuneSpec> = {
      version: 1, kind: 'tune', label: `tune ${spec.lang} ${spec.condition} seed ${spec.seed}${spec.base.model.family === 'llama' ? '' : ` (${spec.base.model.family})`}`, spec,
      provenance: runProvenance(hash, spec.seed, o, command), metrics,
      training: tr ? trainingSummary(tr, seconds, resumedFrom) : twin!.result.training,
      extra: { ...(cpt ? { continued: { steps: cpt.steps, texts: Object.values(spec.data.continued!.texts).reduce((a, b) => a + b, 0), finalLoss: cpt.losses.at(-1), seconds: cptSeconds } } : {}), ...(competence ? { competence } : {}), ...(twin ? { trainedBy: twin.result.provenance.configHash } : {}), records: recs.length, replayed: replay.length, truncated, baseConfigHash: base.result.provenance.configHash, samples, misses, segments, nativeRecords },
    };
    o.store.put(result);
    return { result, reused: false, modelDir: twin ? twin.modelDir : modelDir };
  } finally {
    model.dispose();
  }
}

