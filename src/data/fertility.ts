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
