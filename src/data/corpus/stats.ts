/**
 * Statistics of the built corpus per language and split: pairs, mean lengths, length
 * ratio and scripts, read back from the files (streaming), plus the filter counts of the
 * manifest ({@link cleaningTotals}: what each cleaning step removed). Serves `xalign data
 * stats` and notebook 01 (beside the paper's Table 1).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusDir, dataRoot } from '../registry';
import { type ParallelSummary, summariseParallel } from '../summary';
import { type CorpusManifest, readCorpusManifest } from './build';

export type SplitName = 'train' | 'dev' | 'test' | 'udhr';
export const SPLITS: SplitName[] = ['train', 'dev', 'test', 'udhr'];

export interface CorpusStats {
  root: string;
  built: boolean;
  manifest?: CorpusManifest;
  languages: Record<string, Partial<Record<SplitName, ParallelSummary>>>;
}

/** Summaries of every split of every language present under the corpus folder. */
export function corpusStats(root = dataRoot()): CorpusStats {
  const dir = corpusDir(root);
  const manifest = readCorpusManifest(root);
  const languages: CorpusStats['languages'] = {};
  if (fs.existsSync(dir)) {
    for (const d of fs.readdirSync(dir).sort()) {
      const m = /^en-([a-z]{2,3})$/.exec(d);
      if (!m) continue;
      const lang = m[1]!;
      languages[lang] = {};
      for (const s of SPLITS) {
        const a = path.join(dir, d, `${s}.en`);
        const b = path.join(dir, d, `${s}.${lang}`);
        if (fs.existsSync(a) && fs.existsSync(b)) languages[lang]![s] = summariseParallel(a, b, { allowEmpty: true });
      }
    }
  }
  return manifest ? { root: dir, built: true, manifest, languages } : { root: dir, built: false, languages };
}

/** Raw and kept pairs of one source (a package family, e.g. LibreOffice help) of one language. */
export interface SourceCleaning {
  language: string;
  source: string;
  /** Debian packages the source was read from. */
  packages: number;
  /** Pairs extracted, before any cleaning step. */
  raw: number;
  /** Pairs left after the source's last cleaning step. */
  kept: number;
  /** kept / raw (0 for a source with no raw pairs). */
  keptShare: number;
}

/** What the corpus build's cleaning removed, summed from the manifest's before/after counts. */
export interface CleaningTotals {
  /** One row per language and source, in manifest order. */
  sources: SourceCleaning[];
  /**
   * Pairs each step removed, by step name then language: per-source steps summed over the
   * language's sources, then the removal of duplicates across sources (the manifest's
   * `merged` step). Steps are in the order they first occur.
   */
  removed: Record<string, Record<string, number>>;
  /** Raw pairs per language, summed over its sources. */
  raw: Record<string, number>;
}

/**
 * The cleaning totals of `languages` from a corpus manifest (languages it has no report
 * for are left out). Each source's first step count is its raw extraction; every later
 * step removed `before - after` pairs.
 */
export function cleaningTotals(manifest: CorpusManifest, languages: readonly string[]): CleaningTotals {
  const totals: CleaningTotals = { sources: [], removed: {}, raw: {} };
  const addRemoved = (step: string, lang: string, pairs: number) => {
    totals.removed[step] ??= {};
    totals.removed[step]![lang] = (totals.removed[step]![lang] ?? 0) + pairs;
  };
  for (const lang of languages) {
    const report = manifest.languages[lang];
    if (!report) continue;
    for (const s of report.sources) {
      const raw = s.steps[0]!.after;
      const kept = s.steps[s.steps.length - 1]!.after;
      totals.sources.push({ language: lang, source: s.source, packages: s.packages.length, raw, kept, keptShare: kept / Math.max(1, raw) });
      totals.raw[lang] = (totals.raw[lang] ?? 0) + raw;
      for (const step of s.steps.slice(1)) addRemoved(step.step, lang, step.before - step.after);
    }
    addRemoved(report.merged.step, lang, report.merged.before - report.merged.after);
  }
  return totals;
}

/** The share of `language`'s raw pairs that `step` removed (0 where the step removed none). */
export function removedShare(totals: CleaningTotals, step: string, language: string): number {
  return (totals.removed[step]?.[language] ?? 0) / Math.max(1, totals.raw[language] ?? 1);
}
