/**
 * The code-switching share of the base model's pre-training as an ablation (notebook
 * 07): what a base pre-trained with another `worldCodeSwitchShare` gives after notebook
 * 02's tuning grid. Each value needs its own base model (about 40 minutes of one core on
 * classroom), so the values come from three sources, each row saying which:
 *
 * - the design study (docs/world.md): shares 0 and 0.3, means over three seeds, kept as
 *   numbers in `data/recorded/ablations/design-study-code-switching.csv`;
 * - recorded grids (`data/recorded/ablations/code-switching-*`, written by
 *   test/bench/record-lab.sh with --grid-only): every result, read back and summarised
 *   here;
 * - the live grid of notebook 02 on the preset's committed base.
 *
 * Rows of different sources were made with different code (the design study's tuning
 * spec was older), so the table compares shares within a source, and across sources
 * only with that said.
 */

import * as fs from 'node:fs';
import { readHeaderCsv } from '../io/csv';
import * as path from 'node:path';
import { barFigure, type Figure } from '../viz/plot';
import { CONDITIONS } from './conditions';
import type { ExperimentResult } from './store';
import type { TuneSpec } from './spec';

/** One share, one source, one condition: the base model's probe and the tuned models' mean scores in the grid language. */
export interface CodeSwitchRow {
  share: number;
  source: string;
  lang: string;
  /** The base model: final pre-training loss, held-out facts completed from a prompt in `lang` (% strict / any language / ranked first), gamma. */
  baseFinalLoss: number | null;
  probeStrict: number | null;
  probeAny: number | null;
  probeRank: number | null;
  gamma: number | null;
  condition: string;
  seeds: number;
  /** Means over seeds, in `lang` unless named English. */
  translationChrf: number | null;
  knowledgeContains: number | null;
  knowledgeContainsAny: number | null;
  qaContains: number | null;
  summarizationRougeL: number | null;
  knowledgeEnContains: number | null;
}

const NUMERIC = ['share', 'baseFinalLoss', 'probeStrict', 'probeAny', 'probeRank', 'gamma', 'seeds', 'translationChrf', 'knowledgeContains', 'knowledgeContainsAny', 'qaContains', 'summarizationRougeL', 'knowledgeEnContains'] as const;
const COLUMNS = ['share', 'source', 'lang', 'baseFinalLoss', 'probeStrict', 'probeAny', 'probeRank', 'gamma', 'condition', 'seeds', 'translationChrf', 'knowledgeContains', 'knowledgeContainsAny', 'qaContains', 'summarizationRougeL', 'knowledgeEnContains'] as const;

/** Reads a CSV of {@link CodeSwitchRow}s (header = the field names; `#` lines are provenance; an empty cell is null); errors name the file, line and column. */
export function readCodeSwitchCsv(file: string): CodeSwitchRow[] {
  const { rows } = readHeaderCsv(file, { required: COLUMNS, missing: (absent) => `header lacks column(s) ${absent.join(', ')}` });
  return rows.map(({ where, cells }) => {
    const rec: Record<string, string | number | null> = {};
    for (const [h, v] of Object.entries(cells)) {
      if (!(NUMERIC as readonly string[]).includes(h)) rec[h] = v;
      else if (v === '') rec[h] = null;
      else if (Number.isFinite(Number(v))) rec[h] = Number(v);
      else throw new Error(`${where}: column "${h}" is not a number: "${v}"`);
    }
    if (rec.share === null || rec.seeds === null) throw new Error(`${where}: "share" and "seeds" need a value`);
    return rec as unknown as CodeSwitchRow;
  });
}

/** The base result a recorded folder's results.json holds (kind pretrain), or null. */
export function recordedBase(dir: string): ExperimentResult | null {
  const all = path.join(dir, 'results.json');
  if (!fs.existsSync(all)) return null;
  let listed: unknown;
  try {
    listed = JSON.parse(fs.readFileSync(all, 'utf8'));
  } catch (e) {
    throw new Error(`${all}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(listed)) throw new Error(`${all}: expected a list of results`);
  return (listed as ExperimentResult[]).find((r) => r.kind === 'pretrain') ?? null;
}

/**
 * Rows for one grid (notebook 02's three conditions, any number of seeds) in `lang`:
 * per condition, the mean over its seeds of each score; the base's probe from `base`
 * when given, its final loss from `finalLoss` or, for a base trained in a store (every
 * loss kept), its last loss.
 */
export function codeSwitchRows(
  results: readonly ExperimentResult[],
  o: { share: number; source: string; lang: string; base?: ExperimentResult | null; finalLoss?: number | null; gamma?: number | null },
): CodeSwitchRow[] {
  const probe = o.base?.metrics['fact-completion']?.[o.lang];
  const losses = o.base?.training.losses ?? [];
  const finalLoss = o.finalLoss ?? (o.base && losses.length === o.base.training.steps ? losses.at(-1)! : null);
  const mean = (rs: readonly ExperimentResult[], task: string, lang: string, metric: string): number | null => {
    const v = rs.map((r) => r.metrics[task]?.[lang]?.[metric]).filter((x): x is number => typeof x === 'number');
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  return CONDITIONS.flatMap((condition) => {
    // one result per seed (the first), so that the mean is over seeds
    const bySeed = new Map<number, ExperimentResult>();
    for (const r of results) if (r.kind === 'tune' && (r.spec as TuneSpec).lang === o.lang && (r.spec as TuneSpec).condition === condition && !bySeed.has((r.spec as TuneSpec).seed)) bySeed.set((r.spec as TuneSpec).seed, r);
    const rs = [...bySeed.values()];
    if (rs.length === 0) return [];
    return [{
      share: o.share, source: o.source, lang: o.lang,
      baseFinalLoss: finalLoss,
      probeStrict: probe?.contains ?? null, probeAny: probe?.containsAny ?? null, probeRank: probe?.rank ?? null,
      gamma: o.gamma ?? null, condition, seeds: rs.length,
      translationChrf: mean(rs, 'translation', o.lang, 'chrf'),
      knowledgeContains: mean(rs, 'knowledge', o.lang, 'contains'),
      knowledgeContainsAny: mean(rs, 'knowledge', o.lang, 'containsAny'),
      qaContains: mean(rs, 'qa', o.lang, 'contains'),
      summarizationRougeL: mean(rs, 'summarization', o.lang, 'rougeL'),
      knowledgeEnContains: mean(rs, 'knowledge', 'en', 'contains'),
    }];
  });
}

/** One score of the rows as grouped bars: a group per share and source, a bar per condition (none where the score was not measured). */
export function codeSwitchFigure(rows: readonly CodeSwitchRow[], score: keyof CodeSwitchRow, title: string): Figure {
  const groups = [...new Set(rows.map((r) => `${r.share} (${r.source})`))];
  return barFigure(groups, CONDITIONS.map((c) => ({
    name: c,
    y: groups.map((g) => {
      const r = rows.find((x) => x.condition === c && `${x.share} (${x.source})` === g);
      return r && typeof r[score] === 'number' ? (r[score] as number) : Number.NaN;
    }),
  })), { title, xTitle: 'code-switching share of pre-training (source)', yTitle: String(score) });
}

/** One line per share and source: the base's recall of held-out facts from an X prompt and the tuned models' knowledge in X (any language), per condition. */
export function codeSwitchSummary(rows: readonly CodeSwitchRow[]): string[] {
  const fmt = (v: number | null, d = 1) => (v === null ? 'not measured' : v.toFixed(d));
  const groups = [...new Map(rows.map((r) => [`${r.share}|${r.source}`, r])).values()];
  return groups.map((g) => {
    const rs = rows.filter((r) => r.share === g.share && r.source === g.source);
    return `share ${g.share} (${g.source}): the base completes ${fmt(g.probeAny, 0)}% of held-out ${g.lang} facts in any language (gamma ${fmt(g.gamma, 3)}); ` +
      `after tuning, knowledge in ${g.lang} (any language) ${rs.map((r) => `${r.condition} ${fmt(r.knowledgeContainsAny)}%`).join(', ')}`;
  });
}
