import {
  meanStats,
  pairedBootstrapStats,
  approximateRandomizationStats,
  pairedSignificance,
  scoreFromMeanStats,
  type SignificanceResult,
  statsMetric,
} from '../../eval/metrics';
import { type Command, UsageError } from '../command';
import { numberFlag, SEED_RANGE } from '../inputs';
import { checkFiles, METRIC_FLAG_HELP, METRIC_FLAG_OPTIONS, metricOptions, readScoresFile, readSegmentFile, referenceStreams, refuseFlags, requiredFile } from './score-shared';

const EXTERNAL = ['comet', 'bleurt', 'spbleu'];

/** Most resamples or trials --samples may ask for: 1,000 times the default, already hours on a large test set. */
const MAX_SAMPLES = 1_000_000;

function describe(r: SignificanceResult, labelA: string, labelB: string): string {
  const f = (x: number) => x.toFixed(2);
  const line = (tag: string, label: string, s: SignificanceResult['a']) =>
    `  ${tag} ${label}: ${f(s.score)}  95% CI [${f(s.lower)}, ${f(s.upper)}]  (μ = ${f(s.mean)} ± ${f(s.ci)})`;
  const name = r.test === 'paired-bootstrap' ? `paired bootstrap, ${r.samples} resamples` : `approximate randomisation, ${r.samples} trials`;
  return [
    `${r.metric}: ${name}, seed ${r.seed}`,
    line('A', labelA, r.a),
    line('B', labelB, r.b),
    r.delta === 0
      ? `  B - A = 0: the systems score the same; no difference to test (p = ${r.pValue.toFixed(4)} by construction)`
      : `  B - A = ${r.delta > 0 ? '+' : ''}${f(r.delta)}, p = ${r.pValue.toFixed(4)} (${r.pValue < 0.05 ? 'significant' : 'not significant'} at p < 0.05)`,
  ].join('\n');
}

export const command: Command = {
  name: 'significance',
  summary: 'paired bootstrap or approximate randomisation between two systems',
  usage: `usage: xalign significance --metric M --hyp-a FILE --hyp-b FILE --ref FILE [options] [--json]
       xalign significance --metric comet|bleurt|spbleu --scores-a FILE --scores-b FILE [options]

Is system B (--hyp-b) different from baseline A (--hyp-a) under metric M (bleu, chrf,
chrf++, rouge = rougeL, rouge1, rouge2, em, contains)? Computes p for |score(B) -
score(A)| as sacrebleu does and a 95% confidence interval for each system.
For comet, bleurt and spbleu, per-segment scores computed elsewhere are compared
(their mean, x100 with --scale 100).

options:
  --test T              bootstrap (default; 1,000 resamples) or ar (approximate
                        randomisation; 10,000 trials, CIs from 1,000 resamples)
  --samples N           resamples or trials (1 to 1,000,000)
  --seed S              seed of the project's Rng (default 12345, sacrebleu's)
  --scale X             multiply precomputed segment scores (default 1)
${METRIC_FLAG_HELP}`,
  options: {
    metric: { type: 'string' },
    'hyp-a': { type: 'string' },
    'hyp-b': { type: 'string' },
    ref: { type: 'string', multiple: true },
    'scores-a': { type: 'string' },
    'scores-b': { type: 'string' },
    field: { type: 'string' },
    scale: { type: 'string' },
    test: { type: 'string' },
    samples: { type: 'string' },
    seed: { type: 'string' },
    ...METRIC_FLAG_OPTIONS,
  },
  async run(ctx) {
    const metric = ctx.flags.metric as string | undefined;
    if (metric === undefined) throw new UsageError('--metric M is required');
    const test = (ctx.flags.test as string | undefined) ?? 'bootstrap';
    if (test !== 'bootstrap' && test !== 'ar') throw new UsageError(`--test must be bootstrap or ar, got "${test}"`);
    const opts = {
      samples: numberFlag(ctx.flags, 'samples', { integer: true, min: 1, max: MAX_SAMPLES }),
      seed: numberFlag(ctx.flags, 'seed', SEED_RANGE),
    };
    const scale = numberFlag(ctx.flags, 'scale', {}) ?? 1;
    if (EXTERNAL.includes(metric)) {
      refuseFlags(ctx.flags, `significance --metric ${metric}`, ['hyp-a', 'hyp-b', 'ref', 'tokenize', 'lang', 'rouge-tokenizer', 'style']);
      const fa = requiredFile(ctx.flags, 'scores-a');
      const fb = requiredFile(ctx.flags, 'scores-b');
      const field = ctx.flags.field as string | undefined;
      const a = readScoresFile(fa, '--scores-a', metric, { field });
      const b = readScoresFile(fb, '--scores-b', metric, { field, expectLines: a.scores.length });
      const run = test === 'ar' ? approximateRandomizationStats : pairedBootstrapStats;
      const r = run(meanStats(a.scores), meanStats(b.scores), scoreFromMeanStats(scale), { ...opts, metric });
      return { value: { ...r, hypA: fa, hypB: fb }, text: describe(r, fa, fb) };
    }
    refuseFlags(ctx.flags, `significance --metric ${metric}`, ['scores-a', 'scores-b', 'field', 'scale']);
    const fa = requiredFile(ctx.flags, 'hyp-a');
    const fb = requiredFile(ctx.flags, 'hyp-b');
    const hypsA = readSegmentFile(fa, '--hyp-a');
    const hypsB = readSegmentFile(fb, '--hyp-b');
    const refs = referenceStreams(ctx.flags);
    checkFiles(fa, hypsA, ctx.flags.ref as string[], refs);
    checkFiles(fb, hypsB, ctx.flags.ref as string[], refs);
    let m;
    try {
      m = statsMetric(metric, metricOptions(ctx.flags));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const r = pairedSignificance(m, hypsA, hypsB, refs.length === 1 ? refs[0]! : refs, test, opts);
    return { value: { ...r, signature: m.signature(), hypA: fa, hypB: fb }, text: describe(r, fa, fb) };
  },
};
