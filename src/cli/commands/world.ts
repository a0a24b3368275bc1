import { presetFromFlags, sessionFromFlags } from '../../session';
import { buildWorld, describeWorld, TASK_IDS, type TaskId, worldOptionsFromSettings } from '../../world';
import * as path from 'node:path';
import { baseSpecFromSettings, committedBaseDir, configHash, copyBase, pretrainFirstLosses, readManifest, ResultStore, runPretrain } from '../../experiments';
import { type Command, UsageError } from '../command';
import { numberFlag, presetFlags } from '../inputs';
import { progressLogger, storeDir } from './experiment-shared';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export const command: Command = {
  name: 'world',
  summary: 'describe the miniature multilingual world, or print examples of its tasks',
  usage: `usage: xalign world describe [--preset P] [--set k=v] [--no-corpus] [--json]
       xalign world sample --lang X --task T [-n N] [--split train|test] [--preset P] [--set k=v] [--json]
       xalign world pretrain [--preset P] [--set k=v] [--store DIR] [--out DIR] [--first-steps N] [--json]

describe: the world of the preset (PRESET, default classroom; --preset overrides;
--set key=value as in \`xalign presets\`): knowledge-base sizes, each language's
parameters, lost distinctions and measured similarity to English (shared-token share,
word-order distance), pre-training corpus statistics under a byte tokenizer (bytes =
tokens; skip with --no-corpus), task sizes, and how long generation took.

sample: N examples (default 3) of task T in language X (en or a target language of
the preset) as Alpaca records {id, instruction, input, output} with the answer.
Tasks: ${TASK_IDS.join(', ')}. Translation goes from English to X (X != en).
A language of pretrain text: --task pretrain prints N corpus documents in X
(X = en, a target code, en+X for code-switched, en|X for parallel pairs).

pretrain: pre-trains the preset's base model on the world's pre-training corpus with
the language-model objective (BPE tokenizer of worldBpeVocab trained on that corpus;
modelDim, modelLayers, modelHeads, seqLen, batchSize, pretrainSteps) into the results
store (--store, default out/experiments/PRESET; reused when already there, resumed
after a kill), with manifest.json (command, commit, seed, backend, machine, sha256 of
each file, first losses). --out DIR also copies the checkpoint there (the committed
one of a preset is data/world/base-PRESET, which \`xalign experiment run\` uses when its
config hash matches). --first-steps N trains only the first N steps of that run (the
same schedule), writes nothing, and prints their losses beside the committed base's:
the check that a committed base's command reproduces its run.

See docs/world.md.`,
  options: {
    preset: { type: 'string' },
    set: { type: 'string', multiple: true },
    lang: { type: 'string' },
    task: { type: 'string' },
    n: { type: 'string', short: 'n' },
    split: { type: 'string' },
    'no-corpus': { type: 'boolean' },
    store: { type: 'string' },
    out: { type: 'string' },
    'first-steps': { type: 'string' },
  },
  async run(ctx) {
    const [sub] = ctx.positionals;
    const preset = presetFromFlags(presetFlags(ctx.flags));
    const backendFor = async () => (await sessionFromFlags('world', presetFlags(ctx.flags))).backend.name;
    const options = worldOptionsFromSettings(preset.settings);
    if (sub === 'describe') {
      const d = describeWorld(options, { corpus: !ctx.flags['no-corpus'] });
      const lines = [
        `world of preset ${preset.name} (seed ${d.seed}): ${d.people} people (${d.heldOut} held out), relations ${d.relations.join(', ')}, ${d.valuesPerRelation} values each`,
        `built in ${d.timings.buildMs.toFixed(0)} ms${d.timings.corpusMs !== undefined ? `, corpus composed in ${d.timings.corpusMs.toFixed(0)} ms` : ''}`,
        '',
        'languages (similarity measured on 200 sentences):',
        `  ${'code'.padEnd(5)} ${'order'.padEnd(30)} ${'adj'.padEnd(7)} ${'adpos'.padEnd(13)} ${'morphology'.padEnd(14)} ${'loans'.padStart(5)} ${'shared tok'.padStart(10)} ${'order dist'.padStart(10)}  lost`,
        ...d.languages.map((l) =>
          `  ${l.code.padEnd(5)} ${l.order.padEnd(30)} ${l.adjective.padEnd(7)} ${l.adposition.padEnd(13)} ${l.morphology.padEnd(14)} ${String(l.loans).padStart(5)} ${pct(l.similarity.sharedTokenShare).padStart(10)} ${l.similarity.orderDistance.toFixed(3).padStart(10)}  ${l.lost.join('; ') || 'nothing'}`),
      ];
      if (d.corpus) {
        const c = d.corpus;
        lines.push(
          '',
          `pre-training corpus: ${c.totalSentences} sentences, ${c.totalBytes} bytes (= byte-tokenizer tokens); levers: code-switch ${c.options.codeSwitchShare} (p ${c.options.codeSwitchP}), parallel ${c.options.parallelShare}, repeat ${c.options.repeatShare}`,
          `  ${'lang'.padEnd(7)} ${'docs'.padStart(7)} ${'sentences'.padStart(9)} ${'words'.padStart(8)} ${'bytes'.padStart(9)} ${'share'.padStart(6)} ${'bytes/sent'.padStart(10)} ${'byte vocab'.padStart(10)} ${'chars'.padStart(6)} ${'word types'.padStart(10)}`,
          ...c.byLanguage.map((l) =>
            `  ${l.lang.padEnd(7)} ${String(l.docs).padStart(7)} ${String(l.sentences).padStart(9)} ${String(l.words).padStart(8)} ${String(l.bytes).padStart(9)} ${pct(l.byteShare).padStart(6)} ${l.bytesPerSentence.toFixed(1).padStart(10)} ${String(l.distinctBytes).padStart(10)} ${String(l.distinctChars).padStart(6)} ${String(l.wordTypes).padStart(10)}`),
        );
      }
      lines.push('', 'tasks per language (train / test):', ...d.tasks.map((t) => `  ${t.task.padEnd(14)} ${t.train} / ${t.test}`));
      const langs = ['en', ...d.languages.map((l) => l.code)];
      lines.push(
        '',
        'record bytes (instruction + input + output, UTF-8 = byte tokens), mean / max of 50 test records:',
        `  ${'task'.padEnd(14)} ${langs.map((l) => l.padStart(10)).join('')}`,
        ...TASK_IDS.map((task) => `  ${task.padEnd(14)} ${langs.map((l) => {
          const r = d.recordBytes.find((x) => x.task === task && x.lang === l);
          return (r ? `${Math.round(r.mean)}/${r.max}` : '-').padStart(10);
        }).join('')}`),
      );
      return { value: { preset: preset.name, configHash: preset.configHash, ...d }, text: lines.join('\n') };
    }
    if (sub === 'sample') {
      const lang = ctx.flags.lang as string | undefined;
      const task = ctx.flags.task as string | undefined;
      if (!lang || !task) throw new UsageError('world sample: --lang X and --task T are required');
      const n = numberFlag(ctx.flags, 'n', { integer: true, min: 1 }, 'world sample') ?? 3;
      const world = buildWorld(options);
      if (task === 'pretrain') {
        const docs = world.corpus().docs.filter((d) => d.lang === lang).slice(0, n);
        if (docs.length === 0) throw new UsageError(`world sample: no pre-training documents in "${lang}"; keys are en, ${world.languages.map((l) => `${l}, en+${l}, en|${l}`).join(', ')}`);
        return { value: docs, text: docs.map((d) => `[${d.kind}] ${d.text}`).join('\n\n') };
      }
      if (!(TASK_IDS as readonly string[]).includes(task)) throw new UsageError(`world sample: unknown task "${task}"; expected ${TASK_IDS.join(', ')} or pretrain`);
      const split = (ctx.flags.split as string | undefined) ?? 'test';
      if (split !== 'train' && split !== 'test') throw new UsageError(`world sample: --split must be train or test, got "${split}"`);
      if (lang !== 'en' && !world.transducers.has(lang)) {
        throw new UsageError(`world sample: language "${lang}" is not in preset ${preset.name}; it has en, ${world.languages.join(', ')} (change with --set languages=...)`);
      }
      let examples;
      try {
        examples = world.examples(task as TaskId, lang, split, n);
      } catch (e) {
        throw new UsageError(`world sample: ${(e as Error).message}`);
      }
      const text = examples
        .map((e) => [`# ${e.id}${e.relation ? ` (${e.relation}${e.heldOut ? ', held out' : ''})` : ''}`, `instruction: ${e.instruction}`, `input: ${e.input.replace(/\n/g, '\n       ')}`, `output: ${e.output}`].join('\n'))
        .join('\n\n');
      return { value: examples, text };
    }
    if (sub === 'pretrain' && ctx.flags['first-steps'] !== undefined) {
      const n = numberFlag(ctx.flags, 'first-steps', { integer: true, min: 1 }, 'world pretrain')!;
      const backend = await backendFor();
      const spec = baseSpecFromSettings(preset.settings);
      const losses = await pretrainFirstLosses(spec, n, (e) => progressLogger(ctx)({ ...e, phase: 'pretrain' }));
      const committed = readManifest(committedBaseDir(preset.name, preset.settings.modelFamily));
      const match = committed?.configHash === configHash(spec) ? committed : null;
      const text = [
        `first ${losses.length} losses of base ${configHash(spec)} (${preset.name}, ${backend}): ${losses.map((l) => l.toFixed(4)).join(' ')}`,
        match ? `committed ${committedBaseDir(preset.name, preset.settings.modelFamily)} (${match.backend}): ${match.firstLosses.slice(0, n).map((l) => l.toFixed(4)).join(' ')}` : 'no committed base of this description',
      ].join('\n');
      return { value: { configHash: configHash(spec), backend, losses, committed: match ? match.firstLosses.slice(0, n) : null }, text };
    }
    if (sub === 'pretrain') {
      const { store, backend } = { store: new ResultStore(storeDir(ctx, preset)), backend: await backendFor() };
      const out = ctx.flags.out as string | undefined;
      const command = `npx xalign world pretrain --preset ${preset.name}${preset.overridden.length ? ` --set ${preset.overridden.map((k) => `${k}=${JSON.stringify(preset.settings[k])}`).join(',')}` : ''}${out ? ` --out ${out}` : ''}`;
      const spec = baseSpecFromSettings(preset.settings);
      const r = await runPretrain(spec, { store, preset: preset.name, backend, command, onEvent: progressLogger(ctx), log: ctx.log });
      const copied = out ? copyBase(r.modelDir, path.resolve(out)) : [];
      const manifest = readManifest(r.modelDir)!;
      const fc = r.result.metrics['fact-completion'] ?? {};
      const text = [
        `${r.reused ? 'reused' : 'pre-trained'} base model ${manifest.configHash} (${preset.name}, ${manifest.steps} steps on ${manifest.backend}): first losses ${manifest.firstLosses.map((l) => l.toFixed(4)).join(' ')}, final ${manifest.finalLoss.toFixed(4)}`,
        `held-out fact completion, % (continuing the text before the blank, strict / any language; ranking the relation's values by likelihood): ${Object.entries(fc)
          .map(([l, m]) => `${l} ${m.contains!.toFixed(1)} / ${m.containsAny!.toFixed(1)}; ${m.rank?.toFixed(1) ?? 'n/a'}`)
          .join(', ')}`,
        ...(r.result.metrics.copying?.en ? [`copying from context (NLL per token of a passage, then of the same passage again): ${r.result.metrics.copying.en.first!.toFixed(3)} -> ${r.result.metrics.copying.en.second!.toFixed(3)}; a stated fact read back from its passage: ${r.result.metrics.copying.en.contextRecall?.toFixed(1) ?? 'n/a'}%`] : []),
        `model: ${r.modelDir}`,
        ...(copied.length ? [`copied to ${path.resolve(out!)}`] : []),
      ].join('\n');
      return { value: { reused: r.reused, modelDir: r.modelDir, out: out ? path.resolve(out) : undefined, manifest, metrics: r.result.metrics, training: r.result.training }, text };
    }
    throw new UsageError(`world: expected "describe", "sample" or "pretrain", got ${sub === undefined ? 'nothing' : `"${sub}"`}`);
  },
};
