/**
 * Checks shared by the subcommands on what a user hands them: numeric flags, the
 * preset flags, and input files. Each refusal names the option (and for a file, the
 * file, line and byte offset), so that bad input ends in a clear message and a non-zero
 * exit, never in a number computed from it.
 */

import * as fs from 'node:fs';
import { LANGUAGE_CODE, parseDecimal } from '../config/presets';
import { DataError, locate } from '../data/errors';
import { forEachLine } from '../data/lines';
import type { PresetFlags } from '../session';
import { type Flags, UsageError } from './command';

/** Bounds of a numeric flag; `integer` asks for a whole number. */
export interface NumberRange {
  min?: number;
  max?: number;
  /** True when `min` itself is not allowed (a time-out must be > 0). */
  minExclusive?: boolean;
  integer?: boolean;
}

/** "an integer >= 1", "a number > 0", "an integer in [0, 4294967295]". */
function describeRange(r: NumberRange): string {
  const kind = r.integer ? 'an integer' : 'a number';
  if (r.min !== undefined && r.max !== undefined && !r.minExclusive) return `${kind} in [${r.min}, ${r.max}]`;
  const parts = [
    ...(r.min !== undefined ? [`${r.minExclusive ? '>' : '>='} ${r.min}`] : []),
    ...(r.max !== undefined ? [`<= ${r.max}`] : []),
  ];
  return parts.length ? `${kind} ${parts.join(' and ')}` : kind;
}

/**
 * The value of numeric flag `--name` (undefined when absent), written in decimal and
 * within `range`; anything else is a UsageError naming the flag, e.g.
 * `generate: --max-tokens must be an integer >= 1, got "-3"`.
 */
export function numberFlag(flags: Flags, name: string, range: NumberRange, command?: string): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = typeof v === 'string' ? parseDecimal(v) : NaN;
  const ok =
    Number.isFinite(n) &&
    (!range.integer || Number.isInteger(n)) &&
    (range.min === undefined || (range.minExclusive ? n > range.min : n >= range.min)) &&
    (range.max === undefined || n <= range.max);
  if (!ok) {
    const flag = name.length === 1 ? `-${name}` : `--${name}`;
    throw new UsageError(`${command ? `${command}: ` : ''}${flag} must be ${describeRange(range)}, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** Seeds of the project's Rng: whole numbers in [0, 2^32). */
export const SEED_RANGE: NumberRange = { integer: true, min: 0, max: 0xffffffff };

/** The preset flags of a command (`--preset`, repeatable `--set`) for {@link presetFromFlags}. */
export function presetFlags(flags: Flags): PresetFlags {
  const preset = typeof flags.preset === 'string' ? flags.preset : undefined;
  const set = Array.isArray(flags.set) ? flags.set : typeof flags.set === 'string' ? [flags.set] : undefined;
  return { ...(preset !== undefined ? { preset } : {}), ...(set !== undefined ? { set } : {}) };
}

/** A file named by `flag` must exist and be a file; else a UsageError naming both. */
export function requireFile(file: string, flag: string): void {
  if (!fs.existsSync(file)) throw new UsageError(`${flag}: no such file: ${file}`);
  if (!fs.statSync(file).isFile()) throw new UsageError(`${flag}: not a file: ${file}`);
}

/**
 * Refuses a file that is not valid UTF-8, with the data readers' own check (the
 * streaming LineReader of src/data/lines.ts): the DataError names the flag, the file,
 * the line and the byte offset of the first bad byte.
 */
export function requireUtf8(file: string, flag: string): void {
  try {
    forEachLine(file, () => {});
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    throw utf8Error(e, flag);
  }
}

/**
 * A reader's DataError about `file`, told as an input of `flag`: for invalid UTF-8,
 * "--hyp: FILE, line 3, byte offset 17: invalid UTF-8; re-encode the file as UTF-8".
 */
export function utf8Error(e: DataError, flag: string): DataError {
  if (e.where.byteOffset === undefined) return new DataError(`${flag}: ${e.message}`, e.where);
  return new DataError(`${flag}: ${locate(e.where)}: invalid UTF-8; re-encode the file as UTF-8`, e.where);
}

/**
 * Checks that the file of `flag` exists, is UTF-8, is not empty and parses as JSON
 * (for commands whose library reader would otherwise report a bare JSON.parse message
 * without the file's name). Returns the parsed value.
 */
export function readJsonInput(file: string, flag: string): unknown {
  requireFile(file, flag);
  requireUtf8(file, flag);
  const text = fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '');
  if (text.trim() === '') throw new DataError(`${flag}: ${file}: the file is empty; expected JSON`, { file });
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /at position (\d+)/.exec(message);
    const position = at ? Number(at[1]) : /end of JSON input/.test(message) ? text.trimEnd().length : undefined;
    const line = position !== undefined ? text.slice(0, position).split('\n').length : undefined;
    const where = line !== undefined ? `, line ${line}` : '';
    throw new DataError(`${flag}: ${file}${where}: not valid JSON (${message})`, { file, ...(line !== undefined ? { line } : {}) });
  }
}

/**
 * `--pairs N` (every translated language) or `--pairs zh=300,tr=0` (a count per
 * language, e.g. an allocation of a budget for the multilingual condition).
 */
export function pairsFlag(flags: Flags, command: string): number | Record<string, number> | undefined {
  const v = flags.pairs;
  if (typeof v !== 'string' || !v.includes('=')) return numberFlag(flags, 'pairs', { integer: true, min: 1 }, command);
  const out: Record<string, number> = {};
  for (const part of v.split(',')) {
    const [lang = '', n = ''] = part.trim().split('=');
    if (!LANGUAGE_CODE.regex.test(lang) || !/^\d+$/.test(n)) throw new UsageError(`${command}: --pairs must be a positive integer or LANG=N,LANG=N (N an integer >= 0), got ${JSON.stringify(part)} in ${JSON.stringify(v)}`);
    if (lang in out) throw new UsageError(`${command}: --pairs names ${lang} twice`);
    out[lang] = Number(n);
  }
  return out;
}
