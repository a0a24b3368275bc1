/**
 * Tokenizers for the laboratory models: UTF-8 bytes (what LLaMA falls back to for
 * scripts its vocabulary lacks) and a byte-level BPE trained on a corpus.
 *
 * Both share one id layout: ids 0-255 are the raw bytes, then the special tokens
 * (`SPECIAL_TOKENS`, for the instruction prompt template and end of sequence), then,
 * for BPE, one id per learned merge. Special tokens written literally in a text
 * (e.g. "<|eos|>") encode to their id; they never arise from merges.
 *
 * Serves the model notebooks and instruction tuning (paper Section 3.1: the prompt
 * template T around instruction X and response Y).
 */

/** Special tokens, in id order after the 256 bytes. */
export const SPECIAL_TOKENS = ['<|pad|>', '<|eos|>', '<|instruction|>', '<|response|>'] as const;
export type SpecialToken = (typeof SPECIAL_TOKENS)[number];

export interface SpecialIds {
  pad: number;
  eos: number;
  instruction: number;
  response: number;
}

export interface TokenizerJson {
  type: 'bytes' | 'bpe';
  version: 1;
  specials: string[];
  /** BPE only: merges in rank order, each a pair of token ids. */
  merges?: [number, number][];
}

const SPECIAL_IDS: SpecialIds = { pad: 256, eos: 257, instruction: 258, response: 259 };
const FIRST_MERGE_ID = 256 + SPECIAL_TOKENS.length;
const SPECIAL_PATTERN = new RegExp(`(${SPECIAL_TOKENS.map((s) => s.replace(/[|]/g, '\\|')).join('|')})`);

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Common interface of the project's tokenizers. */
export interface Tokenizer {
  readonly type: 'bytes' | 'bpe';
  readonly vocabSize: number;
  readonly special: SpecialIds;
  /** Token ids of `text`; literal special tokens map to their ids. */
  encode(text: string): number[];
  /** Text of `ids`; special tokens are written literally unless `skipSpecial`. */
  decode(ids: readonly number[], options?: { skipSpecial?: boolean }): string;
  toJSON(): TokenizerJson;
}

/** Splits text around literal special tokens: [text, special, text, ...]. */
function splitSpecial(text: string): { text: string; special: number | null }[] {
  const out: { text: string; special: number | null }[] = [];
  for (const part of text.split(SPECIAL_PATTERN)) {
    if (part === '') continue;
    const k = (SPECIAL_TOKENS as readonly string[]).indexOf(part);
    out.push(k >= 0 ? { text: part, special: 256 + k } : { text: part, special: null });
  }
  return out;
}

/** UTF-8 bytes plus the special tokens: vocabulary 260. */
export class ByteTokenizer implements Tokenizer {
  readonly type = 'bytes' as const;
  readonly vocabSize = FIRST_MERGE_ID;
  readonly special = { ...SPECIAL_IDS };

  encode(text: string): number[] {
    const ids: number[] = [];
    for (const part of splitSpecial(text)) {
      if (part.special !== null) ids.push(part.special);
      else for (const b of encoder.encode(part.text)) ids.push(b);
    }
    return ids;
  }

  decode(ids: readonly number[], options: { skipSpecial?: boolean } = {}): string {
    return decodeWith(ids, (id, out) => {
      if (id < 0 || id >= this.vocabSize) throw new RangeError(`token id ${id} outside vocabulary of ${this.vocabSize}`);
      out.push(id);
    }, options.skipSpecial ?? false);
  }

  toJSON(): TokenizerJson {
    return { type: 'bytes', version: 1, specials: [...SPECIAL_TOKENS] };
  }
}

function decodeWith(ids: readonly number[], expand: (id: number, out: number[]) => void, skipSpecial: boolean): string {
  let text = '';
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length) text += decoder.decode(Uint8Array.from(bytes));
    bytes = [];
  };
  for (const id of ids) {
    if (id >= 256 && id < FIRST_MERGE_ID) {
      flush();
      if (!skipSpecial) text += SPECIAL_TOKENS[id - 256];
    } else expand(id, bytes);
  }
  flush();
  return text;
}

/** Pre-tokenisation: words with their leading space, runs of digits, punctuation. */
const WORD_PATTERN = / ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+/gu;

/**
 * Byte-level BPE (Sennrich et al. 2016 on bytes, as in GPT-2): merges learned from a
 * corpus until the vocabulary reaches the requested size.
 */
export class BpeTokenizer implements Tokenizer {
  readonly type = 'bpe' as const;
  readonly special = { ...SPECIAL_IDS };
  readonly merges: [number, number][];
  private readonly rank = new Map<string, number>();
  private readonly pieces: number[][] = [];
  private readonly cache = new Map<string, number[]>();

  constructor(merges: [number, number][]) {
    this.merges = merges.map(([a, b]) => [a, b]);
    for (let i = 0; i < 256; i++) this.pieces[i] = [i];
    for (let i = 0; i < SPECIAL_TOKENS.length; i++) this.pieces[256 + i] = [];
    this.merges.forEach(([a, b], i) => {
      const id = FIRST_MERGE_ID + i;
      const pa = this.pieces[a];
      const pb = this.pieces[b];
      if (!pa || !pb || (a >= 256 && a < FIRST_MERGE_ID) || (b >= 256 && b < FIRST_MERGE_ID)) {
        throw new Error(`BPE merge ${i} (${a}, ${b}) refers to an unknown or special token`);
      }
      this.pieces[id] = [...pa, ...pb];
      this.rank.set(`${a},${b}`, i);
    });
  }

  get vocabSize(): number {
    return FIRST_MERGE_ID + this.merges.length;
  }

  /**
   * Learns merges from `corpus` until `vocabSize` (>= 260) tokens exist or no pair
   * occurs twice. Deterministic: ties go to the smallest pair of ids.
   */
  static train(corpus: readonly string[], vocabSize: number): BpeTokenizer {
    if (!Number.isInteger(vocabSize) || vocabSize < FIRST_MERGE_ID) {
      throw new RangeError(`BPE vocabSize must be an integer >= ${FIRST_MERGE_ID}, got ${vocabSize}`);
    }
    const counts = new Map<string, number>();
    for (const doc of corpus) {
      for (const part of splitSpecial(doc)) {
        if (part.special !== null) continue;
        for (const w of part.text.match(WORD_PATTERN) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
      }
    }
    const words = [...counts.entries()].map(([w, n]) => ({ ids: [...encoder.encode(w)], n }));
    const merges: [number, number][] = [];
    while (FIRST_MERGE_ID + merges.length < vocabSize) {
      const pairs = new Map<number, number>();
      for (const { ids, n } of words) {
        for (let i = 0; i + 1 < ids.length; i++) {
          const key = ids[i]! * 65536 + ids[i + 1]!;
          pairs.set(key, (pairs.get(key) ?? 0) + n);
        }
      }
      let best = -1;
      let bestN = 1;
      for (const [key, n] of pairs) if (n > bestN || (n === bestN && best >= 0 && key < best)) [best, bestN] = [key, n];
      if (best < 0) break;
      const a = Math.floor(best / 65536);
      const b = best % 65536;
      const id = FIRST_MERGE_ID + merges.length;
      merges.push([a, b]);
      for (const w of words) w.ids = mergePair(w.ids, a, b, id);
    }
    return new BpeTokenizer(merges);
  }

  static fromJSON(json: TokenizerJson): BpeTokenizer {
    if (json.type !== 'bpe' || !Array.isArray(json.merges)) throw new Error('tokenizer JSON: expected type "bpe" with merges');
    return new BpeTokenizer(json.merges);
  }

  private encodeWord(word: string): number[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    let ids = [...encoder.encode(word)];
    for (;;) {
      let bestRank = Infinity;
      let at = -1;
      for (let i = 0; i + 1 < ids.length; i++) {
        const r = this.rank.get(`${ids[i]},${ids[i + 1]}`);
        if (r !== undefined && r < bestRank) [bestRank, at] = [r, i];
      }
      if (at < 0) break;
      const [a, b] = this.merges[bestRank]!;
      ids = mergePair(ids, a, b, FIRST_MERGE_ID + bestRank);
    }
    if (this.cache.size < 100000) this.cache.set(word, ids);
    return ids;
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    for (const part of splitSpecial(text)) {
      if (part.special !== null) ids.push(part.special);
      else for (const w of part.text.match(WORD_PATTERN) ?? []) ids.push(...this.encodeWord(w));
    }
    return ids;
  }

  decode(ids: readonly number[], options: { skipSpecial?: boolean } = {}): string {
    return decodeWith(ids, (id, out) => {
      const p = this.pieces[id];
      if (!p) throw new RangeError(`token id ${id} outside vocabulary of ${this.vocabSize}`);
      out.push(...p);
    }, options.skipSpecial ?? false);
  }

  toJSON(): TokenizerJson {
    return { type: 'bpe', version: 1, specials: [...SPECIAL_TOKENS], merges: this.merges.map(([a, b]) => [a, b]) };
  }
}

function mergePair(ids: number[], a: number, b: number, id: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
      out.push(id);
      i++;
    } else out.push(ids[i]!);
  }
  return out;
}

/** Rebuilds a tokenizer from its JSON; `source` names the file in errors. */
export function tokenizerFromJSON(json: unknown, source = 'tokenizer JSON'): Tokenizer {
  const j = json as Partial<TokenizerJson> | null;
  if (!j || typeof j !== 'object') throw new Error(`${source}: expected an object`);
  if (JSON.stringify(j.specials) !== JSON.stringify(SPECIAL_TOKENS)) {
    throw new Error(`${source}: field "specials" must be ${JSON.stringify(SPECIAL_TOKENS)}`);
  }
  if (j.type === 'bytes') return new ByteTokenizer();
  if (j.type === 'bpe') return BpeTokenizer.fromJSON(j as TokenizerJson);
  throw new Error(`${source}: field "type" must be "bytes" or "bpe", got ${JSON.stringify(j.type)}`);
}

/**
 * The instruction prompt template T(X) and the full training text T(X) Y <eos>, as ids.
 * Returns the prompt ids and the response ids (response ends with eos).
 */
export function encodeInstruction(tok: Tokenizer, instruction: string, response?: string): { prompt: number[]; response: number[] } {
  const prompt = [tok.special.instruction, ...tok.encode(instruction), tok.special.response];
  return { prompt, response: response === undefined ? [] : [...tok.encode(response), tok.special.eos] };
}
