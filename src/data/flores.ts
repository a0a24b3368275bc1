/**
 * FLORES-style evaluation sets: one file per language and split, one sentence per line,
 * all languages aligned by line. FLORES-200 names files `dev/eng_Latn.dev` and
 * `devtest/zho_Hans.devtest`; FLORES-101 uses `dev/eng.dev`. The paper evaluates
 * translation on FLORES (Section 4.1, Table 3). FLORES itself is not available offline;
 * this reader is tested on files the tests write, and `writeFlores` makes such files
 * from any aligned set (e.g. the UDHR gold set).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from './errors';
import { readParallel, type Pair, writeParallel } from './parallel';

/** ISO 639-1 -> FLORES-200 and FLORES-101 codes for the paper's languages. */
export const FLORES_CODES: Record<string, { f200: string; f101: string }> = {
  en: { f200: 'eng_Latn', f101: 'eng' },
  ar: { f200: 'arb_Arab', f101: 'ara' },
  el: { f200: 'ell_Grek', f101: 'ell' },
  hi: { f200: 'hin_Deva', f101: 'hin' },
  tr: { f200: 'tur_Latn', f101: 'tur' },
  vi: { f200: 'vie_Latn', f101: 'vie' },
  zh: { f200: 'zho_Hans', f101: 'zho_simpl' },
};

export type FloresSplit = 'dev' | 'devtest';

/** The path of one language's file in a FLORES folder (FLORES-200 naming first, then 101). */
export function floresFile(dir: string, split: FloresSplit, lang: string): string {
  const c = FLORES_CODES[lang];
  const names = c ? [c.f200, c.f101] : [lang];
  for (const n of names) {
    const f = path.join(dir, split, `${n}.${split}`);
    if (fs.existsSync(f)) return f;
  }
  throw new DataError(
    `no FLORES ${split} file for "${lang}" in ${dir}: looked for ${names.map((n) => path.join(split, `${n}.${split}`)).join(', ')}`,
    { file: dir },
  );
}

/** Reads the aligned (source, target) pairs of one FLORES split. */
export function readFlores(dir: string, split: FloresSplit, src: string, tgt: string): Pair[] {
  return readParallel(floresFile(dir, split, src), floresFile(dir, split, tgt));
}

/** Writes a FLORES-200-style pair of files (`dir/split/eng_Latn.split`, ...). */
export function writeFlores(dir: string, split: FloresSplit, src: string, tgt: string, pairs: Pair[]): void {
  const code = (l: string) => FLORES_CODES[l]?.f200 ?? l;
  const tmpPrefix = path.join(dir, split, `.flores-${process.pid}`);
  const [a, b] = writeParallel(tmpPrefix, src, tgt, pairs);
  fs.renameSync(a, path.join(dir, split, `${code(src)}.${split}`));
  fs.renameSync(b, path.join(dir, split, `${code(tgt)}.${split}`));
}
