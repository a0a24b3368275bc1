import { fitLawsByLanguage } from '../../scaling';
import { ingest, meanScores, scorePoints } from '../../bridge';
import { type Command, UsageError } from '../command';

/** `--gamma zh=0.62,el=0.58`. */
function gammaOf(v: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of v.split(',')) {
    const [l = '', g = ''] = part.trim().split('=');
    const n = Number(g);
    if (!/^[a-z]{2,3}$/.test(l) || g === '' || !(n > 0 && n <= 1)) throw new UsageError(`ingest: --gamma must be LANG=VALUE with VALUE in (0, 1], got "${part}"`);
    out[l] = n;
  }
  return out;
}

export const command: Command = {
  name: 'ingest',
  summary: 'read back what a real run produced: a scores table or a folder of predictions',
  usage: `usage: xalign ingest FILE.csv|DIR [--metric M --gamma LANG=G,...] [--json]

FILE.csv: a scores table with the header language,pairs,metric,value,seed (seed may be
empty; an optional condition column; # lines are comments). DIR: predictions, one TASK_LANG[_pN][_sS].jsonl file per
task and language (N pairs, seed S), each line {"prediction", "reference"}; scored here
(translation chrF and BLEU, qa and knowledge contains, summarization ROUGE-L).

Prints the mean over seeds per language, metric and size. With --metric and --gamma,
also fits the scaling law of each language to that metric's points (three sizes or
more; docs/bridge.md).`,
  options: { metric: { type: 'string' }, gamma: { type: 'string' } },
  async run(ctx) {
    const [target, extra] = ctx.positionals;
    if (!target) throw new UsageError('ingest: give a scores table (FILE.csv) or a predictions folder');
    if (extra !== undefined) throw new UsageError(`ingest: one file or folder at a time, got also "${extra}"`);
    const rows = ingest(target);
    const means = meanScores(rows);
    let laws: Record<string, { alpha: number; beta: number; gamma: number; r2: number; n: number }> | undefined;
    if (ctx.flags.metric !== undefined || ctx.flags.gamma !== undefined) {
      if (ctx.flags.metric === undefined || ctx.flags.gamma === undefined) throw new UsageError('ingest: --metric and --gamma go together (the law needs each language\'s gamma)');
      const points = scorePoints(rows, String(ctx.flags.metric), gammaOf(String(ctx.flags.gamma)));
      const fits = fitLawsByLanguage(points, { context: target });
      laws = Object.fromEntries([...fits].map(([l, f]) => [l, { alpha: f.alpha, beta: f.beta, gamma: f.gamma, r2: f.r2, n: f.n }]));
    }
    const text = [
      `${rows.length} scores from ${target}`,
      'language  condition              metric        pairs   seeds   mean',
      ...means.map((m) => `${m.language.padEnd(9)} ${(m.condition ?? '-').padEnd(22)} ${m.metric.padEnd(12)} ${String(m.pairs ?? '-').padStart(6)} ${String(m.seeds).padStart(7)} ${m.mean.toFixed(2).padStart(7)}${m.n > m.seeds ? `  (${m.n} values)` : ""}`),
      ...(laws ? ['', `scaling law of ${ctx.flags.metric} (S = 100 - alpha (gamma X)^-beta):`, ...Object.entries(laws).map(([l, f]) => `  ${l}: alpha ${f.alpha.toFixed(3)}, beta ${f.beta.toFixed(4)}, gamma ${f.gamma}, R2 ${f.r2.toFixed(3)} (${f.n} sizes)`)] : []),
    ].join('\n');
    return { value: { rows, means, ...(laws ? { laws } : {}) }, text };
  },
};
