/**
 * The real corpus in the laboratory: English-X pairs that `xalign data build` writes
 * (line-aligned train and test splits per language), as translation records for tuning
 * the recipe on real text and for scoring real translation.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCorpusManifest } from '../data/corpus/build';
import { readParallel } from '../data/parallel';
import { corpusDir } from '../data/registry';
import { languageSpec } from '../world/languages';
import { type WorldExample, worldTranslationInstruction } from '../world/tasks';

/** English-X pairs of the real corpus as translation records; `n` at most, each side at most `maxChars`. */
export function realTranslationRecords(lang: string, split: 'train' | 'test', n: number, maxChars = 200): WorldExample[] {
  const dir = path.join(corpusDir(), `en-${lang}`);
  const [src, tgt] = [path.join(dir, `${split}.en`), path.join(dir, `${split}.${lang}`)];
  if (!fs.existsSync(src) || !fs.existsSync(tgt)) {
    throw new Error(`real translation data: ${src} or ${tgt} is missing; build the corpus with \`npx xalign data build\` (npm run setup does)`);
  }
  const name = languageSpec(lang).englishName;
  // short pairs only: the laboratory's BPE was fitted to the world's text, so real text costs several tokens per word
  return readParallel(src, tgt)
    .filter((p) => p.src.length <= maxChars && p.tgt.length <= maxChars)
    .slice(0, n)
    .map((p, i) => ({ id: `real-${lang}-${split}-${i}`, instruction: worldTranslationInstruction(name, split === 'test' ? 0 : i), input: p.src, output: p.tgt, task: 'translation' as const, lang, split, answer: p.tgt }));
}

/** The fingerprint of the real corpus (its manifest), or an error saying how to build it. */
export function realCorpusFingerprint(): string {
  const m = readCorpusManifest();
  if (!m) throw new Error(`real translation data: no corpus manifest in ${corpusDir()}; run \`npx xalign data build\``);
  return m.fingerprint;
}
