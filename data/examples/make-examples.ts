/**
 * Regenerates the illustrative example files in data/examples/ (notebooks 03 and 04):
 *
 *     npx tsx data/examples/make-examples.ts
 *
 * scaling-points.csv: what a user could have measured (a COMET-like 0-100 score after
 * fine-tuning on X translation pairs, eight sizes per language). The numbers are
 * ILLUSTRATIVE: drawn from assumed laws plus noise (sd 0.6) with a fixed seed. They are
 * not the paper's measurements (the paper does not publish them) and not yet the
 * laboratory's own runs.
 * laws.json: the laws fitted to those points (alpha, beta, gamma) with each language's
 * available pairs `max` from the paper's Table 1 (WikiMatrix + News-Commentary).
 */

import * as path from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../../src/io/atomic';
import { Rng } from '../../src/random/rng';
import { TABLE1_MAX } from '../../src/allocation';
import { fitLawsByLanguage } from '../../src/scaling';

/**
 * Assumed laws (illustrative): similarity gamma, steepness beta, score at 100k pairs.
 * gamma is on the scale of `retrievalSimilarity` (src/similarity), where random
 * representations score about 0.5 and perfect retrieval 1, so the values lie in (0.5, 1).
 * The points follow the paper's form (ceiling 100) exactly, plus noise: a comparison of
 * formulations on them is expected to favour that form.
 */
const ASSUMED: Record<string, { gamma: number; beta: number; at100k: number }> = {
  ar: { gamma: 0.74, beta: 0.2, at100k: 81 },
  el: { gamma: 0.78, beta: 0.22, at100k: 83 },
  hi: { gamma: 0.7, beta: 0.26, at100k: 76 },
  tr: { gamma: 0.72, beta: 0.27, at100k: 78 },
  vi: { gamma: 0.84, beta: 0.19, at100k: 84 },
  zh: { gamma: 0.81, beta: 0.18, at100k: 82 },
};
const SIZES = [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000];

const rng = new Rng(20231).fork('example-points');
const rows = ['language,gamma,x,score'];
const points = [];
for (const [language, a] of Object.entries(ASSUMED)) {
  const alpha = (100 - a.at100k) * Math.pow(a.gamma * 100_000, a.beta);
  for (const x of SIZES) {
    const score = Math.round((100 - alpha * Math.pow(a.gamma * x, -a.beta) + rng.normal(0, 0.6)) * 100) / 100;
    rows.push(`${language},${a.gamma},${x},${score}`);
    points.push({ language, gamma: a.gamma, x, score });
  }
}
const dir = __dirname;
writeFileAtomic(
  path.join(dir, 'scaling-points.csv'),
  '# ILLUSTRATIVE points (not the paper\'s, not measured): assumed laws + noise; see make-examples.ts\n' + rows.join('\n') + '\n',
);
const laws = [...fitLawsByLanguage(points)].map(([language, f]) => ({
  language,
  alpha: Number(f.alpha.toPrecision(6)),
  beta: Number(f.beta.toPrecision(6)),
  gamma: f.gamma,
  max: TABLE1_MAX[language]!,
}));
writeJsonAtomic(path.join(dir, 'laws.json'), laws);
console.log(`wrote ${points.length} points and ${laws.length} laws to ${dir}`);
