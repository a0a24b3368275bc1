/**
 * Lexicon generation: each English word of the world maps to one deterministic
 * pseudo-word in a target language's script (seeded by the world seed and the language
 * code), or to itself when the language borrows it (`loanShare`, the similarity knob).
 *
 * The map is injective, and no word's inflected form (word + case/object suffix,
 * definite prefix + word) equals another word or another inflected form, so the
 * transduction can be read back (src/world/transduce.ts). 'a' and 'an' share one form.
 * Serves the transduction (the paper's machine translation, Section 3.1) and notebook 02.
 */

import { Rng } from '../random/rng';
import { ENGLISH_POS, type Pos } from './english';
import type { Affix, LanguageSpec } from './languages';

const CONTENT: ReadonlySet<Pos> = new Set(['noun', 'verb', 'adj']);
/** Words that the transduction never looks up (punctuation, the cloze gap, 'an' as an alias of 'a'). */
const NOT_IN_LEXICON = new Set(['.', '?', ',', ':', '___', 'an', 'does']);

export interface Lexicon {
  code: string;
  /** English word -> form in the language. */
  forward: Map<string, string>;
  /** Form -> English word. */
  inverse: Map<string, string>;
  /** Content words borrowed unchanged from English. */
  loans: Set<string>;
}

/** Both variants of an affix. */
export function affixVariants(a: Affix | undefined): string[] {
  if (a === undefined) return [];
  return typeof a === 'string' ? [a] : [a.back, a.front];
}

/** Every suffix the language can attach. */
export function allSuffixes(spec: LanguageSpec): string[] {
  const out = new Set<string>(affixVariants(spec.morphology.objectSuffix));
  for (const a of Object.values(spec.morphology.caseSuffixes ?? {})) for (const v of affixVariants(a)) out.add(v);
  return [...out].filter((s) => s !== '');
}

/** FNV-1a of a string with a seed: ranks words for borrowing. */
function hash(seed: number, s: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** English words of the world in a fixed order (the lexicon's input). */
export function lexiconWords(): string[] {
  return Object.keys(ENGLISH_POS)
    .filter((w) => !NOT_IN_LEXICON.has(w))
    .sort();
}

/**
 * The content words a language borrows at `loanShare`: the first share of content
 * words ranked by a hash of (seed, word). Nested: a larger share borrows a superset.
 */
export function borrowedWords(seed: number, loanShare: number): Set<string> {
  const content = lexiconWords().filter((w) => CONTENT.has(ENGLISH_POS[w]!));
  content.sort((a, b) => hash(seed, a) - hash(seed, b) || (a < b ? -1 : 1));
  return new Set(content.slice(0, Math.round(loanShare * content.length)));
}

function drawWord(spec: LanguageSpec, rng: Rng, functionWord: boolean): string {
  const s = spec.script;
  if (s.kind === 'logograms') {
    let w = '';
    for (let i = 0; i < (s.logogramsPerWord ?? 2); i++) w += String.fromCodePoint(s.logograms!.from + rng.int(s.logograms!.count));
    return w;
  }
  const [lo, hi] = s.syllables ?? [2, 3];
  const n = functionWord ? 1 : lo + rng.int(hi - lo + 1);
  const nuclei = s.harmony ? (rng.float() < 0.5 ? s.harmony.back : s.harmony.front) : s.nuclei!;
  let w = '';
  for (let i = 0; i < n; i++) {
    w += rng.choice(s.onsets!) + rng.choice(nuclei);
    if (s.codas && rng.float() < (s.codaRate ?? 0.3)) w += rng.choice(s.codas);
  }
  return w;
}

/** Builds the lexicon of `spec` for the world seed `seed`. */
export function buildLexicon(spec: LanguageSpec, seed: number): Lexicon {
  const rng = new Rng(seed).fork(`world:lexicon:${spec.code}`);
  const loans = borrowedWords(seed, spec.loanShare);
  const suffixes = allSuffixes(spec);
  const prefix = spec.articles.definite === 'prefix' ? spec.morphology.definitePrefix ?? '' : '';
  const reserved = new Set<string>();
  const forward = new Map<string, string>();
  const inverse = new Map<string, string>();
  const reserve = (form: string) => {
    for (const f of inflections(form)) reserved.add(f);
  };
  const inflections = (form: string): string[] => {
    const base = [form, ...suffixes.map((x) => form + x)];
    return prefix ? [...base, ...base.map((b) => prefix + b)] : base;
  };
  const free = (form: string) => inflections(form).every((f) => !reserved.has(f));
  const words = lexiconWords();
  for (const w of words) {
    if (!loans.has(w)) continue;
    forward.set(w, w);
    inverse.set(w, w);
    reserve(w);
  }
  for (const w of words) {
    if (loans.has(w)) continue;
    const functionWord = !CONTENT.has(ENGLISH_POS[w]!);
    let form = '';
    for (let attempt = 0; ; attempt++) {
      if (attempt > 5000) throw new Error(`world: lexicon of "${spec.code}" ran out of distinct forms at "${w}" (script too small)`);
      form = drawWord(spec, rng, functionWord && attempt < 200);
      if (ENGLISH_POS[form] === undefined && free(form)) break;
    }
    forward.set(w, form);
    inverse.set(form, w);
    reserve(form);
  }
  forward.set('an', forward.get('a')!);
  return { code: spec.code, forward, inverse, loans };
}
