/**
 * Notebook 07's runs and analysis (paper Section 4 and Table 5): ablations of the
 * recipe, each one change with three seeds and paired tests, and the recipe's main
 * comparison repeated on the second model family.
 *
 * - Table 5: the same target-side text of the translation pairs used as continued
 *   pre-training before English instruction tuning (`continued-pretraining`), against
 *   the same pairs as the translation task inside the recipe (`bilingual+translation`).
 *   That row changes two things (the recipe also has the X instructions), as the paper's
 *   comparison does; its control changes one: the pairs as a task with English
 *   instructions only (`translation-only`).
 *   Equal text: the X side of the same N pairs. Equal steps: the continued pre-training
 *   spends the first half of the run's `tuneSteps` on that text and the rest on the
 *   English instructions (src/experiments/spec.ts).
 * - Direction: the pairs X->English (`x-to-en`) and both ways (`both-directions`)
 *   against English->X (the recipe). Translation is tested English->X only, the
 *   direction `x-to-en` never trains, so its zero-shot scores are the fairer reading.
 * - What the pairs and the X instructions each bring: the pairs without the X
 *   instructions (`translation-only`) and the X instructions without the pairs
 *   (`bilingual`, notebook 02's) against the recipe.
 * - The second family: notebook 02's three conditions on the NeoX base model
 *   (`modelFamily=neox`; claims 1 and 2 again).
 *
 * The English-only, bilingual and recipe runs on the LLaMA base are notebook 02's and
 * come from the store.
 */

import type { Settings } from '../config/presets';
import { barFigure, type Figure } from '../viz/plot';
import { type ConditionComparison, compareConditions, type SeedSummary } from './compare';
import { ABLATION_CONDITIONS, type Condition, CONDITIONS } from './conditions';
import { labSeeds } from './plan';
import { CONDITION_PAIRS, HEADLINE_SCORES } from './report';
import { tuneSpecFromSettings, type TuneSpec } from './spec';
import type { ExperimentResult } from './store';
import { type ClaimVerdict, comparisonVerdict, tableFiveVerdict } from './verdict';

/** One ablation: a question, and the two conditions it compares (B - A is reported; B is the recipe or its variant). */
export interface Ablation {
  id: string;
  question: string;
  a: Condition;
  b: Condition;
}

export const ABLATIONS: readonly Ablation[] = [
  { id: 'continued-pretraining', question: 'Is the X side of the pairs worth more as a translation task than as continued pre-training? (Table 5)', a: 'continued-pretraining', b: 'bilingual+translation' },
  { id: 'continued-pretraining-control', question: 'The same question with English instructions only on both sides: the pairs as text before the tuning, or as a task in it?', a: 'continued-pretraining', b: 'translation-only' },
  { id: 'x-to-en', question: 'Does the direction matter: English->X (the recipe) against X->English?', a: 'x-to-en', b: 'bilingual+translation' },
  { id: 'both-directions', question: 'Does adding the other direction to the recipe help?', a: 'bilingual+translation', b: 'both-directions' },
  { id: 'translation-only', question: 'What do the X instructions add to the pairs? (the recipe against the pairs without them)', a: 'translation-only', b: 'bilingual+translation' },
  { id: 'bilingual', question: 'What do the pairs add to the X instructions? (the recipe against the X instructions without them)', a: 'bilingual', b: 'bilingual+translation' },
];

/** The scores each ablation compares, in X: translation, then the zero-shot tasks (Table 5's columns). */
export const ABLATION_SCORES: readonly (readonly [string, string])[] = [['translation', 'chrf'], ['qa', 'contains'], ['knowledge', 'contains'], ['summarization', 'rougeL']];

/** Notebook 07's runs on the preset's base: every condition of the grid and the ablations, every seed, in the first grid language. */
export function ablationSpecs(s: Settings): TuneSpec[] {
  const lang = s.labGridLanguages[0]!;
  return labSeeds(s).flatMap((seed) => [...CONDITIONS, ...ABLATION_CONDITIONS].map((condition) => tuneSpecFromSettings(s, { lang, condition, seed })));
}

/** The settings of the same preset on the other model family. */
export function otherFamily(s: Settings): Settings {
  return { ...s, modelFamily: s.modelFamily === 'neox' ? 'llama' : 'neox' };
}

/** Notebook 02's grid (three conditions, every seed, the first grid language) on `s`'s model family. */
export function familyGridSpecs(s: Settings): TuneSpec[] {
  const lang = s.labGridLanguages[0]!;
  return labSeeds(s).flatMap((seed) => CONDITIONS.map((condition) => tuneSpecFromSettings(s, { lang, condition, seed })));
}

export interface AblationAnalysis {
  lang: string;
  /** Per ablation, its comparisons on {@link ABLATION_SCORES}. */
  ablations: { ablation: Ablation; comparisons: ConditionComparison[] }[];
  verdicts: ClaimVerdict[];
}

/** The comparisons of every ablation in the first grid language, and claim 10's verdict. */
export function analyseAblations(results: readonly ExperimentResult[], o: { lang: string; samples: number; seed: number }): AblationAnalysis {
  const ablations = ABLATIONS.map((ablation) => ({
    ablation,
    comparisons: ABLATION_SCORES.map(([task, metric]) => compareConditions(results, { lang: o.lang, task, metric, a: ablation.a, b: ablation.b, samples: o.samples, seed: o.seed })),
  }));
  return { lang: o.lang, ablations, verdicts: [tableFiveVerdict(ablations[0]!.comparisons)] };
}

export interface FamilyAnalysis {
  family: string;
  lang: string;
  comparisons: ConditionComparison[];
  /** Claims 1 and 2 on this family, by notebook 02's rules. */
  verdicts: ClaimVerdict[];
}

/** Notebook 02's main comparison (its condition pairs and headline scores) on one family's grid, with claims 1 and 2. */
export function analyseFamily(grid: readonly ExperimentResult[], o: { family: string; lang: string; samples: number; seed: number }): FamilyAnalysis {
  const comparisons = HEADLINE_SCORES.flatMap(([task, metric]) => CONDITION_PAIRS.map(([a, b]) => compareConditions(grid, { lang: o.lang, task, metric, a, b, samples: o.samples, seed: o.seed })));
  const zs = (a: string, b: string) => comparisons.filter((c) => c.a === a && c.b === b && c.task !== 'translation');
  return { family: o.family, lang: o.lang, comparisons, verdicts: [comparisonVerdict(1, zs('en-only', 'bilingual+translation')), comparisonVerdict(2, zs('bilingual', 'bilingual+translation'))] };
}

/** One ablation as grouped bars: per score, the two conditions' means over seeds with their 95% intervals. */
export function ablationFigure(x: AblationAnalysis['ablations'][number], title: string): Figure {
  const half = (s: SeedSummary) => (s.upper === null ? 0 : s.upper - s.mean);
  const cats = x.comparisons.map((c) => `${c.task} ${c.metric}`);
  return barFigure(cats, [
    { name: x.ablation.a, y: x.comparisons.map((c) => c.seedsA.mean), errorY: x.comparisons.map((c) => half(c.seedsA)) },
    { name: x.ablation.b, y: x.comparisons.map((c) => c.seedsB.mean), errorY: x.comparisons.map((c) => half(c.seedsB)) },
  ], { title, xTitle: 'score (in the target language)', yTitle: 'mean over seeds' });
}
