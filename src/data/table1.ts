/** The training-data sizes the paper reports (Table 1); used by notebook 01 and by src/allocation (X^max). */

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
