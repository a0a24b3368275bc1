/**
 * Flag handling shared by `xalign score` and `xalign significance`: reading segment files
 * (the error names the file) and turning flags into metric options.
 */

import { DataError } from '../../data/errors';
import { BLEU_TOKENIZERS, type BleuTokenizerName, readSegments, readSegmentScores, type ScoreOptions, type SegmentScores } from '../../eval/metrics';
import { type Flags, UsageError } from '../command';
import { requireFile, utf8Error } from '../inputs';

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

/** Runs a reader of the file of `flag`; its DataError (e.g. invalid UTF-8) comes back naming the flag too. */
function readAs<T>(file: string, flag: string, read: (file: string) => T): T {
  requireFile(file, flag);
  try {
    return read(file);
  } catch (e) {
    if (e instanceof DataError) throw utf8Error(e, flag);
    throw e;
  }
}

/**
 * Reads one segment per line from `file`. A missing file is a usage error naming the
 * flag; invalid UTF-8 names the flag, file, line and byte offset; an empty file (no
 * segment at all) is refused: there is nothing to score.
 */
export function readSegmentFile(file: string, flag: string): string[] {
  const lines = readAs(file, flag, readSegments);
  if (lines.length === 0) throw new DataError(`${flag}: ${file}: the file is empty; expected one segment per line`, { file });
  return lines;
}

/** Per-segment scores computed elsewhere (`--scores FILE`), with the reader's checks and the flag named. */
export function readScoresFile(file: string, flag: string, metric: string, opts: { field?: string; expectLines?: number } = {}): SegmentScores {
  try {
    return readAs(file, flag, (f) => readSegmentScores(f, metric, opts));
  } catch (e) {
    if (e instanceof DataError || e instanceof UsageError) throw e; // these name the flag already
    throw new DataError(`${flag}: ${(e as Error).message}`, { file });
  }
}

/** Refuses flags that the command as called would silently ignore (e.g. --hyp for comet, --scores for bleu). */
export function refuseFlags(flags: Flags, what: string, names: readonly string[]): void {
  const given = names.filter((n) => flags[n] !== undefined);
  if (given.length > 0) throw new UsageError(`${what}: ${given.map((n) => `--${n}`).join(', ')} does not apply here`);
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
  const lang = flags.lang as string | undefined;
  if (lang !== undefined && !LANGUAGE_CODE.test(lang)) {
    throw new UsageError(`--lang must be a language code (ISO 639: 2-3 lower-case letters, e.g. zh), got "${lang}"`);
  }
  return {
    tokenize: tokenize as BleuTokenizerName | undefined,
    lang,
    rougeTokenizer: rt as ScoreOptions['rougeTokenizer'],
    style: style as ScoreOptions['style'],
    lowercase: flags.lowercase === true,
    normalization: flags.nfc === true ? 'nfc' : 'none',
  };
}

/** A language code as --lang takes it: 2-3 lower-case letters (ISO 639). */
const LANGUAGE_CODE = /^[a-z]{2,3}$/;

/**
 * Reference streams from a repeatable --ref flag (one stream per file). A reference file
 * whose every line is blank is refused: every hypothesis would be scored against nothing.
 */
export function referenceStreams(flags: Flags): string[][] {
  const refs = (flags.ref as string[] | undefined) ?? [];
  if (refs.length === 0) throw new UsageError('--ref FILE is required (repeat it for several references)');
  return refs.map((f) => {
    const lines = readSegmentFile(f, '--ref');
    if (lines.every((l) => l.trim() === '')) {
      throw new DataError(`--ref: ${f}: every one of its ${lines.length} lines is blank; there is nothing to score against`, { file: f });
    }
    return lines;
  });
}

/** Line-count check across files, naming them (the library's message names counts only). */
export function checkFiles(hypFile: string, hyps: readonly string[], refFiles: readonly string[], refs: readonly (readonly string[])[]): void {
  refs.forEach((r, k) => {
    if (r.length !== hyps.length) {
      throw new Error(`line counts differ: ${hypFile} has ${hyps.length} lines, ${refFiles[k]} has ${r.length}`);
    }
  });
}
