/**
 * The registry of local datasets that dataset specifications (./spec.ts) resolve
 * against. Three kinds of files register themselves by name:
 * - the corpus `xalign data build` makes (data/cache/corpus/en-XX/{train,dev,test,udhr}.*):
 *   `translation_xalign_en-XX` (train), `..._dev`, `..._test`, and `udhr_en-XX`;
 * - OPUS Moses downloads placed in data/opus/ (`WikiMatrix.en-zh.en` + `.zh`,
 *   `News-Commentary.en-zh.*`): `translation_wikimatrix_en-zh`, `translation_newscommentary_en-zh`,
 *   and their concatenation `translation_ncwm_en-zh`, the paper's name (Table 1);
 * - Alpaca JSON files in data/alpaca/ (`alpaca_en.json`, `alpaca_zh.json`, ...): `alpaca_en`, ...
 * Serves the instruction mixtures, notebook 01 and `xalign data list`.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from './errors';
import { readParallel, type Pair } from './parallel';
import { readAlpaca, type AlpacaRecord } from './records';
import { parseDatasetSpec, sliceBounds, SpecError } from './spec';

export type Dataset =
  | { name: string; kind: 'translation'; src: string; tgt: string; files: string[][]; note: string }
  | { name: string; kind: 'instruction'; lang: string; files: string[]; note: string };

export interface ResolvedItem {
  dataset: Dataset;
  start?: number;
  end?: number;
}

/** The default data root: XALIGN_DATA_DIR or ./data. */
export function dataRoot(): string {
  return path.resolve(process.env.XALIGN_DATA_DIR ?? 'data');
}

/** The folder `xalign data build` writes the corpus to. */
export function corpusDir(root = dataRoot()): string {
  return path.join(root, 'cache', 'corpus');
}

const OPUS_CORPORA: Record<string, string> = { 'News-Commentary': 'newscommentary', WikiMatrix: 'wikimatrix' };

/** Scans `root` for local datasets; returns them by name. */
export function localRegistry(root = dataRoot()): Map<string, Dataset> {
  const reg = new Map<string, Dataset>();
  const corpus = corpusDir(root);
  if (fs.existsSync(corpus)) {
    for (const dir of fs.readdirSync(corpus).sort()) {
      const m = /^([a-z]{2,3})-([a-z]{2,3})$/.exec(dir);
      if (!m) continue;
      const [, s, t] = m as unknown as [string, string, string];
      for (const [split, name] of [
        ['train', `translation_xalign_${dir}`],
        ['dev', `translation_xalign_${dir}_dev`],
        ['test', `translation_xalign_${dir}_test`],
        ['udhr', `udhr_${dir}`],
      ] as const) {
        const a = path.join(corpus, dir, `${split}.${s}`);
        const b = path.join(corpus, dir, `${split}.${t}`);
        if (fs.existsSync(a) && fs.existsSync(b)) {
          reg.set(name, { name, kind: 'translation', src: s, tgt: t, files: [[a, b]], note: `xalign data build, ${split}` });
        }
      }
    }
  }
  const opus = path.join(root, 'opus');
  if (fs.existsSync(opus)) {
    const byPair = new Map<string, Map<string, string[]>>();
    for (const f of fs.readdirSync(opus).sort()) {
      const m = /^([A-Za-z-]+)\.([a-z]{2,3})-([a-z]{2,3})\.([a-z]{2,3})$/.exec(f);
      if (!m || !OPUS_CORPORA[m[1]!] || m[4] !== m[2]) continue;
      const [, corpusName, s, t] = m as unknown as [string, string, string, string];
      const a = path.join(opus, f);
      const b = path.join(opus, `${corpusName}.${s}-${t}.${t}`);
      if (!fs.existsSync(b)) continue;
      const short = OPUS_CORPORA[corpusName]!;
      const name = `translation_${short}_${s}-${t}`;
      reg.set(name, { name, kind: 'translation', src: s, tgt: t, files: [[a, b]], note: `OPUS ${corpusName}` });
      const key = `${s}-${t}`;
      if (!byPair.has(key)) byPair.set(key, new Map());
      byPair.get(key)!.set(short, [a, b]);
    }
    for (const [key, m] of byPair) {
      const [s, t] = key.split('-') as [string, string];
      const files = ['newscommentary', 'wikimatrix'].filter((c) => m.has(c)).map((c) => m.get(c)!);
      const name = `translation_ncwm_${key}`;
      reg.set(name, { name, kind: 'translation', src: s, tgt: t, files, note: 'OPUS News-Commentary + WikiMatrix' });
    }
  }
  const alpaca = path.join(root, 'alpaca');
  if (fs.existsSync(alpaca)) {
    for (const f of fs.readdirSync(alpaca).sort()) {
      const m = /^(alpaca_([a-z]{2,3}))\.jsonl?$/.exec(f);
      if (!m) continue;
      reg.set(m[1]!, { name: m[1]!, kind: 'instruction', lang: m[2]!, files: [path.join(alpaca, f)], note: 'Alpaca JSON' });
    }
  }
  return reg;
}

/** Resolves a spec against a registry; an unknown name points at it and lists the known ones. */
export function resolveDatasetSpec(spec: string, registry: Map<string, Dataset>): ResolvedItem[] {
  return parseDatasetSpec(spec).map((item) => {
    const dataset = registry.get(item.name);
    if (!dataset) {
      const known = [...registry.keys()];
      throw new SpecError(
        spec,
        item.offset,
        `unknown dataset "${item.name}" (known: ${known.length ? known.join(', ') : 'none; run `xalign data build` or add files under data/'})`,
      );
    }
    const r: ResolvedItem = { dataset };
    if (item.start !== undefined) r.start = item.start;
    if (item.end !== undefined) r.end = item.end;
    return r;
  });
}

/** Loads the pairs of a translation dataset (all its files, in order). */
export function loadTranslation(d: Dataset): Pair[] {
  if (d.kind !== 'translation') throw new DataError(`dataset ${d.name} is not a translation dataset`);
  return d.files.flatMap(([a, b]) => readParallel(a!, b!));
}

/** Loads the records of an instruction dataset. */
export function loadInstructions(d: Dataset): AlpacaRecord[] {
  if (d.kind !== 'instruction') throw new DataError(`dataset ${d.name} is not an instruction dataset`);
  return d.files.flatMap((f) => readAlpaca(f));
}

/** The slice of a resolved item applied to loaded rows. */
export function applySlice<T>(rows: T[], item: Pick<ResolvedItem, 'start' | 'end'>): T[] {
  const [s, e] = sliceBounds(item, rows.length);
  return rows.slice(s, e);
}
