import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALLOCATION_METHODS, isAllocationMethod, parseBudget, readLawsJson } from '../../allocation';
import {
  ALL_LANGUAGES, CONDITION_DEFS, CONDITIONS, committedBaseDir, type Condition, conditionDef, type ExperimentResult, isCondition, labAllocations, labAvailablePairs, labLaws,
  ResultStore, runTune, tuneCommand, tuneSpecFromSettings,
} from '../../experiments';
import type { Settings } from '../../config/presets';
import { fitLawsByLanguage } from '../../scaling/fit';
import { readPointsCsv } from '../../scaling/points-csv';
import { presetFromFlags, sessionFromFlags } from '../../session';
import { readLanguageFile } from '../../world/language-file';
import { type Command, UsageError } from '../command';
import { numberFlag, pairsFlag, presetFlags, requireFile, requireUtf8, SEED_RANGE } from '../inputs';
import { progressLogger, SHARED_OPTIONS, storeDir } from './experiment-shared';


/**
 * `--allocation METHOD [--budget C] [--laws FILE]`: the pairs per lab language that METHOD
 * gives a budget of C pairs (default allocationBudget) under the laws of FILE (the format
 * of \`xalign allocate\`), or else under the laws fitted to the scaling series that
 * notebook 02 wrote to STORE/scaling-points.csv, each language capped at its available
 * pairs (notebook 05).
 */
function allocationPairs(flags: Record<string, unknown>, s: Settings, store: string): { pairs: Record<string, number>; text: string } | undefined {
  const method = flags.allocation as string | undefined;
  if (method === undefined) {
    if (flags.budget !== undefined || flags.laws !== undefined) throw new UsageError('experiment run: --budget and --laws go with --allocation METHOD');
    return undefined;
  }
  if (!isAllocationMethod(method)) throw new UsageError(`experiment run: --allocation must be one of ${ALLOCATION_METHODS.join(', ')}, got "${method}"`);
  if (flags.pairs !== undefined) throw new UsageError('experiment run: --allocation computes the pairs; leave --pairs out');
  let budget = s.allocationBudget;
  if (flags.budget !== undefined) {
    try {
      budget = Math.round(parseBudget(String(flags.budget)));
    } catch (e) {
      throw new UsageError(`experiment run: ${(e as Error).message}`);
    }
    if (budget < 1) throw new UsageError(`experiment run: --budget must be at least one pair, got "${String(flags.budget)}"`);
  }
  let laws;
  const lawsFile = flags.laws as string | undefined;
  const available = labAvailablePairs(s);
  if (lawsFile !== undefined) {
    requireFile(lawsFile, '--laws');
    requireUtf8(lawsFile, '--laws');
    const read = readLawsJson(lawsFile);
    const names = read.map((l) => l.language);
    const outside = names.filter((l) => !s.labLanguages.includes(l));
    const missing = s.labLanguages.filter((l) => !names.includes(l));
    if (outside.length || missing.length) {
      throw new UsageError(`experiment run: --laws ${lawsFile} must give one law for each lab language (${s.labLanguages.join(', ')})${outside.length ? `; not a lab language: ${outside.join(', ')}` : ''}${missing.length ? `; missing: ${missing.join(', ')}` : ''}`);
    }
    // each language capped at the pairs it has, as in notebook 05
    laws = read.map((l) => ({ ...l, max: Math.min(l.max, available[l.language]!) }));
  } else {
    const points = path.join(store, 'scaling-points.csv');
    if (!fs.existsSync(points)) throw new UsageError(`experiment run: --allocation needs laws: ${points} does not exist (notebook 02 writes it; or give --laws FILE.json)`);
    laws = labLaws(fitLawsByLanguage(readPointsCsv(points), { context: points }), available, s.labLanguages);
  }
  const [a] = labAllocations(laws, budget, [method]);
  const text = `${method} allocation of ${budget} pairs: ${Object.entries(a!.pairs).map(([l, n]) => `${l} ${n}`).join(', ')} (laws: ${lawsFile ?? 'fitted to the store\'s scaling series'})`;
  return { pairs: a!.pairs, text };
}

/** One line per task and language: metric=value pairs. */
export function metricsText(r: ExperimentResult): string[] {
  const out: string[] = [];
  for (const [task, byLang] of Object.entries(r.metrics)) {
    for (const [lang, m] of Object.entries(byLang)) {
      out.push(`  ${task.padEnd(14)} ${lang.padEnd(4)} ${Object.entries(m).map(([k, v]) => `${k} ${v.toFixed(1)}`).join('  ')}`);
    }
  }
  return out;
}

export const command: Command = {
  name: 'experiment',
  summary: 'run, list and export the instruction-tuning runs of notebooks 02 and 05',
  usage: `usage: xalign experiment run --condition C|all [--lang X | --language FILE.json] [--seed N] [--pairs N|LANG=N,...] [--steps N] [--real] [--base DIR] [--preset P] [--set k=v] [--store DIR] [--json]
       xalign experiment run --condition multilingual --allocation METHOD [--budget C] [--laws FILE.json] [--seed N] ...
       xalign experiment list [--store DIR] [--json]
       xalign experiment export [--store DIR] [--csv FILE] [--out FILE]

run: instruction-tunes the preset's base model (pre-trained first if the store lacks
it; a committed data/world/base-PRESET, or --base DIR, is used when its manifest's config
hash matches) for language X (default: the preset's first language; --language FILE.json:
a language of your own, which the base never saw, docs/new-language.md) in condition C:
${CONDITIONS.join(', ')} (all: the three in turn), or multilingual (one model for
the lab languages (labLanguages): instructions in English and each language, pairs
for each; its --lang is "${ALL_LANGUAGES}" and may be left out; --pairs zh=300,tr=100
gives each language its own count; --allocation METHOD (${ALLOCATION_METHODS.join(', ')})
shares a budget of --budget C pairs, default allocationBudget, by that method under the
laws of --laws FILE.json, or by default the laws fitted to STORE/scaling-points.csv,
each language capped at its available pairs), with tuneSteps steps (--steps N: N
steps) in every condition (--pairs: English-X translation pairs of the recipe, default
worldTranslationPairs; a point of notebook 02's scaling series; --real: the pairs
come from the real corpus of \`xalign data build\` and the real test split is scored
too), and evaluates translation (chrF, BLEU), qa and knowledge (EM and contains,
strict and any-language), summarization (ROUGE) in X and English. Results go to the
store (--store, default out/experiments/PRESET) under the config hash of the condition;
a stored result is reused, a killed run resumes from its last checkpoint.

list: the stored results. export: all results as CSV (one row per result, task,
language and metric; default STORE/results.csv) and JSON (default STORE/results.json).`,
  options: {
    ...SHARED_OPTIONS,
    condition: { type: 'string' },
    lang: { type: 'string' },
    language: { type: 'string' },
    seed: { type: 'string' },
    pairs: { type: 'string' },
    steps: { type: 'string' },
    allocation: { type: 'string' },
    budget: { type: 'string' },
    laws: { type: 'string' },
    real: { type: 'boolean' },
    base: { type: 'string' },
    csv: { type: 'string' },
    out: { type: 'string' },
  },
  async run(ctx) {
    const [sub] = ctx.positionals;
    const preset = presetFromFlags(presetFlags(ctx.flags));
    const store = new ResultStore(storeDir(ctx, preset));
    if (sub === 'run') {
      const c = ctx.flags.condition as string | undefined;
      if (!c || (c !== 'all' && !isCondition(c))) throw new UsageError(`experiment run: --condition must be one of ${Object.keys(CONDITION_DEFS).join(', ')} or all, got ${c === undefined ? 'nothing' : `"${c}"`}`);
      const everyLanguage = c !== 'all' && conditionDef(c).scope === 'all';
      const languageFile = ctx.flags.language as string | undefined;
      if (languageFile !== undefined) {
        if (everyLanguage) throw new UsageError(`experiment run: --language FILE defines one language; --condition ${c} trains every preset language`);
        if (ctx.flags.real === true) throw new UsageError('experiment run: --real takes pairs from the real corpus; a language file has none');
        requireFile(languageFile, '--language');
      }
      const language = languageFile !== undefined ? readLanguageFile(languageFile) : undefined;
      if (language && ctx.flags.lang !== undefined && ctx.flags.lang !== language.code) throw new UsageError(`experiment run: --lang "${String(ctx.flags.lang)}" differs from the code "${language.code}" that ${languageFile} defines; leave --lang out`);
      const lang = language?.code ?? (ctx.flags.lang as string | undefined) ?? (everyLanguage ? ALL_LANGUAGES : preset.settings.languages[0]!);
      if (everyLanguage && lang !== ALL_LANGUAGES) throw new UsageError(`experiment run: --condition ${c} trains one model for every preset language; leave --lang out (or --lang ${ALL_LANGUAGES}), got "${lang}"`);
      if (!language && !everyLanguage && !preset.settings.languages.includes(lang)) throw new UsageError(`experiment run: --lang "${lang}" is not in preset ${preset.name} (${preset.settings.languages.join(', ')}); a language of your own is --language FILE.json`);
      const seed = numberFlag(ctx.flags, 'seed', SEED_RANGE, 'experiment run') ?? preset.settings.seed;
      if (ctx.flags.allocation !== undefined && !everyLanguage) throw new UsageError(`experiment run: --allocation shares pairs among languages; it needs --condition multilingual, got ${c}`);
      const allocated = allocationPairs(ctx.flags, preset.settings, store.root);
      if (allocated) ctx.log(`experiment run: ${allocated.text}`);
      const pairs = allocated?.pairs ?? pairsFlag(ctx.flags, 'experiment run');
      const steps = numberFlag(ctx.flags, 'steps', { integer: true, min: 1 }, 'experiment run');
      const base = ctx.flags.base as string | undefined;
      if (base !== undefined && !fs.existsSync(base)) throw new UsageError(`experiment run: --base: no such folder: ${base}`);
      const baseDir = base ?? (fs.existsSync(committedBaseDir(preset.name, preset.settings.modelFamily)) ? committedBaseDir(preset.name, preset.settings.modelFamily) : undefined);
      const backend = (await sessionFromFlags('experiment', presetFlags(ctx.flags))).backend.name;
      const conditions: Condition[] = c === 'all' ? [...CONDITIONS] : [c as Condition];
      const results: { reused: boolean; result: ExperimentResult }[] = [];
      for (const condition of conditions) {
        const spec = tuneSpecFromSettings(preset.settings, { lang, condition, seed, translationPairs: pairs, real: ctx.flags.real === true, ...(steps !== undefined ? { steps } : {}), ...(language ? { language } : {}) });
        const command = tuneCommand(preset, spec, languageFile);
        const r = await runTune(spec, { store, preset: preset.name, backend, command, baseDir: baseDir && path.resolve(baseDir), onEvent: progressLogger(ctx), log: ctx.log });
        results.push({ reused: r.reused, result: r.result });
      }
      const text = results
        .flatMap(({ reused, result }) => [
          `${result.label} [${result.provenance.configHash}] ${reused ? '(stored result reused)' : result.extra?.trainedBy ? `(tested on the model of stored run ${String(result.extra.trainedBy)}, which trained the same data; not trained again)` : `(${result.extra?.continued ? `${(result.extra.continued as { steps: number }).steps} steps of continued pre-training, then ` : ''}${result.training.steps} steps, ${result.training.seconds.toFixed(1)} s on ${result.provenance.backend})`}`,
          ...metricsText(result),
        ])
        .concat([`store: ${store.root}`])
        .join('\n');
      return { value: results.length === 1 ? results[0] : results, text };
    }
    if (sub === 'list') {
      const all = store.list();
      return { value: all, text: all.map((r) => `${r.provenance.configHash}  ${r.kind.padEnd(8)} ${r.label}  (${r.provenance.preset}, ${r.provenance.backend}, ${r.provenance.time})`).join('\n') || `no results in ${store.root}` };
    }
    if (sub === 'export') {
      if (store.list().length === 0) throw new Error(`experiment export: no results in ${store.root} (--store); nothing to export`);
      const csv = store.exportCsv(path.resolve((ctx.flags.csv as string | undefined) ?? path.join(store.root, 'results.csv')));
      const json = store.exportJson(path.resolve((ctx.flags.out as string | undefined) ?? path.join(store.root, 'results.json')));
      return { value: { csv, json, results: store.list().length }, text: `wrote ${csv}\nwrote ${json}` };
    }
    throw new UsageError(`experiment: expected "run", "list" or "export", got ${sub === undefined ? 'nothing' : `"${sub}"`}`);
  },
};
