/**
 * Statistics of the built corpus per language and split: pairs, mean lengths, length
 * ratio and scripts, read back from the files (streaming), plus the filter counts of the
 * manifest. Serves `xalign data stats` and notebook 01 (beside the paper's Table 1).
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
