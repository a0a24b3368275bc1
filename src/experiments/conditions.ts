/**
 * Tuning conditions as values. A condition says what a tuning run trains on for a target
 * language X: the languages of its instructions, the tasks, the English->X translation
 * pairs per language, and the training objective. A run's spec records the condition
 * resolved for its language ({@link ConditionData}), so the code that builds the data
 * reads values and never branches on a condition's name; a new condition (one model for
 * several languages, an ablation) is a new entry here, not a new branch elsewhere.
 *
 * The paper's three conditions of its bilingual study (Section 3.1, Table 2) are
 * {@link CONDITIONS}, in the order the tables show them.
 */

import type { TaskId } from '../world/tasks';

/** The instruction tasks every condition of the paired grid tunes on (translation comes as pairs). */
export const INSTRUCTION_TASKS: readonly TaskId[] = ['alpaca', 'qa', 'knowledge', 'summarization'];

/** What one condition trains on, resolved for one target language (recorded in a tune spec's `data`). */
export interface ConditionData {
  /** Languages whose instruction records (every task of `tasks`) are in the pool, English first. */
  instructionLangs: string[];
  tasks: TaskId[];
  /** English->X translation pairs per language X (none: {}). */
  translation: Record<string, number>;
}

/** A condition: its name, what it stands for, and how it resolves for a target language. */
export interface ConditionDef {
  readonly id: string;
  /** A short label for tables and figures. */
  readonly label: string;
  /** What the condition tests, in a sentence. */
  readonly description: string;
  /** The condition for target language `lang`, with `pairs` translation pairs where it has any. */
  resolve(lang: string, pairs: number): ConditionData;
  /** Whether the condition has translation pairs (its pairs are a setting, e.g. of the scaling series). */
  readonly translates: boolean;
}

const tasks = () => [...INSTRUCTION_TASKS];

/** Every known condition by id. */
export const CONDITION_DEFS = {
  'en-only': {
    id: 'en-only',
    label: 'English-only',
    description: 'English instructions only: the baseline, whose X ability comes from pre-training alone.',
    translates: false,
    resolve: () => ({ instructionLangs: ['en'], tasks: tasks(), translation: {} }),
  },
  bilingual: {
    id: 'bilingual',
    label: 'bilingual',
    description: 'English instructions and the same tasks in X.',
    translates: false,
    resolve: (lang: string) => ({ instructionLangs: ['en', lang], tasks: tasks(), translation: {} }),
  },
  'bilingual+translation': {
    id: 'bilingual+translation',
    label: 'bilingual + translation (the recipe)',
    description: 'Bilingual instructions plus English->X translation pairs: the paper\'s recipe.',
    translates: true,
    resolve: (lang: string, pairs: number) => ({ instructionLangs: ['en', lang], tasks: tasks(), translation: { [lang]: pairs } }),
  },
} as const satisfies Record<string, ConditionDef>;

export type Condition = keyof typeof CONDITION_DEFS;

/** The paired grid's conditions (notebook 02, Table 2), baseline first. */
export const CONDITIONS = ['en-only', 'bilingual', 'bilingual+translation'] as const satisfies readonly Condition[];

export function isCondition(s: string): s is Condition {
  return Object.hasOwn(CONDITION_DEFS, s);
}

/** The definition of a condition, or an error listing the known ones. */
export function conditionDef(id: string): ConditionDef {
  if (!isCondition(id)) throw new RangeError(`unknown condition "${id}"; known: ${Object.keys(CONDITION_DEFS).join(', ')}`);
  return CONDITION_DEFS[id];
}
