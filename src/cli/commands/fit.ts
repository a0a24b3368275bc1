import { fitLawsByLanguage, readPointsCsv } from '../../scaling';
import { type Command, UsageError } from '../command';
import { requireFile, requireUtf8 } from '../inputs';

const fmt = (v: number, digits = 4): string => (Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : 'n/a');

export const command: Command = {
  name: 'fit',
  summary: 'fit S = 100 - alpha (gamma X)^-beta per language to measured points',
  usage: `usage: xalign fit --points FILE.csv [--json]

Fits the paper's scaling law (Section 3.2) to each language's points by least squares
(Levenberg-Marquardt cross-checked by an exact search over beta) and prints alpha,
beta, SSE, R^2 and standard errors with 95% intervals.

FILE.csv has the header language,gamma,x,score and one row per measured point
(x = translation pairs, score on a 0-100 scale below 100, gamma in (0, 1], one gamma
per language). Example: data/examples/scaling-points.csv.

--json prints {"laws":[{"language","alpha","beta","gamma","sse","r2","alphaStdErr","betaStdErr"}]}
(null where a value is undefined, e.g. standard errors from only 2 points).`,
  options: { points: { type: 'string' } },
  async run(ctx) {
    const file = ctx.flags.points as string | undefined;
    if (!file) throw new UsageError('fit: --points FILE.csv is required');
    requireFile(file, '--points');
    requireUtf8(file, '--points'); // a mis-encoded language name would otherwise be fitted as a language of its own
    const fits = fitLawsByLanguage(readPointsCsv(file), { context: file });
    const laws = [...fits].map(([language, f]) => ({
      language,
      alpha: f.alpha,
      beta: f.beta,
      gamma: f.gamma,
      sse: f.sse,
      r2: f.r2,
      alphaStdErr: f.alphaStdErr,
      betaStdErr: f.betaStdErr,
    }));
    const lines = [`${'language'.padEnd(10)} ${'n'.padStart(3)}  ${'alpha (95% CI)'.padEnd(34)} ${'beta (95% CI)'.padEnd(30)} ${'SSE'.padStart(10)} ${'R^2'.padStart(8)}  solver`];
    for (const [language, f] of fits) {
      if (f.check.note) ctx.log(`fit: ${language}: ${f.check.note}`);
      lines.push(
        `${language.padEnd(10)} ${String(f.n).padStart(3)}  ` +
          `${`${fmt(f.alpha, 6)} (${fmt(f.alphaInterval[0])}, ${fmt(f.alphaInterval[1])})`.padEnd(34)} ` +
          `${`${fmt(f.beta, 5)} (${fmt(f.betaInterval[0])}, ${fmt(f.betaInterval[1])})`.padEnd(30)} ` +
          `${fmt(f.sse).padStart(10)} ${fmt(f.r2, 5).padStart(8)}  ${f.check.chosen}${f.check.agree ? '' : ' (LM and exact search disagree)'}`,
      );
    }
    return { value: { laws }, text: lines.join('\n') };
  },
};
