/**
 * A target language of the miniature world written by a user in a small JSON file:
 * the fields of {@link LanguageSpec}, most of them optional. What is left out takes the
 * plainest value (subject-verb-object, adjectives before the noun, prepositions, no
 * articles, no inflection, words separated by spaces, ASCII punctuation, names and
 * numbers as in English, no loanwords), so a file can be as short as a code, a name and
 * a script. Every field is checked; a wrong or unknown one is an error that names the
 * file and the field. Serves `xalign explore --language FILE` and notebook 08.
 */

import * as fs from 'node:fs';
import { checkLanguageSpec, LANGUAGES, type LanguageSpec, type ScriptSpec } from './languages';

/** The top-level fields a language file may hold. */
const FIELDS = ['code', 'englishName', 'models', 'script', 'order', 'adjective', 'adposition', 'adjunctsBeforeVerb', 'articles', 'morphology', 'separator', 'punctuation', 'names', 'numbers', 'loanShare'] as const;
const SCRIPT_FIELDS = ['name', 'block', 'kind', 'onsets', 'nuclei', 'codas', 'codaRate', 'harmony', 'syllables', 'logograms', 'logogramsPerWord', 'digits', 'transliteration'] as const;
const MORPHOLOGY_FIELDS = ['kind', 'objectSuffix', 'caseSuffixes', 'definitePrefix', 'nameSuffixSeparator'] as const;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A language spec from the parsed JSON of a file: defaults filled in, then checked by
 * {@link checkLanguageSpec}. `where` names the source in every error (a file path).
 */
export function languageFromJson(json: unknown, where: string): LanguageSpec {
  const fail = (field: string, expected: string): never => {
    throw new RangeError(`${where}: field ${field} must be ${expected}`);
  };
  if (!isObject(json)) fail('(top level)', 'an object of language fields');
  const o = json as Json;
  const unknown = (obj: Json, allowed: readonly string[], prefix: string) => {
    for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw new RangeError(`${where}: unknown field ${prefix}${k}; known fields: ${allowed.join(', ')}`);
  };
  unknown(o, FIELDS, '');
  const str = (v: unknown, field: string) => (typeof v === 'string' && v.trim() !== '' ? v : fail(field, 'a non-empty string'));
  const oneOf = <T extends string>(v: unknown, field: string, choices: readonly T[], dflt: T): T =>
    v === undefined ? dflt : choices.includes(v as T) ? (v as T) : fail(field, choices.map((c) => JSON.stringify(c)).join(' or '));
  const code = str(o.code, 'code');
  if (LANGUAGES[code]) fail('code', `a code that is not a built-in language (${Object.keys(LANGUAGES).join(', ')}); "${code}" is one`);
  if (code === 'en' || code === 'all') fail('code', `a code other than "en" (English) and "all" (a run of every language); got "${code}"`);
  if (!isObject(o.script)) fail('script', 'an object (name, block, kind, and the letters or logograms)');
  const sj = o.script as Json;
  unknown(sj, SCRIPT_FIELDS, 'script.');
  const letters = (v: unknown, field: string) =>
    v === undefined ? undefined : Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? (v as string[]) : fail(field, 'a non-empty list of strings');
  const script: ScriptSpec = {
    name: str(sj.name, 'script.name'),
    block: str(sj.block, 'script.block'),
    kind: oneOf(sj.kind, 'script.kind', ['alphabet', 'logograms'] as const, 'alphabet'),
  };
  const onsets = letters(sj.onsets, 'script.onsets');
  const nuclei = letters(sj.nuclei, 'script.nuclei');
  const codas = letters(sj.codas, 'script.codas');
  if (onsets) script.onsets = onsets;
  if (nuclei) script.nuclei = nuclei;
  if (codas) script.codas = codas;
  if (sj.codaRate !== undefined) script.codaRate = typeof sj.codaRate === 'number' && sj.codaRate >= 0 && sj.codaRate <= 1 ? sj.codaRate : fail('script.codaRate', 'a number in [0, 1]');
  if (sj.harmony !== undefined) {
    const h = isObject(sj.harmony) ? sj.harmony : fail('script.harmony', 'an object with "back" and "front" vowel lists');
    script.harmony = { back: letters(h.back, 'script.harmony.back') ?? fail('script.harmony.back', 'a non-empty list of strings'), front: letters(h.front, 'script.harmony.front') ?? fail('script.harmony.front', 'a non-empty list of strings') };
  }
  if (sj.syllables !== undefined) {
    const s = sj.syllables;
    if (!(Array.isArray(s) && s.length === 2 && s.every((x) => Number.isInteger(x) && x >= 1 && x <= 6) && s[0] <= s[1])) fail('script.syllables', 'a pair [min, max] of integers in 1..6 with min <= max');
    script.syllables = s as [number, number];
  }
  if (sj.logograms !== undefined) {
    const l = isObject(sj.logograms) ? sj.logograms : fail('script.logograms', 'an object { from, count }');
    if (!(Number.isInteger(l.from) && (l.from as number) > 0x7f && Number.isInteger(l.count) && (l.from as number) + (l.count as number) <= 0x10ffff)) {
      fail('script.logograms', 'an object { from, count } of integers: a code point above ASCII and a count that stays inside Unicode');
    }
    script.logograms = { from: l.from as number, count: l.count as number };
  }
  if (sj.logogramsPerWord !== undefined) script.logogramsPerWord = Number.isInteger(sj.logogramsPerWord) ? (sj.logogramsPerWord as number) : fail('script.logogramsPerWord', 'an integer >= 1');
  if (sj.digits !== undefined) script.digits = str(sj.digits, 'script.digits');
  if (sj.transliteration !== undefined) {
    const t = isObject(sj.transliteration) ? sj.transliteration : fail('script.transliteration', 'an object from Latin letters to letters of the script');
    for (const [k, v] of Object.entries(t)) if (!/^[a-z]$/.test(k) || typeof v !== 'string' || [...v].length !== 1) fail(`script.transliteration.${k}`, 'one letter of the script for one Latin letter a-z');
    script.transliteration = t as Record<string, string>;
  }
  const mj = o.morphology === undefined ? {} : isObject(o.morphology) ? o.morphology : fail('morphology', 'an object');
  unknown(mj, MORPHOLOGY_FIELDS, 'morphology.');
  const affix = (v: unknown, field: string) =>
    typeof v === 'string' && v !== '' ? v : isObject(v) && typeof v.back === 'string' && typeof v.front === 'string' ? { back: v.back, front: v.front } : fail(field, 'a suffix, or { "back": ..., "front": ... } for vowel harmony');
  const morphology: LanguageSpec['morphology'] = { kind: oneOf(mj.kind, 'morphology.kind', ['isolating', 'agglutinative', 'fusional'] as const, 'isolating') };
  if (mj.objectSuffix !== undefined) morphology.objectSuffix = affix(mj.objectSuffix, 'morphology.objectSuffix');
  if (mj.caseSuffixes !== undefined) {
    const c = isObject(mj.caseSuffixes) ? mj.caseSuffixes : fail('morphology.caseSuffixes', 'an object from English prepositions to suffixes');
    morphology.caseSuffixes = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, affix(v, `morphology.caseSuffixes.${k}`)]));
  }
  if (mj.definitePrefix !== undefined) morphology.definitePrefix = str(mj.definitePrefix, 'morphology.definitePrefix');
  if (mj.nameSuffixSeparator !== undefined) morphology.nameSuffixSeparator = typeof mj.nameSuffixSeparator === 'string' ? mj.nameSuffixSeparator : fail('morphology.nameSuffixSeparator', 'a string');
  const aj = o.articles === undefined ? {} : isObject(o.articles) ? o.articles : fail('articles', 'an object { definite, indefinite }');
  unknown(aj, ['definite', 'indefinite'], 'articles.');
  const pj = o.punctuation === undefined ? {} : isObject(o.punctuation) ? o.punctuation : fail('punctuation', 'an object for ".", "?", ":" and ","');
  unknown(pj, ['.', '?', ':', ','], 'punctuation.');
  const punct = (k: '.' | '?' | ':' | ',') => (pj[k] === undefined ? k : str(pj[k], `punctuation.${k}`));
  const spec: LanguageSpec = {
    code,
    englishName: str(o.englishName, 'englishName'),
    // not the file's path: the spec is part of each run's hash, and the same language read from another path is the same run
    models: o.models === undefined ? `a language defined by the user (${code})` : str(o.models, 'models'),
    script,
    order: oneOf(o.order, 'order', ['SVO', 'SOV', 'VSO'] as const, 'SVO'),
    adjective: oneOf(o.adjective, 'adjective', ['before', 'after'] as const, 'before'),
    adposition: oneOf(o.adposition, 'adposition', ['preposition', 'postposition'] as const, 'preposition'),
    adjunctsBeforeVerb: o.adjunctsBeforeVerb === undefined ? false : typeof o.adjunctsBeforeVerb === 'boolean' ? o.adjunctsBeforeVerb : fail('adjunctsBeforeVerb', 'true or false'),
    articles: {
      definite: oneOf(aj.definite, 'articles.definite', ['word', 'prefix', 'drop'] as const, 'drop'),
      indefinite: oneOf(aj.indefinite, 'articles.indefinite', ['word', 'drop'] as const, 'drop'),
    },
    morphology,
    separator: oneOf(o.separator, 'separator', [' ', ''] as const, ' '),
    punctuation: { '.': punct('.'), '?': punct('?'), ':': punct(':'), ',': punct(',') },
    names: oneOf(o.names, 'names', ['shared', 'transliterated'] as const, 'shared'),
    numbers: oneOf(o.numbers, 'numbers', ['shared', 'native'] as const, 'shared'),
    loanShare: o.loanShare === undefined ? 0 : typeof o.loanShare === 'number' ? o.loanShare : fail('loanShare', 'a number in [0, 1]'),
  };
  try {
    return checkLanguageSpec(spec);
  } catch (e) {
    throw new RangeError(`${where}: ${(e as Error).message}`);
  }
}

/** Reads and checks a language file (JSON); errors name the file, and the line of a JSON syntax error. */
export function readLanguageFile(file: string): LanguageSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read the language file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const byLine = /line (\d+) column/.exec(msg);
    const byPos = /position (\d+)/.exec(msg);
    const line = byLine ? Number(byLine[1]) : byPos ? text.slice(0, Number(byPos[1])).split('\n').length : undefined;
    throw new SyntaxError(`${file}${line ? `:${line}` : ''}: not valid JSON (${(e as Error).message})`);
  }
  return languageFromJson(json, file);
}

/** Whether a `--language` value names a file (a path or a .json name) rather than a language code. */
export function isLanguageFile(value: string): boolean {
  return value.endsWith('.json') || value.includes('/') || fs.existsSync(value);
}
