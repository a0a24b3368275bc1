/**
 * Tokenizer fertility: how many tokens a tokenizer spends per character and per word of
 * a language. The paper's Limitations section notes that LLaMA's vocabulary covers
 * non-English scripts poorly and falls back to bytes; notebook 01 measures by how much,
 * with the real LLaMA SentencePiece vocabulary (npm `llama-tokenizer-js`) beside raw
 * UTF-8 bytes (the byte-level worst case).
 */

import { countTokens } from './summary';

export interface Fertility {
  texts: number;
  chars: number;
  words: number;
  tokens: number;
  /** Tokens that are byte-fallback pieces (<0x00>..<0xFF>). */
  byteTokens: number;
  utf8Bytes: number;
  tokensPerChar: number;
  tokensPerWord: number;
  bytesPerChar: number;
  byteFallbackShare: number;
}

interface LlamaTokenizerLike {
  encode(text: string, addBos?: boolean): number[];
}

let llama: LlamaTokenizerLike | undefined;

/** The LLaMA-1/2 tokenizer bundled by `llama-tokenizer-js` (loaded once). */
export function llamaTokenizer(): LlamaTokenizerLike {
  if (!llama) {
    const m = require('llama-tokenizer-js') as { default?: LlamaTokenizerLike } & LlamaTokenizerLike;
    llama = m.default ?? m;
  }
  return llama;
}

/** LLaMA ids 3..258 are the 256 byte-fallback pieces. */
export function isByteFallback(id: number): boolean {
  return id >= 3 && id <= 258;
}

/** Fertility of the LLaMA tokenizer and of UTF-8 bytes on `texts`. */
export function tokenizerFertility(texts: readonly string[]): Fertility {
  const tok = llamaTokenizer();
  let chars = 0;
  let words = 0;
  let tokens = 0;
  let byteTokens = 0;
  let utf8Bytes = 0;
  for (const t of texts) {
    chars += [...t].length;
    words += countTokens(t);
    utf8Bytes += Buffer.byteLength(t, 'utf8');
    const ids = tok.encode(t, false);
    tokens += ids.length;
    for (const id of ids) if (isByteFallback(id)) byteTokens++;
  }
  const c = Math.max(1, chars);
  const w = Math.max(1, words);
  return {
    texts: texts.length,
    chars,
    words,
    tokens,
    byteTokens,
    utf8Bytes,
    tokensPerChar: tokens / c,
    tokensPerWord: tokens / w,
    bytesPerChar: utf8Bytes / c,
    byteFallbackShare: tokens ? byteTokens / tokens : 0,
  };
}

/**
 * The paper's Table 1 (training data, pairs): WikiMatrix and News-Commentary per
 * language (News-Commentary has no el, tr, vi) and 52k Alpaca records per language.
 */
export const PAPER_TABLE1: Record<string, { wikimatrix: number; newsCommentary: number; alpaca: number }> = {
  ar: { wikimatrix: 999_800, newsCommentary: 97_400, alpaca: 52_000 },
  el: { wikimatrix: 620_800, newsCommentary: 0, alpaca: 52_000 },
  hi: { wikimatrix: 231_500, newsCommentary: 2_800, alpaca: 52_000 },
  tr: { wikimatrix: 477_700, newsCommentary: 0, alpaca: 52_000 },
  vi: { wikimatrix: 1_073_800, newsCommentary: 0, alpaca: 52_000 },
  zh: { wikimatrix: 786_500, newsCommentary: 126_000, alpaca: 52_000 },
};
