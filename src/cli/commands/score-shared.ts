/**
 * Flag handling shared by `xalign score` and `xalign significance`: reading segment files
 * (the error names the file) and turning flags into metric options.
 */

import { existsSync } from 'node:fs';
import { BLEU_TOKENIZERS, type BleuTokenizerName, readSegments, type ScoreOptions } from '../../eval/metrics';
import { type Flags, UsageError } from '../command';

export const METRIC_FLAG_OPTIONS = {
  tokenize: { type: 'string' },
  lang: { type: 'string' },
  'rouge-tokenizer': { type: 'string' },
  style: { type: 'string' },
  lowercase: { type: 'boolean', default: false },
  nfc: { type: 'boolean', default: false },
} as const;

export const METRIC_FLAG_HELP = `  --tokenize T          BLEU tokenizer: 13a (default), zh, char, intl, none
  --lang CODE           target language: zh picks BLEU's zh tokenizer; EM normalises per
                        language (en, es, de, vi, ar, hi, zh, ...); ROUGE uses the
                        multilingual tokenizer unless CODE is en
  --rouge-tokenizer T   english (rouge-score's) or multilingual
  --style S             EM normalisation: mlqa (default, per language) or squad
  --lowercase           lower-case first (BLEU, chrF)
  --nfc                 NFC-normalise every line first (default: no normalisation)`;

/** Reads one segment per line from `file`; a missing file is a usage error naming the flag. */
export function readSegmentFile(file: string, flag: string): string[] {
  if (!existsSync(file)) throw new UsageError(`${flag}: no such file: ${file}`);
  return readSegments(file);
}

/** The file named by a required string flag. */
export function requiredFile(flags: Flags, name: string): string {
  const v = flags[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} FILE is required`);
  return v;
}

/** Metric options from the shared flags; bad values are usage errors naming the flag. */
export function metricOptions(flags: Flags): ScoreOptions {
  const tokenize = flags.tokenize as string | undefined;
  if (tokenize !== undefined && !BLEU_TOKENIZERS.includes(tokenize as BleuTokenizerName)) {
    throw new UsageError(`--tokenize must be one of ${BLEU_TOKENIZERS.join(', ')}, got "${tokenize}"`);
  }
  const rt = flags['rouge-tokenizer'] as string | undefined;
  if (rt !== undefined && rt !== 'english' && rt !== 'multilingual') {
    throw new UsageError(`--rouge-tokenizer must be english or multilingual, got "${rt}"`);
  }
  const style = flags.style as string | undefined;
  if (style !== undefined && style !== 'mlqa' && style !== 'squad') throw new UsageError(`--style must be mlqa or squad, got "${style}"`);
  return {
    tokenize: tokenize as BleuTokenizerName | undefined,
    lang: flags.lang as string | undefined,
    rougeTokenizer: rt as ScoreOptions['rougeTokenizer'],
    style: style as ScoreOptions['style'],
    lowercase: flags.lowercase === true,
    normalization: flags.nfc === true ? 'nfc' : 'none',
  };
}

/** Reference streams from a repeatable --ref flag (one stream per file). */
export function referenceStreams(flags: Flags): string[][] {
  const refs = (flags.ref as string[] | undefined) ?? [];
  if (refs.length === 0) throw new UsageError('--ref FILE is required (repeat it for several references)');
  return refs.map((f) => readSegmentFile(f, '--ref'));
}

/** Line-count check across files, naming them (the library's message names counts only). */
export function checkFiles(hypFile: string, hyps: readonly string[], refFiles: readonly string[], refs: readonly (readonly string[])[]): void {
  refs.forEach((r, k) => {
    if (r.length !== hyps.length) {
      throw new Error(`line counts differ: ${hypFile} has ${hyps.length} lines, ${refFiles[k]} has ${r.length}`);
    }
  });
}
