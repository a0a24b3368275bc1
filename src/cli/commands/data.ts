import * as path from 'node:path';
import { buildCorpus } from '../../data/corpus/build';
import { corpusStats } from '../../data/corpus/stats';
import { buildMixture, recordsFromSpec, writeMixture } from '../../data/mixture';
import { type AlpacaRecord, writeAlpaca } from '../../data/records';
import { applySlice, dataRoot, loadInstructions, localRegistry, resolveDatasetSpec } from '../../data/registry';
import { summariseParallel } from '../../data/summary';
import { type Command, UsageError } from '../command';
import { numberFlag, SEED_RANGE } from '../inputs';

const USAGE = `usage: xalign data SUBCOMMAND [options] [--json]

subcommands:
  build [--lang zh,tr] [--force] [--no-apt]
        build the offline English-X corpus into data/cache/corpus/ (incremental);
        a language outside the six (--lang ka) is built on its own, from Debian's
        packages in that language, with its manifest in its own folder
  stats                       pairs, lengths, ratios and scripts of the built corpus
  list                        datasets a specification can name (built corpus, data/opus, data/alpaca)
  summarise SRC TGT [--skip-invalid]
                              stream a line-aligned pair of files and summarise it
  spec SPEC --out FILE        write the records of a dataset specification as Alpaca JSON,
                              e.g. 'alpaca_en+translation_xalign_en-zh[0:1000]'
  mix --lang zh,tr --pairs N [--instructions SPEC --per-lang M] [--out DIR] [--name NAME] [--seed S]
                              a mixture as Alpaca JSON + manifest: the first N train pairs per
                              language as translation instructions, plus M instruction records
                              per language from SPEC (e.g. alpaca_en+alpaca_zh)

environment: XALIGN_DATA_DIR (default ./data)`;

export const command: Command = {
  name: 'data',
  summary: 'build the offline corpus; stats, summaries, dataset specs and mixtures',
  usage: USAGE,
  options: {
    lang: { type: 'string' },
    force: { type: 'boolean', default: false },
    'no-apt': { type: 'boolean', default: false },
    'skip-invalid': { type: 'boolean', default: false },
    out: { type: 'string' },
    name: { type: 'string' },
    pairs: { type: 'string' },
    seed: { type: 'string' },
    instructions: { type: 'string' },
    'per-lang': { type: 'string' },
  },
  async run(ctx) {
    const [sub, ...args] = ctx.positionals;
    const langs = typeof ctx.flags.lang === 'string' ? ctx.flags.lang.split(/[,+]/).filter(Boolean) : undefined;
    if (langs !== undefined && langs.length === 0) throw new UsageError(`data: --lang must name at least one language (e.g. zh,tr), got "${String(ctx.flags.lang)}"`);
    switch (sub) {
      case 'build': {
        const t0 = Date.now();
        const m = await buildCorpus({
          ...(langs ? { languages: langs } : {}),
          force: ctx.flags.force === true,
          ...(ctx.flags['no-apt'] === true ? { apt: false } : {}),
          log: (l) => ctx.log(`[data] ${l}`),
        });
        const rows = Object.values(m.languages).map(
          (l) => `  en-${l.lang}: train ${l.splits.train}, dev ${l.splits.dev}, test ${l.splits.test}, udhr ${l.splits.udhr}`,
        );
        const text = [`corpus in ${path.join(dataRoot(), 'cache', 'corpus')} (${((Date.now() - t0) / 1000).toFixed(1)} s)`, ...rows, ...m.notes.map((n) => `note: ${n}`)].join('\n');
        return { value: m, text };
      }
      case 'stats': {
        const s = corpusStats();
        if (!s.built) {
          return {
            value: s,
            text: `no corpus built in ${s.root}: run \`npx xalign data build\``,
            exitCode: 1,
          };
        }
        const rows = Object.entries(s.languages).map(([l, sp]) => {
          const tr = sp.train;
          return `  en-${l}: ${(['train', 'dev', 'test', 'udhr'] as const).map((k) => `${k} ${sp[k]?.pairs ?? 0}`).join(', ')}` +
            (tr ? `; mean chars en ${tr.src.meanChars.toFixed(1)} / ${l} ${tr.tgt.meanChars.toFixed(1)}, ratio ${tr.meanCharRatio.toFixed(2)}` : '');
        });
        return { value: s, text: [`corpus in ${s.root}`, ...rows].join('\n') };
      }
      case 'list': {
        const reg = localRegistry();
        const value = [...reg.values()].map((d) => ({ name: d.name, kind: d.kind, note: d.note, files: d.files }));
        return { value, text: value.length ? value.map((d) => `  ${d.name.padEnd(36)} ${d.kind.padEnd(11)} ${d.note}`).join('\n') : 'no local datasets: run `npx xalign data build`' };
      }
      case 'summarise': {
        if (args.length !== 2) throw new UsageError(`data summarise needs two files (SRC TGT)\n\n${USAGE}`);
        const t0 = Date.now();
        const s = summariseParallel(args[0]!, args[1]!, { invalid: ctx.flags['skip-invalid'] ? 'skip' : 'error' });
        const sec = (Date.now() - t0) / 1000;
        return {
          value: { ...s, seconds: sec },
          text: `${s.pairs} pairs (${s.skippedInvalid} skipped), mean chars ${s.src.meanChars.toFixed(1)} / ${s.tgt.meanChars.toFixed(1)}, ` +
            `mean tokens ${s.src.meanTokens.toFixed(1)} / ${s.tgt.meanTokens.toFixed(1)}, ratio ${s.meanCharRatio.toFixed(2)}, ` +
            `scripts ${Object.entries(s.tgtScripts).map(([k, v]) => `${k} ${(100 * v).toFixed(0)}%`).join(' ')}; ${sec.toFixed(2)} s`,
        };
      }
      case 'spec': {
        if (args.length !== 1 || typeof ctx.flags.out !== 'string') throw new UsageError(`data spec needs SPEC and --out FILE\n\n${USAGE}`);
        const recs = recordsFromSpec(args[0]!, localRegistry());
        writeAlpaca(ctx.flags.out, recs);
        return { value: { spec: args[0], records: recs.length, file: ctx.flags.out }, text: `${recs.length} records -> ${ctx.flags.out}` };
      }
      case 'mix': {
        if (!langs || typeof ctx.flags.pairs !== 'string') throw new UsageError(`data mix needs --lang and --pairs\n\n${USAGE}`);
        const n = numberFlag(ctx.flags, 'pairs', { integer: true, min: 0 }, 'data mix')!;
        const perLang = numberFlag(ctx.flags, 'per-lang', { integer: true, min: 0 }, 'data mix') ?? 0;
        const seed = numberFlag(ctx.flags, 'seed', SEED_RANGE, 'data mix') ?? 1;
        if (ctx.flags['per-lang'] !== undefined && typeof ctx.flags.instructions !== 'string') {
          throw new UsageError('data mix: --per-lang counts records of --instructions SPEC, which is missing');
        }
        const reg = localRegistry();
        const translation = Object.fromEntries(
          langs.map((l) => [l, recordsFromSpec(`translation_xalign_en-${l}[0:${n}]`, reg).map((r) => ({ src: r.input, tgt: r.output }))]),
        );
        const instructions: Record<string, AlpacaRecord[]> = {};
        const sources: Record<string, string> = Object.fromEntries(langs.map((l) => [`translation en-${l}`, `translation_xalign_en-${l}[0:${n}]`]));
        if (typeof ctx.flags.instructions === 'string') {
          for (const item of resolveDatasetSpec(ctx.flags.instructions, reg)) {
            if (item.dataset.kind !== 'instruction') throw new UsageError(`--instructions: ${item.dataset.name} is not an instruction dataset`);
            (instructions[item.dataset.lang] ??= []).push(...applySlice(loadInstructions(item.dataset), item));
            sources[`instructions ${item.dataset.lang}`] = item.dataset.name;
          }
        }
        const mix = buildMixture({
          languages: langs,
          translation,
          instructions,
          translationSizes: n,
          instructionSizes: Object.fromEntries(Object.keys(instructions).map((l) => [l, perLang])),
          seed,
          onShort: 'cap',
          sources,
        });
        const dir = typeof ctx.flags.out === 'string' ? ctx.flags.out : path.join('out', 'data');
        const file = writeMixture(dir, typeof ctx.flags.name === 'string' ? ctx.flags.name : `mix_${langs.join('-')}_${n}`, mix);
        return { value: { file, manifest: mix.manifest }, text: `${mix.records.length} records -> ${file}` };
      }
      default:
        throw new UsageError(sub ? `unknown data subcommand "${sub}"\n\n${USAGE}` : USAGE);
    }
  },
};
