/**
 * The project's one source of randomness.
 *
 * Every stochastic step in xalign (data shuffling, sampling of instruction
 * paraphrases, bootstrap resampling, weight initialisation seeds, decoding) takes
 * an `Rng` that the caller created from a seed and passed down. `Math.random` is
 * never used: a test greps `src/` for it.
 *
 * The generator is xoshiro128** (Blackman and Vigna, 2018): 128 bits of state,
 * period 2^128 - 1, fast with 32-bit integer arithmetic, and good enough for
 * simulation (not for cryptography). The four state words are filled from the seed
 * with splitmix32 so that nearby seeds give unrelated streams.
 *
 * `fork(label)` derives an independent child stream from the parent's seed and a
 * label, without advancing the parent: adding a new consumer of randomness in one
 * part of a pipeline then does not shift the numbers every other part sees.
 * `state()` / `Rng.fromState()` save and restore the exact position (used by
 * resumable training runs).
 */

/** Serialisable position of an {@link Rng}: the seed it came from and its 4 state words. */
export interface RngState {
  seed: number;
  words: [number, number, number, number];
  /** A cached second normal deviate from the Box-Muller pair, or null. */
  spareNormal: number | null;
}

/** splitmix32 step: returns [output, next state]. */
function splitmix32(x: number): [number, number] {
  const next = (x + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [z >>> 0, next];
}

/** FNV-1a hash of a string, 32 bits: turns fork labels into numbers. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export class Rng {
  readonly seed: number;
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  /** @param seed any integer in [0, 2^32); other numbers are an error. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`Rng seed must be an integer in [0, 2^32), got ${seed}`);
    }
    this.seed = seed;
    let x = seed | 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [out, next] = splitmix32(x);
      words.push(out | 0);
      x = next;
    }
    [this.s0, this.s1, this.s2, this.s3] = words as [number, number, number, number];
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // all-zero state is a fixed point
  }

  /** Restores a generator at exactly the position `state` recorded. */
  static fromState(state: RngState): Rng {
    const rng = new Rng(state.seed);
    const w = state.words;
    if (!Array.isArray(w) || w.length !== 4 || !w.every((v) => Number.isInteger(v))) {
      throw new TypeError('RngState.words must be four integers');
    }
    [rng.s0, rng.s1, rng.s2, rng.s3] = [w[0] | 0, w[1] | 0, w[2] | 0, w[3] | 0];
    rng.spare = state.spareNormal;
    return rng;
  }

  /** The current position, as plain JSON. */
  state(): RngState {
    return { seed: this.seed, words: [this.s0, this.s1, this.s2, this.s3], spareNormal: this.spare };
  }

  /** An independent stream for one named consumer; the parent does not advance. */
  fork(label: string): Rng {
    const [mixed] = splitmix32((this.seed ^ hashLabel(label)) | 0);
    return new Rng(mixed);
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) {
      throw new RangeError(`Rng.int(n) needs an integer 1 <= n <= 2^32, got ${n}`);
    }
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Standard normal deviate (Box-Muller, the pair's second value cached). */
  normal(mean = 0, sd = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + sd * z;
    }
    let u = 0;
    while (u === 0) u = this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** A 32-bit seed for a library that takes its own (e.g. a tfjs initializer). */
  seedForChild(): number {
    return this.nextUint32();
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** One element chosen uniformly; an empty array is an error. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.choice of an empty array');
    return items[this.int(items.length)] as T;
  }

  /** Index drawn with probability proportional to non-negative `weights`. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) {
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weights must be finite and >= 0, got ${w}`);
      total += w;
    }
    if (total === 0) throw new RangeError('weights sum to zero');
    let r = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
}
