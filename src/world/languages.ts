/**
 * Target languages of the miniature world, as DATA: one plain {@link LanguageSpec} per
 * language says how it differs from English (script, word order, morphology, what it
 * shares with English). Six are modelled on the paper's languages (ar, el, hi, tr, vi,
 * zh; Section 4.1); a user defines a seventh by writing another object of this type and
 * passing it to `buildTransducer` (src/world/transduce.ts). `checkLanguageSpec` says
 * what is wrong with one, field by field.
 * Serves notebook 02 and docs/world.md (which tabulates these parameters).
 */

/** A suffix, or two variants chosen by the stem's last vowel (vowel harmony, Turkish-like). */
export type Affix = string | { back: string; front: string };

export interface ScriptSpec {
  /** Name of the real script and its Unicode block, for people (docs, describe). */
  name: string;
  block: string;
  /** 'alphabet': words are syllables onset+nucleus(+coda); 'logograms': each word is `logogramsPerWord` characters of a code-point range. */
  kind: 'alphabet' | 'logograms';
  onsets?: readonly string[];
  nuclei?: readonly string[];
  /** Optional syllable-final consonants (drawn with probability `codaRate`). */
  codas?: readonly string[];
  codaRate?: number;
  /** Vowel-harmony classes: a word draws all its nuclei from one class (overrides `nuclei`). */
  harmony?: { back: readonly string[]; front: readonly string[] };
  /** Syllables per content word [min, max]; function words have one. */
  syllables?: [number, number];
  logograms?: { from: number; count: number };
  logogramsPerWord?: number;
  /** The script's own digits 0-9, used when `numbers` is 'native'. */
  digits?: string;
  /** Latin letter -> script letters for names when `names` is 'transliterated' (single, distinct characters). */
  transliteration?: Readonly<Record<string, string>>;
}

export interface LanguageSpec {
  /** Code used in file names and settings (the real language's ISO 639-1 code for the six). */
  code: string;
  /** Name of the language in English instructions ("Translate ... to Greek"). */
  englishName: string;
  /** What real language it is modelled on, and which of its properties are kept. */
  models: string;
  script: ScriptSpec;
  /** Order of subject, verb and complements. */
  order: 'SVO' | 'SOV' | 'VSO';
  /** Attributive adjectives before or after the noun. */
  adjective: 'before' | 'after';
  /** Adposition words before (prepositions) or after (postpositions) their noun phrase. */
  adposition: 'preposition' | 'postposition';
  /** Prepositional phrases go before the verb (Chinese-like "Tavo at home keeps a cat"). */
  adjunctsBeforeVerb: boolean;
  /** 'the' and 'a': a word of their own, a prefix on the noun (and agreeing adjectives), or dropped. */
  articles: { definite: 'word' | 'prefix' | 'drop'; indefinite: 'word' | 'drop' };
  morphology: {
    kind: 'isolating' | 'agglutinative' | 'fusional';
    /** Suffix of a direct object's head (accusative). */
    objectSuffix?: Affix;
    /** English prepositions realised as case suffixes on the head instead of words. */
    caseSuffixes?: Readonly<Record<string, Affix>>;
    /** Prefix marking definiteness when articles.definite is 'prefix'. */
    definitePrefix?: string;
    /** Between a name and a suffix (Turkish writes Mirel'de); unset: names take no suffix. */
    nameSuffixSeparator?: string;
  };
  /** Between words: ' ', or '' for a script written without spaces (a space is kept between two Latin/digit words). */
  separator: ' ' | '';
  punctuation: { '.': string; '?': string; ':': string; ',': string };
  /** Names written as in English (shared tokens) or transliterated into the script. */
  names: 'shared' | 'transliterated';
  /** Numbers in ASCII digits (shared) or the script's digits. */
  numbers: 'shared' | 'native';
  /**
   * THE SIMILARITY KNOB's lexical part: the share in [0, 1] of content words (nouns,
   * verbs, adjectives) borrowed from English unchanged. The borrowed set grows
   * monotonically with the share (words ranked by a seeded hash), so raising it only
   * adds shared tokens. See src/world/similarity.ts.
   */
  loanShare: number;
}

const GREEK_TRANSLIT: Record<string, string> = {
  a: 'α', b: 'β', d: 'δ', e: 'ε', f: 'φ', g: 'γ', h: 'χ', i: 'ι', j: 'ψ', k: 'κ', l: 'λ', m: 'μ', n: 'ν', o: 'ο',
  p: 'π', r: 'ρ', s: 'σ', t: 'τ', u: 'υ', v: 'ω', z: 'ζ',
};
const ARABIC_TRANSLIT: Record<string, string> = {
  a: 'ا', b: 'ب', d: 'د', e: 'ى', f: 'ف', g: 'غ', h: 'ه', i: 'ي', j: 'ج', k: 'ك', l: 'ل', m: 'م', n: 'ن', o: 'ؤ',
  p: 'پ', r: 'ر', s: 'س', t: 'ت', u: 'و', v: 'ڤ', z: 'ز',
};
const DEVANAGARI_TRANSLIT: Record<string, string> = {
  a: 'अ', b: 'ब', d: 'द', e: 'ए', f: 'फ', g: 'ग', h: 'ह', i: 'इ', j: 'ज', k: 'क', l: 'ल', m: 'म', n: 'न', o: 'ओ',
  p: 'प', r: 'र', s: 'स', t: 'त', u: 'उ', v: 'व', z: 'ज़',
};

/** The six languages of the paper, in miniature. */
export const LANGUAGES: Readonly<Record<string, LanguageSpec>> = {
  ar: {
    code: 'ar',
    englishName: 'Arabic',
    models: 'Arabic: own right-to-left script (abjad, short vowels unwritten), verb-subject-object order, adjectives after the noun, definite article as a prefix that adjectives agree with, no indefinite article',
    script: {
      name: 'Arabic', block: 'U+0600-U+06FF', kind: 'alphabet',
      onsets: ['ب', 'ت', 'ث', 'ج', 'ح', 'خ', 'د', 'ذ', 'ر', 'ز', 'س', 'ش', 'ص', 'ض', 'ط', 'ع', 'غ', 'ف', 'ق', 'ك', 'م', 'ن', 'ه'],
      nuclei: ['', '', 'ا', 'و', 'ي'],
      syllables: [2, 3],
      digits: '٠١٢٣٤٥٦٧٨٩',
      transliteration: ARABIC_TRANSLIT,
    },
    order: 'VSO', adjective: 'after', adposition: 'preposition', adjunctsBeforeVerb: false,
    articles: { definite: 'prefix', indefinite: 'drop' },
    morphology: { kind: 'fusional', definitePrefix: 'ال' },
    separator: ' ',
    punctuation: { '.': '.', '?': '؟', ':': ':', ',': '،' },
    names: 'shared', numbers: 'shared', loanShare: 0.02,
  },
  el: {
    code: 'el',
    englishName: 'Greek',
    models: 'Greek: own alphabet with accented vowels, subject-verb-object, adjectives before the noun, definite and indefinite articles as words, prepositions, an accusative ending on objects, ";" as the question mark',
    script: {
      name: 'Greek', block: 'U+0370-U+03FF', kind: 'alphabet',
      onsets: ['β', 'γ', 'δ', 'ζ', 'θ', 'κ', 'λ', 'μ', 'ν', 'ξ', 'π', 'ρ', 'σ', 'τ', 'φ', 'χ'],
      nuclei: ['α', 'ε', 'η', 'ι', 'ο', 'υ', 'ω', 'ά', 'έ', 'ί', 'ό'],
      syllables: [2, 3],
      transliteration: GREEK_TRANSLIT,
    },
    order: 'SVO', adjective: 'before', adposition: 'preposition', adjunctsBeforeVerb: false,
    articles: { definite: 'word', indefinite: 'word' },
    morphology: { kind: 'fusional', objectSuffix: 'ν' },
    separator: ' ',
    punctuation: { '.': '.', '?': ';', ':': ':', ',': ',' },
    names: 'shared', numbers: 'shared', loanShare: 0.05,
  },
  hi: {
    code: 'hi',
    englishName: 'Hindi',
    models: 'Hindi: Devanagari (consonants with vowel signs), subject-object-verb, postpositions after the noun phrase, no articles, an object-marking postposition, the danda "।" as full stop, many English loanwords',
    script: {
      name: 'Devanagari', block: 'U+0900-U+097F', kind: 'alphabet',
      onsets: ['क', 'ख', 'ग', 'घ', 'च', 'ज', 'ट', 'ड', 'त', 'थ', 'द', 'न', 'प', 'ब', 'भ', 'म', 'र', 'ल', 'व', 'स', 'ह'],
      nuclei: ['', 'ा', 'ि', 'ी', 'ु', 'ू', 'े', 'ो'],
      syllables: [2, 3],
      digits: '०१२३४५६७८९',
      transliteration: DEVANAGARI_TRANSLIT,
    },
    order: 'SOV', adjective: 'before', adposition: 'postposition', adjunctsBeforeVerb: false,
    articles: { definite: 'drop', indefinite: 'drop' },
    morphology: { kind: 'isolating' },
    separator: ' ',
    punctuation: { '.': '।', '?': '?', ':': ':', ',': ',' },
    names: 'shared', numbers: 'shared', loanShare: 0.1,
  },
  tr: {
    code: 'tr',
    englishName: 'Turkish',
    models: 'Turkish: Latin letters with ç ğ ı ö ş ü, subject-object-verb, agglutinative case suffixes with vowel harmony (locative -de/-da, dative -e/-a, ablative -den/-dan, comitative -le/-la, accusative -i/-ı), suffixes on names after an apostrophe, no definite article, "bir" as the indefinite',
    script: {
      name: 'Latin (Turkish letters)', block: 'U+0000-U+017F', kind: 'alphabet',
      onsets: ['b', 'c', 'ç', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 'ş', 't', 'v', 'y', 'z'],
      harmony: { back: ['a', 'ı', 'o', 'u'], front: ['e', 'i', 'ö', 'ü'] },
      codas: ['n', 'r', 'l', 'k', 'm', 'ş', 't'],
      codaRate: 0.35,
      syllables: [2, 3],
    },
    order: 'SOV', adjective: 'before', adposition: 'postposition', adjunctsBeforeVerb: false,
    articles: { definite: 'drop', indefinite: 'word' },
    morphology: {
      kind: 'agglutinative',
      objectSuffix: { back: 'ı', front: 'i' },
      caseSuffixes: {
        in: { back: 'da', front: 'de' }, at: { back: 'da', front: 'de' }, to: { back: 'a', front: 'e' },
        from: { back: 'dan', front: 'den' }, with: { back: 'la', front: 'le' },
      },
      nameSuffixSeparator: "'",
    },
    separator: ' ',
    punctuation: { '.': '.', '?': '?', ':': ':', ',': ',' },
    names: 'shared', numbers: 'shared', loanShare: 0.08,
  },
  vi: {
    code: 'vi',
    englishName: 'Vietnamese',
    models: 'Vietnamese: Latin letters with tone and vowel diacritics, one syllable per word, isolating (no inflection), subject-verb-object, adjectives after the noun, no definite article, "một" as the indefinite',
    script: {
      name: 'Latin (Vietnamese letters)', block: 'U+0000-U+1EFF', kind: 'alphabet',
      onsets: ['b', 'c', 'ch', 'd', 'đ', 'g', 'h', 'kh', 'l', 'm', 'n', 'ng', 'nh', 'ph', 'qu', 's', 't', 'th', 'tr', 'v', 'x'],
      nuclei: ['a', 'á', 'à', 'ả', 'ã', 'ạ', 'ă', 'ắ', 'â', 'ấ', 'e', 'é', 'è', 'ê', 'ế', 'ề', 'i', 'í', 'ì', 'o', 'ó', 'ò', 'ô', 'ố', 'ơ', 'ớ', 'u', 'ú', 'ù', 'ư', 'ứ', 'y'],
      codas: ['n', 'ng', 'c', 't', 'm', 'p', 'nh', 'ch'],
      codaRate: 0.5,
      syllables: [1, 1],
    },
    order: 'SVO', adjective: 'after', adposition: 'preposition', adjunctsBeforeVerb: false,
    articles: { definite: 'drop', indefinite: 'word' },
    morphology: { kind: 'isolating' },
    separator: ' ',
    punctuation: { '.': '.', '?': '?', ':': ':', ',': ',' },
    names: 'shared', numbers: 'shared', loanShare: 0.03,
  },
  zh: {
    code: 'zh',
    englishName: 'Chinese',
    models: 'Chinese: CJK logograms written without spaces (every word two characters), subject-verb-object with prepositional phrases before the verb, adjectives before the noun, no articles, isolating, full-width punctuation',
    script: {
      name: 'CJK Unified Ideographs', block: 'U+4E00-U+9FFF', kind: 'logograms',
      logograms: { from: 0x4e00, count: 3000 },
      logogramsPerWord: 2,
    },
    order: 'SVO', adjective: 'before', adposition: 'preposition', adjunctsBeforeVerb: true,
    articles: { definite: 'drop', indefinite: 'drop' },
    morphology: { kind: 'isolating' },
    separator: '',
    punctuation: { '.': '。', '?': '？', ':': '：', ',': '，' },
    names: 'shared', numbers: 'shared', loanShare: 0,
  },
};

/** The codes of the built-in languages. */
export const LANGUAGE_CODES = Object.keys(LANGUAGES);

/** The spec of a built-in language; an unknown code is an error listing the known ones. */
export function languageSpec(code: string): LanguageSpec {
  const spec = LANGUAGES[code];
  if (!spec) throw new RangeError(`world: unknown language "${code}"; built-in languages: ${LANGUAGE_CODES.join(', ')}`);
  return spec;
}

/** Checks a user-written spec; throws naming the field and what was expected. */
export function checkLanguageSpec(spec: LanguageSpec): LanguageSpec {
  const where = `language "${spec.code ?? '?'}"`;
  const fail = (field: string, expected: string): never => {
    throw new RangeError(`${where}: field ${field} must be ${expected}`);
  };
  if (typeof spec.code !== 'string' || !/^[a-z][a-z0-9-]*$/.test(spec.code)) fail('code', 'a lower-case code like "xx"');
  if (!['SVO', 'SOV', 'VSO'].includes(spec.order)) fail('order', 'SVO, SOV or VSO');
  if (!['before', 'after'].includes(spec.adjective)) fail('adjective', '"before" or "after"');
  if (!['preposition', 'postposition'].includes(spec.adposition)) fail('adposition', '"preposition" or "postposition"');
  if (!(spec.loanShare >= 0 && spec.loanShare <= 1)) fail('loanShare', 'a number in [0, 1]');
  if (spec.separator !== ' ' && spec.separator !== '') fail('separator', '" " or ""');
  const s = spec.script;
  if (s.kind === 'alphabet') {
    if (!s.onsets?.length) fail('script.onsets', 'a non-empty list of letters');
    if (!s.nuclei?.length && !s.harmony) fail('script.nuclei', 'a non-empty list (or script.harmony)');
    if (spec.separator === '') fail('separator', '" " for an alphabetic script (words are only segmentable with spaces)');
  } else {
    if (!s.logograms || s.logograms.count < 100) fail('script.logograms', 'a code-point range of at least 100 characters');
    if ((s.logogramsPerWord ?? 0) < 1) fail('script.logogramsPerWord', 'an integer >= 1');
    if (spec.names === 'transliterated') fail('names', '"shared" for a logographic script (transliteration is defined letter by letter)');
    if (spec.morphology.objectSuffix || spec.morphology.caseSuffixes || spec.articles.definite === 'prefix') {
      fail('morphology', 'free of affixes for a logographic script (words are segmented by length)');
    }
  }
  if (spec.numbers === 'native' && (s.digits === undefined || [...s.digits].length !== 10)) fail('script.digits', 'ten digits when numbers is "native"');
  if (spec.names === 'transliterated') {
    const t = s.transliteration;
    if (!t) fail('script.transliteration', 'a Latin-letter table when names is "transliterated"');
    const outs = Object.values(t!);
    if (new Set(outs).size !== outs.length) fail('script.transliteration', 'distinct letters (it must be invertible)');
  }
  if (spec.articles.definite === 'prefix' && !spec.morphology.definitePrefix) fail('morphology.definitePrefix', 'set when articles.definite is "prefix"');
  for (const p of Object.keys(spec.morphology.caseSuffixes ?? {})) {
    if (!['in', 'at', 'to', 'from', 'with', 'as', 'for', 'about', 'of'].includes(p)) fail(`morphology.caseSuffixes.${p}`, 'keyed by an English preposition of the world');
  }
  return spec;
}
