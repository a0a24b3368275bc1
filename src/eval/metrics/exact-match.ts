/**
 * Answer accuracy for QA and knowledge infilling, two ways:
 *
 * - exact match after SQuAD/MLQA-style normalisation (MLQA's evaluation script, per
 *   language): lower-case; drop punctuation (every Unicode punctuation character plus
 *   ASCII `string.punctuation`); drop articles where the language has them (en, es, de,
 *   vi; Arabic drops every "ال" as MLQA does); split on whitespace, or for Chinese into
 *   single Han characters and punctuation (MLQA's mixed segmentation); rejoin with single
 *   spaces. The `squad` style is SQuAD v1.1's script (ASCII punctuation, English
 *   articles), which XQuAD uses for every language.
 * - the public code's looser accuracy: correct when the lower-cased gold answer occurs in
 *   the lower-cased prediction (PAPER.md, setup of the public code).
 *
 * Both take the best over several gold answers. Scores are percentages.
 * Serves the QA and mLAMA notebooks (paper Table 3: MLQA 43.2 -> 44.6, XQuAD 46.9 -> 49.2).
 */

import { referencesPerSegment, signatureVersion, type StatsMetric } from './common';
import { normalizeLines, type Normalization, pySplit } from './text';

export type AnswerStyle = 'mlqa' | 'squad';

export interface AnswerOptions {
  /** Language code (en, es, de, vi, ar, hi, zh, ...); default en. */
  lang?: string;
  /** `mlqa` (per-language; default) or `squad` (SQuAD v1.1 for every language). */
  style?: AnswerStyle;
  normalization?: Normalization;
}

const ASCII_PUNCT = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const UNICODE_PUNCT = /[\p{P}!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/gu;
const ASCII_PUNCT_RE = new RegExp(`[${ASCII_PUNCT.replace(/[\\\]\-^]/g, '\\$&')}]`, 'g');

/** Python's `\b` in Unicode mode: word characters are letters, digits and underscore. */
function wordRe(words: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${words})(?![\\p{L}\\p{N}_])`, 'gu');
}

const ARTICLES: Record<string, RegExp> = {
  en: wordRe('a|an|the'),
  es: wordRe('un|una|unos|unas|el|la|los|las'),
  de: wordRe('ein|eine|einen|einem|eines|einer|der|die|das|den|dem|des'),
  vi: wordRe('của|là|cái|chiếc|những'),
};

const MIXED_SEGMENTATION_LANGS = new Set(['zh']);
const HAN_MLQA = /[\u4e00-\u9fa5]/;
const PUNCT_ONE = /^[\p{P}!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]$/u;

/** MLQA's mixed segmentation: each Han character and punctuation mark a token; other runs split on whitespace. */
function mixedSegmentation(text: string): string[] {
  const out: string[] = [];
  let buf = '';
  for (const ch of text) {
    if (HAN_MLQA.test(ch) || PUNCT_ONE.test(ch)) {
      if (buf !== '') out.push(...pySplit(buf));
      buf = '';
      out.push(ch);
    } else {
      buf += ch;
    }
  }
  if (buf !== '') out.push(...pySplit(buf));
  return out;
}

/** Normalises an answer for exact match (see the module comment). */
export function normalizeAnswer(s: string, opts: AnswerOptions = {}): string {
  const lang = opts.lang ?? 'en';
  let t = opts.normalization === 'nfc' ? s.normalize('NFC') : s;
  t = t.toLowerCase();
  if ((opts.style ?? 'mlqa') === 'squad') {
    t = t.replace(ASCII_PUNCT_RE, '');
    t = t.replace(ARTICLES.en!, ' ');
    return pySplit(t).join(' ');
  }
  t = t.replace(UNICODE_PUNCT, '');
  if (lang === 'ar') t = t.split('ال').join(' ');
  else if (ARTICLES[lang]) t = t.replace(ARTICLES[lang]!, ' ');
  const tokens = MIXED_SEGMENTATION_LANGS.has(lang) ? mixedSegmentation(t) : pySplit(t);
  return tokens.filter((x) => x.trim() !== '').join(' ');
}

/** 1 when the normalised prediction equals a normalised gold answer, else 0. */
export function exactMatch(prediction: string, golds: readonly string[], opts: AnswerOptions = {}): number {
  const p = normalizeAnswer(prediction, opts);
  // An empty gold (padding when segments have different numbers of answers) never
  // matches, as in containsMatch: otherwise an empty or article-only prediction would.
  return golds.some((g) => g.trim() !== '' && normalizeAnswer(g, opts) === p) ? 1 : 0;
}

/**
 * 1 when a lower-cased gold answer (trimmed) occurs in the lower-cased prediction, else
 * 0: the public code's accuracy. An empty gold answer never counts as contained.
 */
export function containsMatch(prediction: string, golds: readonly string[], opts: { normalization?: Normalization } = {}): number {
  const nf = (x: string) => (opts.normalization === 'nfc' ? x.normalize('NFC') : x);
  const p = nf(prediction).toLowerCase();
  return golds.some((g) => {
    const gg = nf(g).trim().toLowerCase();
    return gg !== '' && p.includes(gg);
  })
    ? 1
    : 0;
}

export interface AccuracyScore {
  metric: 'EM' | 'contains';
  /** Percentage of segments judged correct. */
  score: number;
  correct: number;
  total: number;
  signature: string;
}

/** Exact match or contains-accuracy as a {@link StatsMetric} (per segment [correct, 1]). */
export class AnswerAccuracy implements StatsMetric {
  readonly name: 'EM' | 'contains';
  readonly width = 2;
  constructor(
    readonly kind: 'em' | 'contains',
    private readonly opts: AnswerOptions = {},
  ) {
    this.name = kind === 'em' ? 'EM' : 'contains';
  }

  segmentStats(hyps: readonly string[], refs: readonly string[] | readonly (readonly string[])[]): number[][] {
    const perSeg = referencesPerSegment(hyps.length, refs);
    const H = normalizeLines(hyps, this.opts.normalization ?? 'none');
    return H.map((h, i) => {
      const golds = perSeg[i]!;
      return [this.kind === 'em' ? exactMatch(h, golds, this.opts) : containsMatch(h, golds, this.opts), 1];
    });
  }

  scoreFromStats(sum: ArrayLike<number>): number {
    return sum[1]! > 0 ? (100 * sum[0]!) / sum[1]! : 0;
  }

  signature(): string {
    const parts =
      this.kind === 'em'
        ? [`lang:${this.opts.lang ?? 'en'}`, `style:${this.opts.style ?? 'mlqa'}`]
        : ['case:lc', 'match:gold-in-prediction'];
    if ((this.opts.normalization ?? 'none') !== 'none') parts.push(`norm:${this.opts.normalization}`);
    parts.push(`version:${signatureVersion()}`);
    return parts.join('|');
  }

  corpusScore(hyps: readonly string[], refs: readonly string[] | readonly (readonly string[])[]): AccuracyScore {
    const stats = this.segmentStats(hyps, refs);
    const correct = stats.reduce((a, r) => a + r[0]!, 0);
    return { metric: this.name, score: this.scoreFromStats([correct, stats.length]), correct, total: stats.length, signature: this.signature() };
  }
}

/** Exact-match accuracy (%) over a corpus; `golds` is one answer stream or several. */
export function corpusExactMatch(hyps: readonly string[], golds: readonly string[] | readonly (readonly string[])[], opts: AnswerOptions = {}): AccuracyScore {
  return new AnswerAccuracy('em', opts).corpusScore(hyps, golds);
}

/** The public code's accuracy (%): lower-cased gold contained in the lower-cased prediction. */
export function corpusContains(hyps: readonly string[], golds: readonly string[] | readonly (readonly string[])[], opts: { normalization?: Normalization } = {}): AccuracyScore {
  return new AnswerAccuracy('contains', opts).corpusScore(hyps, golds);
}
