/**
 * Tuning conditions as values. A condition says what a tuning run trains on for a target
 * language X: the languages of its instructions, the tasks, the English->X translation
 * pairs per language, and the training objective. A run's spec records the condition
 * resolved for its language ({@link ConditionData}), so the code that builds the data
 * reads values and never branches on a condition's name; a new condition (one model for
 * several languages, an ablation) is a new entry here, not a new branch elsewhere.
 *
 * The paper's three conditions of its bilingual study (Section 3.1, Table 2) are
 * {@link CONDITIONS}, in the order the tables show them; `multilingual` is its one model
 * for every language (Section 5.2, m-LLaMA), whose spec names the language
 * {@link ALL_LANGUAGES}.
 */

import type { TaskId } from '../world/tasks';

/** The instruction tasks every condition of the paired grid tunes on (translation comes as pairs). */
export const INSTRUCTION_TASKS: readonly TaskId[] = ['alpaca', 'qa', 'knowledge', 'summarization'];

/** The language of a run that covers every preset language (a condition of scope `all`). */
export const ALL_LANGUAGES = 'all';

/**
 * What a condition is resolved for: the run's target language (or {@link ALL_LANGUAGES}),
 * the preset's languages, and the translation pairs: one count for every translated
 * language, or a count per language (an allocation of a pair budget; 0 = none).
 */
export interface ConditionContext {
  lang: string;
  languages: readonly string[];
  pairs: number | Readonly<Record<string, number>>;
}

/** The pairs a context gives language `lang` (0 when a per-language count leaves it out). */
export function pairsFor(pairs: ConditionContext['pairs'], lang: string): number {
  return typeof pairs === 'number' ? pairs : (pairs[lang] ?? 0);
}

/** English->X pairs for each of `langs` that gets any. */
function translationFor(langs: readonly string[], pairs: ConditionContext['pairs']): Record<string, number> {
  return Object.fromEntries(langs.map((l) => [l, pairsFor(pairs, l)] as const).filter(([, n]) => n > 0));
}

/** What one condition trains on and is tested in, resolved for a run (recorded in its tune spec). */
export interface ConditionData {
  /** Languages whose instruction records (every task of `tasks`) are in the pool, English first. */
  instructionLangs: string[];
  tasks: TaskId[];
  /** English->X translation pairs per language X (none: {}). */
  translation: Record<string, number>;
  /** X->English pairs per language X: the same pairs as `translation` would take, the other way round (absent: none). */
  reverse?: Record<string, number>;
  /**
   * Continued pre-training before the tuning (absent: none): the X side of the first N
   * translation pairs of each language, as plain language-model text.
   */
  continued?: Record<string, number>;
  /** The languages the tuned model is tested in, English last. */
  evalLangs: string[];
}

/** A condition: its name, its scope, and how it resolves for a run. */
export interface ConditionDef {
  readonly id: string;
  /** `one`: a run per target language; `all`: one run for every preset language (its language is {@link ALL_LANGUAGES}). */
  readonly scope: 'one' | 'all';
  /** Whether the condition has translation pairs (its pairs are a setting, e.g. of the scaling series). */
  readonly translates: boolean;
  /** The condition for a run, with its translation pairs per translated language. */
  resolve(c: ConditionContext): ConditionData;
}

const tasks = () => [...INSTRUCTION_TASKS];

/** Every known condition by id. */
export const CONDITION_DEFS = {
  // English instructions only: the baseline, whose X ability comes from pre-training alone
  'en-only': {
    id: 'en-only',
    scope: 'one',
    translates: false,
    resolve: ({ lang }: ConditionContext) => ({ instructionLangs: ['en'], tasks: tasks(), translation: {}, evalLangs: [lang, 'en'] }),
  },
  // English instructions and the same tasks in X
  bilingual: {
    id: 'bilingual',
    scope: 'one',
    translates: false,
    resolve: ({ lang }: ConditionContext) => ({ instructionLangs: ['en', lang], tasks: tasks(), translation: {}, evalLangs: [lang, 'en'] }),
  },
  // bilingual instructions plus English->X translation pairs: the paper's recipe
  'bilingual+translation': {
    id: 'bilingual+translation',
    scope: 'one',
    translates: true,
    resolve: ({ lang, pairs }: ConditionContext) => ({ instructionLangs: ['en', lang], tasks: tasks(), translation: translationFor([lang], pairs), evalLangs: [lang, 'en'] }),
  },
  // ablations (notebook 07), each one change from the recipe or from a paper's alternative:
  // the pairs without the X instructions
  'translation-only': {
    id: 'translation-only',
    scope: 'one',
    translates: true,
    resolve: ({ lang, pairs }: ConditionContext) => ({ instructionLangs: ['en'], tasks: tasks(), translation: translationFor([lang], pairs), evalLangs: [lang, 'en'] }),
  },
  // the recipe with the pairs the other way round, X->English
  'x-to-en': {
    id: 'x-to-en',
    scope: 'one',
    translates: true,
    resolve: ({ lang, pairs }: ConditionContext) => ({ instructionLangs: ['en', lang], tasks: tasks(), translation: {}, reverse: translationFor([lang], pairs), evalLangs: [lang, 'en'] }),
  },
  // the recipe with every pair in both directions
  'both-directions': {
    id: 'both-directions',
    scope: 'one',
    translates: true,
    resolve: ({ lang, pairs }: ConditionContext) => ({ instructionLangs: ['en', lang], tasks: tasks(), translation: translationFor([lang], pairs), reverse: translationFor([lang], pairs), evalLangs: [lang, 'en'] }),
  },
  // the pairs' X side as language-model text first (continued pre-training), then English
  // instructions (Table 5's alternative to the translation task)
  'continued-pretraining': {
    id: 'continued-pretraining',
    scope: 'one',
    translates: true,
    resolve: ({ lang, pairs }: ConditionContext) => ({ instructionLangs: ['en'], tasks: tasks(), translation: {}, continued: translationFor([lang], pairs), evalLangs: [lang, 'en'] }),
  },
  // the recipe for every preset language at once (m-LLaMA)
  multilingual: {
    id: 'multilingual',
    scope: 'all',
    translates: true,
    resolve: ({ languages, pairs }: ConditionContext) => ({
      instructionLangs: ['en', ...languages], tasks: tasks(), translation: translationFor(languages, pairs), evalLangs: [...languages, 'en'],
    }),
  },
} as const satisfies Record<string, ConditionDef>;

export type Condition = keyof typeof CONDITION_DEFS;

/** The paired grid's conditions (notebook 02, Table 2), baseline first. */
export const CONDITIONS = ['en-only', 'bilingual', 'bilingual+translation'] as const satisfies readonly Condition[];

/** Notebook 07's conditions, each one change from the recipe (`bilingual` is the translation task removed). */
export const ABLATION_CONDITIONS = ['continued-pretraining', 'translation-only', 'x-to-en', 'both-directions'] as const satisfies readonly Condition[];

export function isCondition(s: string): s is Condition {
  return Object.hasOwn(CONDITION_DEFS, s);
}

/** The definition of a condition, or an error listing the known ones. */
export function conditionDef(id: string): ConditionDef {
  if (!isCondition(id)) throw new RangeError(`unknown condition "${id}"; known: ${Object.keys(CONDITION_DEFS).join(', ')}`);
  return CONDITION_DEFS[id];
}
