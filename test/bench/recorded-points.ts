/**
 * Writes DIR/scaling-points.csv for a recorded run folder (recorded.json and
 * results.json, as test/bench/record-lab.sh leaves them): the recipe's translation chrF
 * against pairs, per language, with gamma, in the format `xalign fit --points` and
 * notebook 03 read, provenance in `#` lines.
 *
 *   npx tsx test/bench/recorded-points.ts data/recorded/NAME
 */
import * as path from 'node:path';
import { analyseLab, pointsCsv, readRecordedRun, splitLabResults } from '../../src/experiments';
import { writeFileAtomic } from '../../src/io/atomic';

const dir = process.argv[2];
if (!dir) throw new Error('usage: npx tsx test/bench/recorded-points.ts DIR (a recorded run folder)');
const rec = readRecordedRun(dir);
if (!rec) throw new Error(`${dir}: no recorded.json`);
const S = rec.settings;
const { grid, series } = splitLabResults(rec.results, S.worldTranslationPairs, S.seed);
const a = analyseLab(grid, series, rec.meta.gamma, { samples: 10, seed: S.seed });
const file = path.join(dir, 'scaling-points.csv');
writeFileAtomic(file, pointsCsv(a.chrfPoints, [
  'xalign laboratory scaling series, recorded: translation chrF of the recipe against English-X pairs (notebook 02)',
  `preset ${rec.meta.preset} with ${JSON.stringify(rec.meta.overrides)}, commit ${rec.meta.commit}, backend ${rec.meta.backend}, seed ${S.seed}, ${S.tuneSteps} steps of ${S.tuneBatchSize}`,
  `regenerate: ${rec.meta.command}`,
]));
process.stdout.write(`${a.chrfPoints.length} points (${[...new Set(a.chrfPoints.map((p) => p.language))].join(', ')}) written to ${file}\n`);
