import * as fs from 'node:fs';
import * as path from 'node:path';
import { exploreCorpusLanguage } from '../../bridge/explore-corpus';
import { committedBaseDir, exploreWorldLanguage, ResultStore, tuneCommand } from '../../experiments';
import { formatFixed, formatPairs } from '../../viz/format';
import { isLanguageFile, readLanguageFile } from '../../world/language-file';
import { presetFromFlags, sessionFromFlags } from '../../session';
import { type Command, UsageError } from '../command';
import { numberFlag, presetFlags } from '../inputs';
import { SHARED_OPTIONS, storeDir } from './experiment-shared';

export const command: Command = {
  name: 'explore',
  summary: 'a new language end to end: gamma, its scaling law, pairs for a target, its share of a budget',
  usage: `usage: xalign explore --language FILE.json [--preset P] [--set K=V] [--target S] [--budget C] [--available N] [--json]
       xalign explore --language CODE [--states EN.npy,X.npy] [--scores FILE.csv [--metric M]] [--target S] [--laws FILE.json --budget C] [--json]

FILE.json: a language of the miniature world (docs/new-language.md; example
data/examples/languages/ka.json). The laboratory measures its gamma from the preset's
base model (which never saw it), trains the recipe's scaling series on it (the pairs
of scalingPairs, one seed; stored runs are reused), fits its law, gives the pairs for
the target chrF (default: what the lab languages' laws give at worldTranslationPairs)
and its share of the budget (default allocationBudget + worldTranslationPairs) beside
the lab languages, capped at --available pairs (default worldTranslationPairs).

CODE: a language of the real corpus (build it with \`xalign data build --lang CODE\`):
its corpus and tokenizer fertility, then gamma from a real model's sentence states,
the law from its scores (the ingest table), pairs for --target, and its share of
--budget beside the laws of --laws, as far as what you give allows.`,
  options: {
    ...SHARED_OPTIONS,
    language: { type: 'string' },
    target: { type: 'string' },
    budget: { type: 'string' },
    available: { type: 'string' },
    states: { type: 'string' },
    scores: { type: 'string' },
    metric: { type: 'string' },
    laws: { type: 'string' },
  },
  async run(ctx) {
    const value = ctx.flags.language;
    if (typeof value !== 'string' || value === '') throw new UsageError('explore: --language FILE.json or --language CODE is required');
    const target = numberFlag(ctx.flags, 'target', { min: 0, max: 99.999 }, 'explore');
    const budget = numberFlag(ctx.flags, 'budget', { min: 1 }, 'explore');
    if (isLanguageFile(value)) {
      for (const f of ['states', 'scores', 'metric', 'laws']) if (ctx.flags[f] !== undefined) throw new UsageError(`explore: --${f} is for a real corpus language (--language CODE), not a language file`);
      const language = readLanguageFile(value);
      const preset = presetFromFlags(presetFlags(ctx.flags));
      const available = numberFlag(ctx.flags, 'available', { integer: true, min: 1 }, 'explore');
      const store = new ResultStore(storeDir(ctx, preset));
      const backend = (await sessionFromFlags('explore', presetFlags(ctx.flags))).backend.name;
      const base = committedBaseDir(preset.name, preset.settings.modelFamily);
      const { exploration: x } = await exploreWorldLanguage(preset.settings, language, {
        store, preset: preset.name, backend, workers: preset.settings.workers, gpuWorkers: preset.settings.gpuWorkers, log: ctx.log,
        ...(fs.existsSync(base) ? { baseDir: path.resolve(base) } : {}),
        commandFor: (spec) => tuneCommand(preset, spec, value),
        ...(target !== undefined ? { target } : {}), ...(budget !== undefined ? { budget } : {}), ...(available !== undefined ? { available } : {}),
      });
      const code = language.code;
      const text = [
        `${code} (${language.englishName}), preset ${preset.name}; ${x.trained} run(s) trained now, ${x.seconds.toFixed(0)} s; store ${store.root}`,
        `surface: shared tokens ${(100 * x.surface.sharedTokens).toFixed(1)}%, word-order distance ${x.surface.orderDistance.toFixed(2)}, structural distance ${x.surface.structural.toFixed(2)}`,
        `gamma from the base model: ${Object.entries(x.gamma).map(([l, g]) => `${l} ${g.toFixed(3)}`).join(', ')}`,
        `scaling series (translation chrF): ${x.points.map((p) => `${p.x}: ${p.score.toFixed(1)}`).join(', ')}`,
        `law: S = 100 - ${x.law.alpha.toFixed(2)} (${x.law.gamma.toFixed(3)} X)^-${x.law.beta.toFixed(4)}, R2 ${x.law.r2.toFixed(3)}; ${Math.round(100 * x.law.level)}% intervals alpha ${formatFixed(x.law.alphaInterval[0], 2)} to ${formatFixed(x.law.alphaInterval[1], 2)}, beta ${formatFixed(x.law.betaInterval[0], 4)} to ${formatFixed(x.law.betaInterval[1], 4)}`,
        `pairs for chrF ${x.target.score.toFixed(1)} (${x.target.source}): ${formatPairs(x.target.pairs)} (band: ${formatPairs(x.target.lo)} to ${formatPairs(x.target.hi)})`,
        ...x.allocations.map((a) => `${a.method} split of ${x.budget} pairs: ${Object.entries(a.pairs).map(([l, n]) => `${l} ${n}`).join(', ')}; ${code}'s share ${(100 * a.share).toFixed(1)}%; mean predicted chrF ${a.predictedMean.toFixed(2)}`),
      ].join('\n');
      return { value: x, text };
    }
    if (!/^[a-z]{2,3}$/.test(value)) throw new UsageError(`explore: --language must be a language file (.json) or a corpus language code like "ka", got "${value}"`);
    if (ctx.flags.available !== undefined) throw new UsageError('explore: --available is for a language file; a corpus language\'s cap is its training pairs');
    let states: { english: string; other: string } | undefined;
    if (ctx.flags.states !== undefined) {
      const [english, other, extra] = String(ctx.flags.states).split(',');
      if (!english || !other || extra !== undefined) throw new UsageError(`explore: --states must be EN.npy,X.npy, got "${String(ctx.flags.states)}"`);
      states = { english, other };
    }
    if ((ctx.flags.laws === undefined) !== (budget === undefined)) throw new UsageError('explore: --laws and --budget go together (the share of a budget beside other languages\' laws)');
    if (ctx.flags.scores === undefined && (ctx.flags.metric !== undefined || ctx.flags.target !== undefined || ctx.flags.laws !== undefined)) throw new UsageError('explore: --metric, --target and --laws need the law, which needs --scores FILE.csv');
    const x = exploreCorpusLanguage(value, {
      ...(states ? { states } : {}),
      ...(typeof ctx.flags.scores === 'string' ? { scores: ctx.flags.scores } : {}),
      ...(typeof ctx.flags.metric === 'string' ? { metric: ctx.flags.metric } : {}),
      ...(target !== undefined ? { target } : {}),
      ...(typeof ctx.flags.laws === 'string' ? { laws: ctx.flags.laws } : {}),
      ...(budget !== undefined ? { budget } : {}),
    });
    const f = (v: { tokensPerWord: number; tokensPerChar: number; byteFallbackShare: number }) => `${v.tokensPerWord.toFixed(2)} tokens/word, ${v.tokensPerChar.toFixed(2)} tokens/char, ${(100 * v.byteFallbackShare).toFixed(1)}% byte pieces`;
    const text = [
      `${value}: corpus ${x.corpus.dir}: ${Object.entries(x.corpus.splits).map(([s, n]) => `${s} ${n}`).join(', ')} pairs`,
      `LLaMA tokenizer on ${x.fertility.sample} ${x.fertility.split} pairs: English ${f(x.fertility.english)}; ${value} ${f(x.fertility.other)}`,
      `gamma: ${x.gamma === null ? 'not measured' : x.gamma.toFixed(3)}`,
      ...(x.law ? [`law (${x.law.metric}): S = 100 - ${x.law.alpha.toFixed(2)} (${x.law.gamma.toFixed(3)} X)^-${x.law.beta.toFixed(4)}, R2 ${x.law.r2.toFixed(3)}, ${x.law.n} sizes`] : []),
      ...(x.target ? [`pairs for ${x.target.score}: ${formatPairs(x.target.pairs)} (band: ${formatPairs(x.target.lo)} to ${formatPairs(x.target.hi)})`] : []),
      ...(x.allocation ? [`optimal split of ${x.allocation.budget}: ${Object.entries(x.allocation.pairs).map(([l, n]) => `${l} ${n}`).join(', ')}; ${value}'s share ${(100 * x.allocation.share).toFixed(1)}% (uniform: ${x.allocation.uniformPairs[value]})`] : []),
      ...x.missing.map((m) => `not computed: ${m}`),
    ].join('\n');
    return { value: x, text };
  },
};
