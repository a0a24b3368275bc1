/**
 * What an experiment of the laboratory is, as data (notebook 02; paper Sections 3.1 and
 * 5.1). Two kinds of described run, each a plain JSON object whose config hash keys the
 * results store ({@link ResultStore}):
 * - `pretrain` ({@link BaseSpec}): the base model, pre-trained with the language-model
 *   objective on the miniature world's English-dominated corpus (docs/world.md). Its
 *   tokenizer is a byte-level BPE fitted to that corpus (`worldBpeVocab`): like LLaMA's,
 *   it favours English, so target languages cost more tokens per sentence;
 * - `tune` ({@link TuneSpec}): instruction tuning of that base model in one condition
 *   (src/experiments/conditions.ts) for a target language, with the same number of steps
 *   in every condition, then evaluation on the test splits.
 *
 * Running them is src/experiments/base.ts and src/experiments/tune.ts.
 */

import type { Settings } from '../config/presets';
import type { ModelFamily } from '../model/config';
import type { Batching } from '../train/data';
import { trainConfig, type TrainConfig } from '../train/trainer';
import { buildWorld, type World, type WorldOptions, worldOptionsFromSettings } from '../world/world';
import type { LanguageSpec } from '../world/languages';
import type { TaskFormat, TaskId } from '../world/tasks';
import { ALL_LANGUAGES, CONDITION_DEFS, conditionDef, type Condition } from './conditions';
import { realCorpusFingerprint } from './real-data';
import type { ExperimentResult } from './store';

/** The training settings a base spec records (everything else takes the engine's defaults). */
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
   * The trainer's other settings (objective, batching, schedule, optimiser). Absent in
   * the committed bases, which take the trainer's defaults (docs/world.md, "What a config
   * hash covers"); adding it to {@link baseSpecFromSettings} changes every base's hash,
   * so it waits for the next rebuild of the committed bases. A spec that has it trains
   * with it.
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
 * 3: the trainer's whole configuration in the spec; `containsNative`.
 * 4: packed tuning batches, replay, task format (`format`); "an" before a vowel in
 *    filled clozes; longer QA answers decoded; the competence summary.
 * 5: the condition resolved into `data` (instruction languages, translation pairs per
 *    language); `train` is the trainer's complete configuration.
 * Results of older versions are read through {@link upgradeTuneSpec}.
 *
 * The backend is not part of the hash: it changes rounding, not the experiment, and each
 * result's provenance names it (docs/world.md, "What a config hash covers").
 */
export const TUNE_SPEC_VERSION = 5;

export interface TuneSpec {
  kind: 'tune';
  /** {@link TUNE_SPEC_VERSION} when the spec was made. */
  version: number;
  base: BaseSpec;
  /** The target language X. */
  lang: string;
  /** The condition's name (src/experiments/conditions.ts); what it trains on is `data`. */
  condition: Condition;
  seed: number;
  /** The trainer's complete configuration (src/train/trainer.ts), defaults included, so a changed default is a different run. */
  train: TrainConfig;
  /**
   * The instruction pool: the train splits of `tasks` in each of `instructionLangs`,
   * `perTask` records each; English->X translation pairs per language from the world
   * (transduced English) or, with `real`, from the real corpus of `xalign data build`
   * (its train split; the corpus fingerprint makes a rebuilt corpus a different run).
   * `replayShare` of the training examples are pre-training documents of the world's
   * corpus, scored on every token (replay against forgetting; 0 = none).
   */
  data: {
    tasks: TaskId[];
    perTask: number;
    instructionLangs: string[];
    translation: Record<string, number>;
    /** X->English pairs per language: the first N pairs the other way round (absent: none). */
    reverse?: Record<string, number>;
    /**
     * Continued pre-training before the tuning (absent: none): the X side of the first N
     * pairs of each language as language-model text, for `steps` steps, then the
     * instruction tuning's `train.steps`: the run's steps split in half, so the condition
     * has as many steps in all as the others.
     */
    continued?: { texts: Record<string, number>; steps: number };
    real?: { fingerprint: string };
    replayShare: number;
  };
  /**
   * A target language outside the base model's world (absent: `lang` is one of the
   * world's): defined by a user (src/world/language-file.ts), it has tasks and pairs like
   * the others but no text in the base model's pre-training corpus.
   */
  language?: LanguageSpec;
  /** How the tasks are posed, in training and test sets alike (src/world/tasks.ts). */
  format: TaskFormat;
  /** Test tasks and languages, `n` records each; `realTranslation`: also chrF/BLEU on the real corpus's test split (n pairs). */
  eval: { tasks: TaskId[]; langs: string[]; n: number; realTranslation?: boolean };
}

/** The world a tune spec trains and tests in: its base model's, with the spec's own language if it has one. */
export function tuneWorld(spec: TuneSpec): World {
  return buildWorld(spec.base.world, spec.language ? [spec.language] : []);
}

/** The tasks a tuned model is tested on, in the target language and in English (translation: English->X only). */
export const EVAL_TASKS: readonly TaskId[] = ['translation', 'qa', 'knowledge', 'summarization'];

/** The translation pairs a tune spec uses for its own target language, in whichever direction or as text (0: none). */
export function targetPairs(spec: TuneSpec): number {
  const d = spec.data;
  return d.translation[spec.lang] ?? d.reverse?.[spec.lang] ?? d.continued?.texts[spec.lang] ?? 0;
}

/** The trainer configuration of a spec's {@link SpecTrain} with the trainer's defaults for the rest. */
function specTrainConfig(t: SpecTrain, objective: 'lm' | 'instruction', batching: Batching, source: string): TrainConfig {
  return trainConfig({ objective, batching, ...t }, source);
}

/** The base model a preset describes (pretrainSteps, pretrainLr, modelDim, seqLen, worldBpeVocab, ...). */
export function baseSpecFromSettings(s: Settings): BaseSpec {
  const train: SpecTrain = { steps: Math.max(1, s.pretrainSteps), batchSize: s.batchSize, seqLen: s.seqLen, lr: s.pretrainLr, seed: s.seed, checkpointEvery: Math.max(1, Math.ceil(s.pretrainSteps / 10)) };
  return {
    kind: 'pretrain',
    world: worldOptionsFromSettings(s),
    tokenizer: { type: 'bpe', vocabSize: s.worldBpeVocab },
    model: { family: (s.modelFamily ?? 'llama') as ModelFamily, dModel: s.modelDim, nLayers: s.modelLayers, nHeads: s.modelHeads, maxSeqLen: Math.max(s.seqLen, s.tuneSeqLen) + 1 },
    train,
    probe: { langs: ['en', ...s.languages], n: s.evalExamples },
  };
}

/**
 * The pre-training configuration of a base spec: its `trainer` and `train`, or, for a
 * spec from before `trainer` was recorded, the trainer's defaults with the language-model
 * objective and packed rows.
 */
export function pretrainConfig(spec: BaseSpec): TrainConfig {
  return spec.trainer ? trainConfig({ ...spec.trainer, ...spec.train }, 'base spec: trainer') : specTrainConfig(spec.train, 'lm', 'pack', 'base spec: train');
}

/**
 * One tuning condition for language `lang` at the preset's sizes; `seed` varies the data
 * order; `translationPairs` (default `worldTranslationPairs`) sets the pairs of a
 * condition that has any, e.g. for a point of the scaling series, or, as a count per
 * language, an allocation of a budget for the multilingual condition; `real` takes them
 * from the real corpus; `steps` (default `tuneSteps`) sets the optimiser steps, e.g. the
 * summed steps of several bilingual runs; `language` is a user's language outside the
 * base model's world (its code is `lang`). A condition of scope `all` covers the lab's
 * languages (`labLanguages`): the languages the laboratory tunes and fits laws for.
 */
export function tuneSpecFromSettings(
  s: Settings,
  o: { lang: string; condition: Condition; seed?: number; translationPairs?: number | Readonly<Record<string, number>>; real?: boolean; steps?: number; language?: LanguageSpec },
): TuneSpec {
  const def = conditionDef(o.condition);
  if (def.scope === 'all' && o.lang !== ALL_LANGUAGES) throw new RangeError(`experiment: condition ${o.condition} covers every preset language; its language is "${ALL_LANGUAGES}", not "${o.lang}"`);
  if (o.language) {
    if (def.scope !== 'one') throw new RangeError(`experiment: a language of your own needs a one-language condition, not ${o.condition}`);
    if (o.language.code !== o.lang) throw new RangeError(`experiment: the language file defines "${o.language.code}", but the run's language is "${o.lang}"`);
    if (s.languages.includes(o.lang)) throw new RangeError(`experiment: "${o.lang}" is one of the preset's languages; a language file must use another code`);
    if (o.real) throw new RangeError('experiment: --real takes pairs from the real corpus, which a language of the world has none of');
  } else if (def.scope === 'one' && !s.languages.includes(o.lang)) throw new RangeError(`experiment: language "${o.lang}" is not in the preset's languages (${s.languages.join(', ')})`);
  const seed = o.seed ?? s.seed;
  const pairs = o.translationPairs ?? s.worldTranslationPairs;
  const languages = def.scope === 'all' ? s.labLanguages : s.languages;
  checkPairs(pairs, languages);
  const steps = o.steps ?? Math.max(1, s.tuneSteps);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`experiment: steps must be a positive integer, got ${steps}`);
  const real = Object.values(CONDITION_DEFS).filter((d) => d.translates && d.scope === 'one').map((d) => d.id);
  if (o.real && !real.includes(o.condition)) throw new RangeError(`experiment: real translation data needs a one-language condition with translation pairs (${real.join(', ')}), not ${o.condition}`);
  const { instructionLangs, tasks, translation, reverse, continued, evalLangs } = def.resolve({ lang: o.lang, languages, pairs });
  // continued pre-training shares the run's steps with the tuning: the first half on the text, the rest on the
  // instructions (one step cannot be split: then one of each)
  const continuedSteps = continued ? Math.max(1, Math.floor(steps / 2)) : 0;
  const train = trainConfig({
    objective: 'instruction', batching: s.tuneBatching as Batching,
    steps: Math.max(1, steps - continuedSteps), batchSize: s.tuneBatchSize, seqLen: s.tuneSeqLen, lr: s.tuneLr, seed, checkpointEvery: Math.max(1, Math.ceil(Math.max(1, steps - continuedSteps) / 10)),
  }, 'tune settings');
  return {
    kind: 'tune',
    version: TUNE_SPEC_VERSION,
    base: baseSpecFromSettings(s),
    lang: o.lang,
    condition: o.condition,
    seed,
    train,
    data: {
      tasks, perTask: s.worldTaskTrain, instructionLangs, translation, replayShare: s.tuneReplayShare,
      ...(reverse ? { reverse } : {}), ...(continued ? { continued: { texts: continued, steps: continuedSteps } } : {}),
      ...(o.real ? { real: { fingerprint: realCorpusFingerprint() } } : {}),
    },
    ...(o.language ? { language: o.language } : {}),
    format: { qaPeople: s.worldQaPeople as 1 | 2, qaAnswer: s.worldQaAnswer as TaskFormat['qaAnswer'], knowledgeAnswer: s.worldKnowledgeAnswer as TaskFormat['knowledgeAnswer'] },
    eval: { tasks: [...EVAL_TASKS], langs: evalLangs, n: s.tuneEvalExamples, ...(o.real ? { realTranslation: true } : {}) },
  };
}

/** A pair count is a positive integer; a count per language names the run's languages only, each an integer >= 0, not all 0. */
function checkPairs(pairs: number | Readonly<Record<string, number>>, languages: readonly string[]): void {
  if (typeof pairs === 'number') {
    if (!Number.isInteger(pairs) || pairs < 1) throw new RangeError(`experiment: translationPairs must be a positive integer, got ${pairs}`);
    return;
  }
  for (const [lang, n] of Object.entries(pairs)) {
    if (!languages.includes(lang)) throw new RangeError(`experiment: translationPairs names "${lang}", which is not among the run's languages (${languages.join(', ')})`);
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`experiment: translationPairs.${lang} must be an integer >= 0, got ${n}`);
  }
  if (!Object.values(pairs).some((n) => n > 0)) throw new RangeError('experiment: translationPairs gives no language any pairs');
}

/** A tune spec as version 4 and earlier stored it: the condition by name, the trainer split in two. */
interface TuneSpecV4 extends Omit<TuneSpec, 'train' | 'data'> {
  train: SpecTrain;
  trainer?: Omit<TrainConfig, keyof SpecTrain>;
  data: Omit<TuneSpec['data'], 'instructionLangs' | 'translation'> & { translationPairs: number };
}

/**
 * A stored tune spec in today's shape, for analysis: a version-4 spec gets its condition
 * resolved into `data` and its trainer merged into `train`. Its config hash stays the one
 * it was stored under (the result's provenance), so an old result is read, never reused
 * for a new spec.
 */
export function upgradeTuneSpec(spec: TuneSpec | TuneSpecV4): TuneSpec {
  if (spec.version >= 5) return spec as TuneSpec;
  const old = spec as TuneSpecV4;
  const { translationPairs, ...data } = old.data;
  const resolved = conditionDef(old.condition).resolve({ lang: old.lang, languages: [old.lang], pairs: translationPairs });
  const { trainer, ...rest } = old;
  return {
    ...rest,
    train: trainConfig({ ...(trainer ?? {}), ...old.train }, `tune spec v${old.version}`),
    data: { ...data, instructionLangs: resolved.instructionLangs, translation: translationPairs > 0 ? { [old.lang]: translationPairs } : {} },
  };
}

/** {@link upgradeTuneSpec} on every tune result of a list; other results pass unchanged. */
export function upgradeResults<R extends ExperimentResult>(results: readonly R[]): R[] {
  return results.map((r) => (r.kind === 'tune' ? { ...r, spec: upgradeTuneSpec(r.spec as TuneSpec) } : r));
}

/** `--pairs` for a command that regenerates `spec` ('' at the preset's count): one count, or LANG=N for each language of a multilingual run. */
function pairsOption(spec: TuneSpec, presetPairs: number): string {
  if (spec.lang !== ALL_LANGUAGES) {
    const p = targetPairs(spec);
    return p > 0 && p !== presetPairs ? ` --pairs ${p}` : '';
  }
  const langs = spec.data.instructionLangs.filter((l) => l !== 'en');
  const counts = langs.map((l) => spec.data.translation[l] ?? 0);
  return counts.every((n) => n === presetPairs) ? '' : ` --pairs ${langs.map((l, i) => `${l}=${counts[i]}`).join(',')}`;
}

/**
 * The command that regenerates `spec`'s result: `npx xalign experiment run` with the
 * preset, its overridden settings as `--set`, the language, condition, seed and (for
 * pairs other than the preset's) `--pairs`, per language for a multilingual run, and
 * `--steps` when the run's steps are not the preset's. A run in a language of the user's
 * own names its file with `--language` (`languageFile`, else CODE.json).
 */
export function tuneCommand(preset: { name: string; settings: Settings; overridden: readonly string[] }, spec: TuneSpec, languageFile?: string): string {
  const sets = preset.overridden.map((k) => {
    const v = (preset.settings as unknown as Record<string, unknown>)[k];
    return ` --set ${k}=${Array.isArray(v) ? v.join('+') : String(v)}`;
  });
  const pairs = pairsOption(spec, preset.settings.worldTranslationPairs);
  const real = spec.data.real ? ' --real' : '';
  const total = spec.train.steps + (spec.data.continued?.steps ?? 0);
  const steps = total !== Math.max(1, preset.settings.tuneSteps) ? ` --steps ${total}` : '';
  const lang = spec.language ? `--language ${languageFile ?? `${spec.lang}.json`}` : `--lang ${spec.lang}`;
  return `npx xalign experiment run --preset ${preset.name}${sets.join('')} ${lang} --condition ${spec.condition} --seed ${spec.seed}${pairs}${steps}${real}`;
}
