/**
 * The laboratory's translation-data scaling series (paper Section 3.2 and Figure 2, in
 * miniature): the paper's recipe (bilingual instructions plus X translation pairs) tuned
 * at several X with everything else fixed, including the number of steps, so a point
 * differs from its neighbour only in how many distinct pairs the steps draw from. The
 * translation pools are nested (src/world/tasks.ts): a larger X adds pairs.
 *
 * The points go to the CSV that `xalign fit --points` and notebook 03 read, with one
 * gamma per language measured from the base model (src/experiments/gamma.ts) and the
 * provenance in `#` comment lines.
 */

import type { Settings } from '../config/presets';
import type { ScalingPoint } from '../scaling/law';
import { POINT_COLUMNS } from '../scaling/points-csv';
import { targetPairs, tuneSpecFromSettings, type TuneSpec } from './spec';
import type { ExperimentResult } from './store';

/** One run per language and size, at `seed` (default: the preset's). */
export function scalingSpecs(s: Settings, langs: readonly string[], sizes: readonly number[] = s.scalingPairs, seed = s.seed): TuneSpec[] {
  return langs.flatMap((lang) => sizes.map((pairs) => tuneSpecFromSettings(s, { lang, condition: 'bilingual+translation', seed, translationPairs: pairs })));
}

/**
 * The points of one score: x = translation pairs, score = `metric` of `task` in the run's
 * language (mean over the runs at the same size, e.g. several seeds), gamma from `gammas`.
 */
export function scalingPoints(results: readonly ExperimentResult[], gammas: Readonly<Record<string, number>>, task: string, metric: string): ScalingPoint[] {
  const groups = new Map<string, { lang: string; x: number; scores: number[] }>();
  for (const r of results) {
    const spec = r.spec as TuneSpec;
    if (spec.kind !== 'tune' || spec.condition !== 'bilingual+translation') continue;
    const v = r.metrics[task]?.[spec.lang]?.[metric];
    if (v === undefined) throw new RangeError(`scaling points: result ${r.provenance.configHash} (${r.label}) has no ${task}/${spec.lang}/${metric}`);
    const x = targetPairs(spec);
    const key = `${spec.lang}\t${x}`;
    const g = groups.get(key) ?? { lang: spec.lang, x, scores: [] };
    g.scores.push(v);
    groups.set(key, g);
  }
  return [...groups.values()]
    .map(({ lang, x, scores }) => {
      const gamma = gammas[lang];
      if (gamma === undefined) throw new RangeError(`scaling points: no gamma for language "${lang}"`);
      return { language: lang, gamma, x, score: scores.reduce((a, b) => a + b, 0) / scores.length };
    })
    .sort((a, b) => a.language.localeCompare(b.language) || a.x - b.x);
}

/** The points as the CSV of `xalign fit --points`, with `comments` (provenance) as `#` lines first. */
export function pointsCsv(points: readonly ScalingPoint[], comments: readonly string[] = []): string {
  const lines = comments.map((c) => `# ${c.replace(/\n/g, ' ')}`);
  lines.push(POINT_COLUMNS.join(','));
  for (const p of points) lines.push([p.language, p.gamma.toFixed(6), p.x, p.score.toFixed(4)].join(','));
  return `${lines.join('\n')}\n`;
}
