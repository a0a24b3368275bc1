/**
 * Instruction mixtures: the training sets of the paper's recipe (Section 3.1, bilingual
 * instruction-tuning; Section 3.3, multilingual). Two tasks are mixed:
 * - translation: an English sentence as input, its translation as output, wrapped in a
 *   translation instruction drawn from a pool of paraphrases, cycled deterministically
 *   (record k of a language uses paraphrase k mod pool size, so record 0 uses the plain one);
 * - instruction following: Alpaca-style records in English and in each target language.
 * Sizes per language come from a plain object (or a number for all); a later part of the
 * project computes them as allocations (Section 3.3, Table 3). The first N pairs are taken,
 * so that sizes nest as slices do. Records are shuffled with a seeded Rng and written as
 * Alpaca JSON ({id, instruction, input, output}) with a short manifest.
 */

import * as path from 'node:path';
import { writeJsonAtomic } from '../io/atomic';
import type { Allocation } from '../allocation/problem';
import { Rng } from '../random/rng';
import { DataError } from './errors';
import type { Pair } from './parallel';
import { type AlpacaRecord, writeAlpaca } from './records';
import { applySlice, type Dataset, loadInstructions, loadTranslation, resolveDatasetSpec } from './registry';

/** English names of the languages, as they appear in the instructions. */
export const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  ar: 'Arabic',
  el: 'Greek',
  hi: 'Hindi',
  tr: 'Turkish',
  vi: 'Vietnamese',
  zh: 'Chinese',
};

/**
 * The pool of translation instructions; `{source}` and `{target}` are language names.
 * The first is the plain instruction of the paper's public code; the others are this
 * project's own paraphrases.
 */
export const TRANSLATION_TEMPLATES: readonly string[] = [
  'Translate the following sentences from {source} to {target}.',
  'Render this {source} text in {target}.',
  'Give the {target} version of the {source} passage below.',
  'Please translate from {source} into {target}.',
  'What is the {target} translation of the following {source} text?',
  'Convert the {source} sentences below into fluent {target}.',
  'Here is some {source}. Write it in {target}.',
  'Provide a faithful {target} translation of this {source} input.',
];

/** Fills a template with the language names of `src` and `tgt`. */
export function translationInstruction(src: string, tgt: string, k = 0, templates = TRANSLATION_TEMPLATES): string {
  if (templates.length === 0) throw new DataError('the translation template pool is empty');
  const name = (l: string) => LANGUAGE_NAMES[l] ?? l;
  return templates[k % templates.length]!.replaceAll('{source}', name(src)).replaceAll('{target}', name(tgt));
}

/** Wraps pairs (English source -> target) as translation instruction records. */
export function translationRecords(
  pairs: readonly Pair[],
  src: string,
  tgt: string,
  templates = TRANSLATION_TEMPLATES,
  idPrefix = `translation_${src}-${tgt}`,
): AlpacaRecord[] {
  return pairs.map((p, k) => ({
    id: `${idPrefix}_${k}`,
    instruction: translationInstruction(src, tgt, k, templates),
    input: p.src,
    output: p.tgt,
  }));
}

/**
 * Sizes per language: one number for all, a plain object, or an allocation computed by
 * src/allocation (Section 3.3; its fractional X_i are rounded to whole records).
 */
export type Sizes = number | Record<string, number> | Pick<Allocation, 'languages' | 'x'>;

function isAllocation(s: Sizes): s is Pick<Allocation, 'languages' | 'x'> {
  return typeof s === 'object' && Array.isArray((s as Allocation).languages) && Array.isArray((s as Allocation).x);
}

export interface MixtureInput {
  /** Target languages (English is the source of every translation pair). */
  languages: string[];
  /** Translation pairs per target language, English source first. */
  translation: Record<string, readonly Pair[]>;
  /** Instruction-following records per language, including 'en' if English is wanted. */
  instructions: Record<string, readonly AlpacaRecord[]>;
  /** Translation pairs per target language (a number = the same for all). */
  translationSizes: Sizes;
  /** Instruction records per language; keys may include 'en'. */
  instructionSizes: Sizes;
  seed: number;
  templates?: readonly string[];
  /** When a language has fewer rows than asked: 'error' (default) or 'cap'. */
  onShort?: 'error' | 'cap';
  /** Names of the sources, for the manifest. */
  sources?: Record<string, string>;
}

export interface MixtureManifest {
  records: number;
  seed: number;
  template: string;
  templates: readonly string[];
  translation: Record<string, { asked: number; used: number }>;
  instructions: Record<string, { asked: number; used: number }>;
  sources: Record<string, string>;
}

function sizeFor(sizes: Sizes, lang: string): number {
  if (typeof sizes === 'number') return sizes;
  if (isAllocation(sizes)) {
    const i = sizes.languages.indexOf(lang);
    return i < 0 ? 0 : Math.round(sizes.x[i] ?? 0);
  }
  return (sizes as Record<string, number>)[lang] ?? 0;
}

function sizeLanguages(sizes: Sizes): string[] {
  if (isAllocation(sizes)) return [...sizes.languages];
  return Object.keys(sizes);
}

function take<T>(rows: readonly T[] | undefined, n: number, what: string, onShort: 'error' | 'cap'): T[] {
  const have = rows?.length ?? 0;
  if (!Number.isInteger(n) || n < 0) throw new DataError(`${what}: size must be a whole number >= 0, got ${n}`);
  if (n > have && onShort === 'error') {
    throw new DataError(`${what}: asked for ${n} records but only ${have} are available (use onShort: 'cap' to take all)`);
  }
  return (rows ?? []).slice(0, Math.min(n, have));
}

/** Builds a mixture: translation + instruction records, shuffled with `seed`. */
export function buildMixture(input: MixtureInput): { records: AlpacaRecord[]; manifest: MixtureManifest } {
  const onShort = input.onShort ?? 'error';
  const templates = input.templates ?? TRANSLATION_TEMPLATES;
  const records: AlpacaRecord[] = [];
  const manifest: MixtureManifest = {
    records: 0,
    seed: input.seed,
    template: 'alpaca',
    templates,
    translation: {},
    instructions: {},
    sources: input.sources ?? {},
  };
  for (const lang of input.languages) {
    const asked = sizeFor(input.translationSizes, lang);
    const pairs = take(input.translation[lang], asked, `translation en-${lang}`, onShort);
    records.push(...translationRecords(pairs, 'en', lang, templates));
    manifest.translation[lang] = { asked, used: pairs.length };
  }
  const instructionLangs =
    typeof input.instructionSizes === 'number'
      ? ['en', ...input.languages.filter((l) => l !== 'en')]
      : sizeLanguages(input.instructionSizes);
  for (const lang of instructionLangs) {
    const asked = sizeFor(input.instructionSizes, lang);
    const rows = take(input.instructions[lang], asked, `instructions ${lang}`, onShort);
    rows.forEach((r, k) => records.push({ id: r.id ?? `instruction_${lang}_${k}`, instruction: r.instruction, input: r.input, output: r.output }));
    manifest.instructions[lang] = { asked, used: rows.length };
  }
  new Rng(input.seed).fork('mixture').shuffle(records);
  manifest.records = records.length;
  return { records, manifest };
}

/** Writes a mixture as `NAME.json` (Alpaca JSON) and `NAME.manifest.json` in `dir`. */
export function writeMixture(dir: string, name: string, mix: { records: AlpacaRecord[]; manifest: MixtureManifest }): string {
  const file = path.join(dir, `${name}.json`);
  writeAlpaca(file, mix.records);
  writeJsonAtomic(path.join(dir, `${name}.manifest.json`), { ...mix.manifest, file: path.basename(file) });
  return file;
}

/**
 * Loads a dataset specification (`alpaca_en+translation_ncwm_en-zh[0:1000]`) as Alpaca
 * records, in spec order: translation datasets are wrapped with the template pool.
 */
export function recordsFromSpec(spec: string, registry: Map<string, Dataset>, templates = TRANSLATION_TEMPLATES): AlpacaRecord[] {
  const out: AlpacaRecord[] = [];
  for (const item of resolveDatasetSpec(spec, registry)) {
    const d = item.dataset;
    if (d.kind === 'translation') out.push(...translationRecords(applySlice(loadTranslation(d), item), d.src, d.tgt, templates, d.name));
    else out.push(...applySlice(loadInstructions(d), item));
  }
  return out;
}
