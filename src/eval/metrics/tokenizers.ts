/**
 * BLEU tokenizers, reimplemented from sacrebleu 2.x's descriptions so that scores match
 * it: `13a` (mteval-v13a, the default), `zh` (every Chinese character a token, the rest
 * as 13a), `char` (every character a token), `intl` (mteval-v14 international) and
 * `none` (whitespace only). Each maps a line to a string of space-separated tokens.
 *
 * Serves the translation scores of the evaluation notebooks (paper Section 4, Table 3).
 */

import { codePoints, pySplit, pyStrip } from './text';

export type BleuTokenizerName = '13a' | 'zh' | 'char' | 'intl' | 'none';
export const BLEU_TOKENIZERS: readonly BleuTokenizerName[] = ['13a', 'zh', 'char', 'intl', 'none'];

// The mteval-v13a punctuation pass (the common post-processing of `13a` and `zh`).
// 1. these ASCII symbols become separate tokens: { | } ~ [ \ ] ^ _ ` space ! " # $ % & ( ) * + : ; < = > ? @ /
const RE_SYMBOLS = /([{-~[-` -&(-+:-@/])/g;
// 2./3. a period or comma is split off unless it sits between digits
const RE_PERIOD_COMMA_AFTER_NONDIGIT = /([^0-9])([.,])/g;
const RE_PERIOD_COMMA_BEFORE_NONDIGIT = /([.,])([^0-9])/g;
// 4. a dash after a digit is split off
const RE_DASH_AFTER_DIGIT = /([0-9])(-)/g;

/** Python's `' '.join(s.split())`: collapse Unicode whitespace runs to one space, trim. */
function pyJoinSplit(s: string): string {
  return pySplit(s).join(' ');
}

function regexpPost(line: string): string {
  let s = line.replace(RE_SYMBOLS, ' $1 ');
  s = s.replace(RE_PERIOD_COMMA_AFTER_NONDIGIT, '$1 $2 ');
  s = s.replace(RE_PERIOD_COMMA_BEFORE_NONDIGIT, ' $1 $2');
  s = s.replace(RE_DASH_AFTER_DIGIT, '$1 $2 ');
  return pyJoinSplit(s);
}

/** mteval-v13a tokenization (sacrebleu's default `13a`). */
export function tokenize13a(line: string): string {
  let s = line.split('<skipped>').join('');
  s = s.split('-\n').join('');
  s = s.split('\n').join(' ');
  if (s.includes('&')) {
    s = s.split('&quot;').join('"');
    s = s.split('&amp;').join('&');
    s = s.split('&lt;').join('<');
    s = s.split('&gt;').join('>');
  }
  return regexpPost(` ${s} `);
}

/**
 * Code point ranges sacrebleu's `zh` tokenizer treats as Chinese characters. Two of its
 * ranges are written in Python as 5-hex-digit `\u` escapes, which Python reads as a
 * 4-digit escape plus a digit; compared as strings with one character they become
 * U+2001..U+2A6D and U+2F81..U+2FA1. They are kept that way here, because matching
 * sacrebleu means matching what it does (this is why, e.g., curly quotes and dashes
 * are split off as tokens by `zh`), not what it meant.
 */
const ZH_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x3400, 0x4db5],
  [0x4e00, 0x9fa5],
  [0x9fa6, 0x9fbb],
  [0xf900, 0xfa2d],
  [0xfa30, 0xfa6a],
  [0xfa70, 0xfad9],
  [0x2001, 0x2a6d], // written as u'\u20000'..u'\u2a6d6'
  [0x2f81, 0x2fa1], // written as u'\u2f800'..u'\u2fa1d'
  [0xff00, 0xffef],
  [0x2e80, 0x2eff],
  [0x3000, 0x303f],
  [0x31c0, 0x31ef],
  [0x2f00, 0x2fdf],
  [0x2ff0, 0x2fff],
  [0x3100, 0x312f],
  [0x31a0, 0x31bf],
  [0xfe10, 0xfe1f],
  [0xfe30, 0xfe4f],
  [0x2600, 0x26ff],
  [0x2700, 0x27bf],
  [0x3200, 0x32ff],
  [0x3300, 0x33ff],
];

/** True when sacrebleu's `zh` tokenizer makes code point `cp` a token of its own. */
export function isZhChar(cp: number): boolean {
  if (cp < 0x2001) return false;
  for (const [lo, hi] of ZH_RANGES) if (cp >= lo && cp <= hi) return true;
  return false;
}

/** sacrebleu's `zh` tokenizer: space around each Chinese character, then the 13a punctuation pass. */
export function tokenizeZh(line: string): string {
  const s = pyStrip(line);
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    out += isZhChar(cp) ? ` ${ch} ` : ch;
  }
  return regexpPost(out);
}

/** sacrebleu's `char` tokenizer: every code point separated by a space. */
export function tokenizeChar(line: string): string {
  return codePoints(line).join(' ');
}

// mteval-v14 international: punctuation split off unless between digits; symbols always.
const RE_INTL_1 = /(\P{N})(\p{P})/gu;
const RE_INTL_2 = /(\p{P})(\P{N})/gu;
const RE_INTL_3 = /(\p{S})/gu;

/** sacrebleu's `intl` tokenizer (mteval-v14 international). */
export function tokenizeIntl(line: string): string {
  let s = line.replace(RE_INTL_1, '$1 $2 ');
  s = s.replace(RE_INTL_2, ' $1 $2');
  s = s.replace(RE_INTL_3, ' $1 ');
  return pyJoinSplit(s);
}

/** No tokenization (BLEU then splits on whitespace only). */
export function tokenizeNone(line: string): string {
  return line;
}

/** Returns the tokenizer function for `name`; an unknown name is an error listing the known ones. */
export function bleuTokenizer(name: string): (line: string) => string {
  switch (name) {
    case '13a':
      return tokenize13a;
    case 'zh':
      return tokenizeZh;
    case 'char':
      return tokenizeChar;
    case 'intl':
      return tokenizeIntl;
    case 'none':
      return tokenizeNone;
    default:
      throw new RangeError(`unknown BLEU tokenizer "${name}"; expected one of ${BLEU_TOKENIZERS.join(', ')}`);
  }
}
