/**
 * Presets: named, typed sets of settings that every notebook and CLI command reads.
 *
 * - `smoke`: the smallest sizes that still exercise every code path; CI runs it.
 * - `classroom` (default): every notebook on a 2-core laptop, each within about 30 minutes (the
 *   two that train, 02 and 05, take most of an hour together).
 * - `paper`: larger models and longer runs, meant for a GPU.
 *
 * A setting is declared once in {@link SETTINGS} with its type, bounds and meaning.
 * Resolution order: defaults of the preset, then explicit overrides (from code, from
 * `xalign --set key=value`, or from the `XALIGN_SET` environment variable, same syntax,
 * comma separated). Unknown keys, wrong types and out-of-range values are errors that
 * name the key and what was expected.
 */

import { createHash } from 'node:crypto';

/** Value kinds a setting can have. */
export type SettingKind = 'int' | 'number' | 'string' | 'boolean' | 'string[]' | 'int[]';

export interface SettingSpec {
  kind: SettingKind;
  doc: string;
  min?: number;
  max?: number;
  /** For 'string' and 'string[]': the allowed values, if restricted. */
  choices?: readonly string[];
  /** For 'string[]': the form every item must have, if restricted, and its description. */
  itemPattern?: { regex: RegExp; doc: string };
}

/** A language code as the data readers name files and folders (ISO 639, 2-3 lower-case letters). */
export const LANGUAGE_CODE = { regex: /^[a-z]{2,3}$/, doc: 'language codes (ISO 639: 2-3 lower-case letters, e.g. zh)' };

/** The six target languages of the paper, ISO 639-1. */
export const PAPER_LANGUAGES = ['ar', 'el', 'hi', 'tr', 'vi', 'zh'] as const;

/** Every setting a preset has. Later parts of the project add theirs here. */
export const SETTINGS = {
  seed: { kind: 'int', min: 0, max: 0xffffffff, doc: 'Base seed; every random stream forks from it.' },
  seeds: { kind: 'int', min: 1, max: 100, doc: 'Number of seeds for experiments reported with confidence intervals.' },
  languages: { kind: 'string[]', itemPattern: LANGUAGE_CODE, doc: 'Target languages (ISO 639-1) the notebooks study.' },
  backend: {
    kind: 'string',
    choices: ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'],
    doc: 'TensorFlow.js backend; auto picks the fastest available (XALIGN_BACKEND overrides).',
  },
  maxPairsPerLanguage: { kind: 'int', min: 1, doc: 'Cap on parallel sentence pairs read per language.' },
  instructionsPerLanguage: { kind: 'int', min: 1, doc: 'Instruction-following records per language.' },
  modelFamily: { kind: 'string', choices: ['llama', 'neox'], doc: 'Architecture of the laboratory transformer: llama (RMSNorm, SwiGLU, rotary on every head dimension) or neox (Pythia: LayerNorm, parallel attention and MLP, partial rotary); each has its own committed base model.' },
  modelDim: { kind: 'int', min: 8, doc: 'Width of the laboratory transformer.' },
  modelLayers: { kind: 'int', min: 1, doc: 'Number of transformer blocks.' },
  modelHeads: { kind: 'int', min: 1, doc: 'Attention heads per block.' },
  seqLen: { kind: 'int', min: 8, doc: 'Maximum sequence length in tokens.' },
  batchSize: { kind: 'int', min: 1, doc: 'Sequences per optimiser step.' },
  pretrainSteps: { kind: 'int', min: 0, doc: 'Optimiser steps for pre-training the base model.' },
  pretrainLr: { kind: 'number', min: 1e-6, max: 1, doc: 'Peak learning rate of pre-training the base model (cosine decay with warm-up; docs/world.md, design study).' },
  tuneSteps: { kind: 'int', min: 0, doc: 'Optimiser steps for each instruction-tuning condition.' },
  evalExamples: { kind: 'int', min: 1, doc: 'Test examples per task and language.' },
  bootstrapSamples: { kind: 'int', min: 10, doc: 'Resamples for bootstrap confidence intervals and tests.' },
  worldPeople: { kind: 'int', min: 2, doc: 'Miniature world: people in the knowledge base (docs/world.md).' },
  worldRelations: {
    kind: 'string[]',
    choices: ['job', 'pet', 'food', 'instrument', 'city'],
    doc: 'Miniature world: relations each person has (city has name values shared by all languages: a control).',
  },
  worldValuesPerRelation: { kind: 'int', min: 2, max: 30, doc: 'Miniature world: distinct values per relation.' },
  worldHeldOutShare: { kind: 'number', min: 0, max: 0.9, doc: 'Miniature world: share of people whose facts are stated in English only.' },
  worldCorpusSentences: { kind: 'int', min: 10, doc: 'Miniature world: sentences in the pre-training corpus.' },
  worldTargetShare: { kind: 'number', min: 0, max: 0.5, doc: 'Miniature world: share of the pre-training sentences in EACH target language.' },
  worldCodeSwitchShare: { kind: 'number', min: 0, max: 1, doc: 'Miniature world lever: share of English biographies code-switched (0 = off).' },
  worldCodeSwitchP: { kind: 'number', min: 0, max: 1, doc: 'Miniature world lever: probability a code-switched word is replaced.' },
  worldParallelShare: { kind: 'number', min: 0, max: 0.5, doc: 'Miniature world lever: share of pre-training sentences in English/X pairs (0 = off).' },
  worldRepeatShare: { kind: 'number', min: 0, max: 0.5, doc: 'Miniature world lever: share of pre-training sentences in repeated spans (0 = off).' },
  worldRecallShare: { kind: 'number', min: 0, max: 0.5, doc: 'Miniature world lever: share of pre-training sentences in stranger-recall documents, which restate a stranger\'s fact stated earlier (0 = off).' },
  worldTaskTrain: { kind: 'int', min: 1, doc: 'Miniature world: training examples per task and language (qa, knowledge, summarization).' },
  worldTranslationPairs: { kind: 'int', min: 1, doc: 'Miniature world: English-X translation pairs in the training pool per language.' },
  worldBpeVocab: { kind: 'int', min: 260, doc: 'Miniature world: vocabulary of the BPE tokenizer trained on the pre-training corpus (src/experiments).' },
  tuneSeqLen: { kind: 'int', min: 8, doc: 'Token cap on an instruction-tuning example (prompt + response); pre-training packs rows of seqLen.' },
  labLanguages: { kind: 'string[]', choices: PAPER_LANGUAGES, doc: 'Miniature world: the target languages notebook 02 tunes and scales (a subset of languages).' },
  labGridLanguages: { kind: 'string[]', choices: PAPER_LANGUAGES, doc: 'Miniature world: the languages of notebook 02\'s paired grid (every condition, every seed; a subset of labLanguages); the others get the scaling series only.' },
  labRealRun: { kind: 'boolean', doc: 'Notebook 02 also tunes the recipe once on the real corpus\'s pairs (first grid language, when `xalign data build` has run) and scores real translation.' },
  tuneLr: { kind: 'number', min: 1e-6, max: 1, doc: 'Peak learning rate of instruction tuning (miniature world; cosine decay with warm-up).' },
  tuneBatchSize: { kind: 'int', min: 1, doc: 'Rows per instruction-tuning step (miniature world): one example each with tuneBatching=pad, several whole examples with packed.' },
  tuneBatching: {
    kind: 'string',
    choices: ['packed', 'pad'],
    doc: 'How tuning rows are filled: packed = whole examples side by side in rows of tuneSeqLen, each attending only to itself; pad = one example per row, padded (docs/world.md).',
  },
  worldQaPeople: { kind: 'int', min: 1, max: 2, doc: 'Miniature world: strangers in a context-QA passage (2: the answer must be bound to the asked name; 1: one value of each kind).' },
  worldQaAnswer: { kind: 'string', choices: ['value', 'sentence'], doc: 'Miniature world: a context-QA answer is the value alone, or a sentence stating the fact (scored by contains either way).' },
  worldKnowledgeAnswer: { kind: 'string', choices: ['sentence', 'value'], doc: 'Miniature world: a knowledge answer restates the cloze with the blank filled, or is the value alone (scored by contains either way).' },
  tuneReplayShare: { kind: 'number', min: 0, max: 0.5, doc: 'Share of tuning examples that are pre-training documents (language-model loss), replayed to keep what the base model knows (0 = off).' },
  tuneEvalExamples: { kind: 'int', min: 1, doc: 'Test records per task and language when a tuned model is evaluated (miniature world).' },
  scalingPairs: { kind: 'int[]', min: 1, doc: 'Translation-pair counts of the scaling series (notebook 02; four or more, so that a two-parameter law per language keeps a point to spare for leave-one-out).' },
  labSummedSeeds: { kind: 'int', min: 1, max: 100, doc: 'Notebook 05: seeds of the multilingual model trained for the summed steps of the bilingual runs (one such run costs one bilingual run per lab language).' },
  allocationBudget: { kind: 'int', min: 1, doc: 'Notebook 05: the budget C of translation pairs that each allocation method shares among the lab languages, each capped at its available pairs (the presets take worldTranslationPairs per language: the uniform split is then the multilingual model of Figure 3).' },
  allocationMethods: { kind: 'string[]', choices: ['uniform', 'optimal', 'proportional', 'unimax', 'temperature'], doc: 'Notebook 05: the allocation methods trained and compared (uniform and optimal are the paper\'s Table 3).' },
  representationSentences: { kind: 'int', min: 4, max: 5000, doc: 'Notebook 06: parallel sentences (the translation test pairs) whose layer-by-layer states are compared across languages.' },
  consistencyRecords: { kind: 'int', min: 2, max: 2000, doc: 'Notebook 06: test records per task answered in English and in the target language to compare the two answers (Table 4).' },
  workers: { kind: 'int', min: 1, max: 64, doc: 'Processes that train experiment runs side by side (one per core: the wasm backend uses one thread).' },
  gpuWorkers: { kind: 'int', min: 1, max: 16, doc: 'Processes that train runs side by side on the webgpu backend, in place of workers: they share one GPU, each with a device of its own (1 until one run alone has been timed on the GPU).' },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;

type ValueOf<S extends SettingSpec> = S['kind'] extends 'int' | 'number'
  ? number
  : S['kind'] extends 'boolean'
    ? boolean
    : S['kind'] extends 'string[]'
      ? string[]
      : S['kind'] extends 'int[]'
        ? number[]
        : string;

/** A fully resolved set of settings. */
export type Settings = { -readonly [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]> };

export const PRESET_NAMES = ['smoke', 'classroom', 'paper'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface Preset {
  name: PresetName;
  /** One line on what the preset is for. */
  purpose: string;
  settings: Settings;
}

const PRESETS: Record<PresetName, Preset> = {
  smoke: {
    name: 'smoke',
    purpose: 'CI: the smallest sizes that run every code path, in seconds per notebook.',
    settings: {
      seed: 1,
      seeds: 2,
      languages: ['zh', 'tr'],
      backend: 'auto',
      maxPairsPerLanguage: 500,
      instructionsPerLanguage: 50,
      modelFamily: 'llama',
      modelDim: 32,
      modelLayers: 1,
      modelHeads: 2,
      seqLen: 32,
      batchSize: 8,
      pretrainSteps: 20,
      pretrainLr: 2e-3,
      tuneSteps: 10,
      evalExamples: 20,
      bootstrapSamples: 100,
      worldPeople: 20,
      worldRelations: ['job', 'pet', 'food', 'instrument'],
      worldValuesPerRelation: 8,
      worldHeldOutShare: 0.25,
      worldCorpusSentences: 2000,
      worldTargetShare: 0.05,
      worldCodeSwitchShare: 0.3,
      worldCodeSwitchP: 0.3,
      worldParallelShare: 0,
      worldRepeatShare: 0,
      worldRecallShare: 0,
      worldTaskTrain: 50,
      worldTranslationPairs: 200,
      worldBpeVocab: 512,
      tuneSeqLen: 96,
      labLanguages: ['zh', 'tr'],
      labGridLanguages: ['zh', 'tr'],
      labRealRun: true,
      tuneLr: 5e-4,
      tuneBatchSize: 8,
      tuneBatching: 'packed',
      tuneReplayShare: 0,
      worldQaPeople: 2,
      worldQaAnswer: 'value',
      worldKnowledgeAnswer: 'sentence',
      tuneEvalExamples: 20,
      scalingPairs: [20, 50, 100, 150, 200],
      labSummedSeeds: 1,
      allocationBudget: 400,
      allocationMethods: ['uniform', 'optimal', 'proportional'],
      representationSentences: 24,
      consistencyRecords: 8,
      workers: 2,
      gpuWorkers: 1,
    },
  },
  classroom: {
    name: 'classroom',
    purpose: 'Default: every notebook end to end on a 2-core laptop, each within about 30 minutes (02 and 05 train; about an hour in all).',
    settings: {
      seed: 1,
      seeds: 3,
      languages: [...PAPER_LANGUAGES],
      backend: 'auto',
      maxPairsPerLanguage: 20000,
      instructionsPerLanguage: 1000,
      modelFamily: 'llama',
      modelDim: 128,
      modelLayers: 4,
      modelHeads: 4,
      seqLen: 128,
      batchSize: 32,
      pretrainSteps: 1100,
      pretrainLr: 2e-3,
      tuneSteps: 100,
      evalExamples: 200,
      bootstrapSamples: 1000,
      worldPeople: 100,
      worldRelations: ['job', 'pet', 'food', 'instrument'],
      worldValuesPerRelation: 20,
      worldHeldOutShare: 0.2,
      worldCorpusSentences: 100000,
      worldTargetShare: 0.04,
      worldCodeSwitchShare: 0.3,
      worldCodeSwitchP: 0.3,
      worldParallelShare: 0,
      worldRepeatShare: 0,
      worldRecallShare: 0,
      worldTaskTrain: 1000,
      worldTranslationPairs: 3000,
      worldBpeVocab: 1024,
      tuneSeqLen: 256,
      labLanguages: ['el', 'zh', 'hi'],
      labGridLanguages: ['el'],
      labRealRun: false,
      tuneLr: 1e-3,
      tuneBatchSize: 8,
      tuneBatching: 'packed',
      tuneReplayShare: 0,
      worldQaPeople: 2,
      worldQaAnswer: 'value',
      worldKnowledgeAnswer: 'sentence',
      tuneEvalExamples: 40,
      scalingPairs: [100, 300, 1000, 3000],
      labSummedSeeds: 1,
      allocationBudget: 9000,
      allocationMethods: ['uniform', 'optimal', 'proportional'],
      representationSentences: 200,
      consistencyRecords: 100,
      workers: 2,
      gpuWorkers: 1,
    },
  },
  paper: {
    name: 'paper',
    purpose: 'GPU and long runs: bigger models, more data, more seeds.',
    settings: {
      seed: 1,
      seeds: 5,
      languages: [...PAPER_LANGUAGES],
      backend: 'auto',
      maxPairsPerLanguage: 1000000,
      instructionsPerLanguage: 52000,
      modelFamily: 'llama',
      modelDim: 256,
      modelLayers: 6,
      modelHeads: 8,
      seqLen: 256,
      batchSize: 64,
      pretrainSteps: 20000,
      pretrainLr: 2e-3,
      tuneSteps: 3000,
      evalExamples: 1000,
      bootstrapSamples: 1000,
      worldPeople: 400,
      worldRelations: ['job', 'pet', 'food', 'instrument', 'city'],
      worldValuesPerRelation: 30,
      worldHeldOutShare: 0.2,
      worldCorpusSentences: 1000000,
      worldTargetShare: 0.04,
      worldCodeSwitchShare: 0.3,
      worldCodeSwitchP: 0.3,
      worldParallelShare: 0,
      worldRepeatShare: 0,
      worldRecallShare: 0,
      worldTaskTrain: 10000,
      worldTranslationPairs: 50000,
      worldBpeVocab: 2048,
      tuneSeqLen: 384,
      labLanguages: [...PAPER_LANGUAGES],
      labGridLanguages: [...PAPER_LANGUAGES],
      labRealRun: true,
      tuneLr: 5e-4,
      tuneBatchSize: 32,
      tuneBatching: 'packed',
      tuneReplayShare: 0,
      worldQaPeople: 2,
      worldQaAnswer: 'value',
      worldKnowledgeAnswer: 'sentence',
      tuneEvalExamples: 400,
      scalingPairs: [300, 1000, 3000, 10000, 30000, 50000],
      labSummedSeeds: 5,
      allocationBudget: 300000,
      allocationMethods: ['uniform', 'optimal', 'proportional'],
      representationSentences: 1000,
      consistencyRecords: 400,
      workers: 8,
      gpuWorkers: 1,
    },
  },
};

/** Error for a bad preset name, key or value; `field` names the offending setting. */
export class SettingsError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** The names of all presets with their purpose. */
export function listPresets(): Preset[] {
  return PRESET_NAMES.map((n) => clonePreset(PRESETS[n]));
}

function clonePreset(p: Preset): Preset {
  return { ...p, settings: structuredClone(p.settings) };
}

function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

function describe(spec: SettingSpec): string {
  const range =
    spec.min !== undefined || spec.max !== undefined ? ` in [${spec.min ?? '-inf'}, ${spec.max ?? 'inf'}]` : '';
  const choices = spec.choices ? ` (one of ${spec.choices.join(', ')})` : '';
  const items = spec.itemPattern ? ` of ${spec.itemPattern.doc}` : '';
  const distinct = spec.kind === 'string[]' ? ', without repeats' : '';
  return `${spec.kind}${items}${range}${choices}${distinct}`;
}

/**
 * Checks one value against its spec; returns it or throws a SettingsError naming `key`
 * and `source` (where the value came from, e.g. "--set" or "XALIGN_SET").
 */
export function checkSetting(key: string, value: unknown, source = 'overrides'): unknown {
  if (!Object.hasOwn(SETTINGS, key)) {
    throw new SettingsError(
      `${source}: unknown setting "${key}"; known settings: ${Object.keys(SETTINGS).join(', ')}`,
      key,
    );
  }
  const spec: SettingSpec = SETTINGS[key as SettingKey];
  const fail = (): never => {
    throw new SettingsError(`${source}: setting "${key}" must be ${describe(spec)}, got ${JSON.stringify(value)}`, key);
  };
  switch (spec.kind) {
    case 'int':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail();
      if (spec.kind === 'int' && !Number.isInteger(value)) fail();
      if (spec.min !== undefined && (value as number) < spec.min) fail();
      if (spec.max !== undefined && (value as number) > spec.max) fail();
      break;
    case 'boolean':
      if (typeof value !== 'boolean') fail();
      break;
    case 'string':
      if (typeof value !== 'string') fail();
      if (spec.choices && !spec.choices.includes(value as string)) fail();
      break;
    case 'string[]':
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v !== '')) fail();
      if (spec.choices && !(value as string[]).every((v) => spec.choices!.includes(v))) fail();
      if (spec.itemPattern && !(value as string[]).every((v) => spec.itemPattern!.regex.test(v))) fail();
      if (new Set(value as string[]).size !== (value as string[]).length) fail();
      break;
    case 'int[]':
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => Number.isInteger(v))) fail();
      if (spec.min !== undefined && (value as number[]).some((v) => v < spec.min!)) fail();
      if (spec.max !== undefined && (value as number[]).some((v) => v > spec.max!)) fail();
      break;
  }
  return value;
}

/** A number written in decimal (e.g. 7, -0.5, 1e-3); not hexadecimal, binary, blank or Infinity. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** The number `text` spells in decimal, or NaN: `Number()` alone would read "0x10" as 16 and "" as 0. */
export function parseDecimal(text: string): number {
  const t = text.trim();
  return DECIMAL.test(t) ? Number(t) : NaN;
}

/** Parses the text of one `key=value` override into the setting's type. */
export function parseSettingValue(key: string, text: string, source = '--set'): unknown {
  if (!Object.hasOwn(SETTINGS, key)) checkSetting(key, undefined, source); // throws "unknown setting"
  const spec: SettingSpec = SETTINGS[key as SettingKey];
  let value: unknown = text;
  if (spec.kind === 'int' || spec.kind === 'number') {
    value = parseDecimal(text);
    if (!Number.isFinite(value)) {
      throw new SettingsError(`${source}: setting "${key}" must be ${describe(spec)}, got "${text}"`, key);
    }
  }
  else if (spec.kind === 'boolean') value = text === 'true' ? true : text === 'false' ? false : text;
  else if (spec.kind === 'string[]') value = text.split(/[+\s]+/).filter((s) => s !== '');
  else if (spec.kind === 'int[]') {
    const parts = text.split(/[+\s]+/).filter((s) => s !== '');
    value = parts.map(parseDecimal);
    if (parts.length === 0 || (value as number[]).some((v) => !Number.isFinite(v))) {
      throw new SettingsError(`${source}: setting "${key}" must be ${describe(spec)}, got "${text}"`, key);
    }
  }
  return checkSetting(key, value, source);
}

/**
 * Parses "key=value,key=value" (the XALIGN_SET syntax; lists inside a value use "+",
 * e.g. `languages=zh+tr`) into typed overrides.
 */
export function parseOverrides(text: string, source = 'XALIGN_SET'): Partial<Settings> {
  const out: Record<string, unknown> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new SettingsError(`${source}: expected key=value, got "${part}"`);
    const key = part.slice(0, eq).trim();
    out[key] = parseSettingValue(key, part.slice(eq + 1).trim(), source);
  }
  return out as Partial<Settings>;
}

/** Resolved preset: the settings in force and where they came from. */
export interface ResolvedPreset {
  name: PresetName;
  settings: Settings;
  /** Keys whose value differs from the named preset. */
  overridden: SettingKey[];
  /** sha256 of the settings as canonical JSON, first 12 hex digits. */
  configHash: string;
}

/**
 * The preset `name` with `overrides` applied and every value checked.
 * @param name preset name; defaults to `PRESET` from the environment, else `classroom`.
 */
export function resolvePreset(
  name: string = process.env.PRESET || 'classroom',
  overrides: Record<string, unknown> = {},
  source = 'overrides',
): ResolvedPreset {
  if (!isPresetName(name)) {
    throw new SettingsError(`unknown preset "${name}"; expected one of ${PRESET_NAMES.join(', ')}`, 'preset');
  }
  const settings = structuredClone(PRESETS[name].settings) as Record<string, unknown>;
  const overridden: SettingKey[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    checkSetting(key, value, source);
    settings[key] = structuredClone(value);
    if (JSON.stringify(value) !== JSON.stringify((PRESETS[name].settings as Record<string, unknown>)[key])) {
      overridden.push(key as SettingKey);
    }
  }
  const canonical = JSON.stringify(Object.keys(settings).sort().map((k) => [k, settings[k]]));
  const configHash = createHash('sha256').update(canonical).digest('hex').slice(0, 12);
  return { name, settings: settings as Settings, overridden, configHash };
}

/**
 * The preset selected by the environment: `PRESET` (default classroom) with the
 * overrides in `XALIGN_SET`. This is what notebooks and the CLI use by default.
 */
export function presetFromEnv(env: NodeJS.ProcessEnv = process.env): ResolvedPreset {
  const overrides = env.XALIGN_SET ? parseOverrides(env.XALIGN_SET, 'XALIGN_SET') : {};
  return resolvePreset(env.PRESET || 'classroom', overrides, 'XALIGN_SET');
}
