import { METRIC_NAMES, scoreCorpus } from '../../eval/metrics';
import { type Command, UsageError } from '../command';
import { checkFiles, METRIC_FLAG_HELP, METRIC_FLAG_OPTIONS, metricOptions, readScoresFile, readSegmentFile, referenceStreams, refuseFlags, requiredFile } from './score-shared';

const EXTERNAL = ['comet', 'bleurt', 'spbleu'];

export const command: Command = {
  name: 'score',
  summary: 'score hypotheses against references (BLEU, chrF, chrF++, ROUGE, EM, contains)',
  usage: `usage: xalign score METRIC --hyp FILE --ref FILE [--ref FILE ...] [options] [--json]
       xalign score comet|bleurt|spbleu --scores FILE [--field NAME] [--json]

METRIC: bleu | chrf | chrf++ | rouge | em | contains. Files hold one segment per line
(UTF-8); --ref may be repeated for several references (EM/contains: several gold
answers). Line counts must match.
  bleu      corpus BLEU as sacrebleu 2.x (13a, exp smoothing)
  chrf      chrF (character order 6, beta 2), chrf++ adds word order 2
  rouge     ROUGE-1/2/L F1 (mean over segments, 0-100) as Google rouge-score
  em        exact match after MLQA/SQuAD answer normalisation (%)
  contains  lower-cased gold answer contained in the prediction (%)
comet, bleurt and spbleu read per-segment scores computed elsewhere (JSON or TSV)
and print their mean.

options:
${METRIC_FLAG_HELP}

--json prints {"metric", "score", "signature", ...}; for rouge also rouge1, rouge2,
rougeL (F1, 0-100).`,
  options: {
    hyp: { type: 'string' },
    ref: { type: 'string', multiple: true },
    scores: { type: 'string' },
    field: { type: 'string' },
    ...METRIC_FLAG_OPTIONS,
  },
  async run(ctx) {
    const [metric, extra] = ctx.positionals;
    if (metric === undefined) throw new UsageError(`score: METRIC is required (${[...METRIC_NAMES, ...EXTERNAL].join(', ')})`);
    if (extra !== undefined) throw new UsageError(`score: one METRIC only, got also "${extra}"`);
    if (EXTERNAL.includes(metric)) {
      refuseFlags(ctx.flags, `score ${metric}`, ['hyp', 'ref', 'tokenize', 'lang', 'rouge-tokenizer', 'style']);
      const file = requiredFile(ctx.flags, 'scores');
      const s = readScoresFile(file, '--scores', metric, { field: ctx.flags.field as string | undefined });
      const value = { metric, score: s.mean, signature: `external:${metric}|file:${file}`, segments: s.scores.length };
      return { value, text: `${metric} (mean of ${s.scores.length} segment scores from ${file}) = ${s.mean.toFixed(4)}` };
    }
    if (!(METRIC_NAMES as readonly string[]).includes(metric)) {
      throw new UsageError(`score: unknown metric "${metric}"; expected one of ${[...METRIC_NAMES, ...EXTERNAL].join(', ')}`);
    }
    refuseFlags(ctx.flags, `score ${metric}`, ['scores', 'field']);
    const hypFile = requiredFile(ctx.flags, 'hyp');
    const hyps = readSegmentFile(hypFile, '--hyp');
    const refs = referenceStreams(ctx.flags);
    checkFiles(hypFile, hyps, ctx.flags.ref as string[], refs);
    const result = scoreCorpus(metric, hyps, refs.length === 1 ? refs[0]! : refs, metricOptions(ctx.flags));
    let text: string;
    if (metric === 'rouge') {
      const r = result as unknown as { rouge1: number; rouge2: number; rougeL: number };
      text = `ROUGE|${result.signature} = rouge1 ${r.rouge1.toFixed(2)} rouge2 ${r.rouge2.toFixed(2)} rougeL ${r.rougeL.toFixed(2)}`;
    } else {
      text = `${result.metric}|${result.signature} = ${result.score.toFixed(2)}`;
      if (typeof result.verbose === 'string') text += ` ${result.verbose}`;
      if (typeof result.correct === 'number') text += ` (${result.correct}/${String(result.total)})`;
    }
    return { value: result, text };
  },
};
