import { ALLOCATION_METHODS, allocateBy, isAllocationMethod, parseBudget, readLawsJson, wholePairs } from '../../allocation';
import { EXPORT_RECIPES, type ExportRecipe, exportRun } from '../../bridge';
import { localRegistry } from '../../data/registry';
import { type Command, type Flags, UsageError } from '../command';
import { pairsFlag, requireFile } from '../inputs';

/** `--allocation METHOD --budget C --laws FILE`: the pairs per language METHOD gives the budget, each language capped at the pairs its corpus has. */
function allocated(flags: Flags, langs: readonly string[], available: Readonly<Record<string, number>>): Record<string, number> {
  const method = String(flags.allocation);
  if (!isAllocationMethod(method)) throw new UsageError(`export run: --allocation must be one of ${ALLOCATION_METHODS.join(', ')}, got "${method}"`);
  if (flags.pairs !== undefined) throw new UsageError('export run: --allocation computes the pairs; leave --pairs out');
  if (flags.budget === undefined || flags.laws === undefined) throw new UsageError('export run: --allocation needs --budget C and --laws FILE.json (e.g. the laws `xalign fit --json` wrote)');
  let budget: number;
  try {
    budget = Math.round(parseBudget(String(flags.budget)));
  } catch (e) {
    throw new UsageError(`export run: ${(e as Error).message}`);
  }
  const file = String(flags.laws);
  requireFile(file, '--laws');
  const read = readLawsJson(file);
  const missing = langs.filter((l) => !read.some((x) => x.language === l));
  if (missing.length) throw new UsageError(`export run: --laws ${file} has no law for ${missing.join(', ')}`);
  const laws = read.filter((l) => langs.includes(l.language)).map((l) => ({ ...l, max: Math.min(l.max, available[l.language]!) }));
  const a = allocateBy(method, laws, budget);
  // every language keeps its count, 0 included: the allocation is the whole answer
  return wholePairs(a, laws);
}

export const command: Command = {
  name: 'export',
  summary: 'write the launch folder of a real multi-GPU run of the recipe (data, script, README)',
  usage: `usage: xalign export run --recipe R --lang zh[,el,...] [--pairs N|LANG=N,...] [--allocation METHOD --budget C --laws FILE.json] [--seed S] --out DIR [--json]

Writes DIR with what a GPU cluster needs to run the paper's recipe at full scale with
the Stanford Alpaca trainer under torchrun and PyTorch FSDP (docs/bridge.md): the
training data as Alpaca JSON under the public code's dataset names and the
'+'-joined specification with slices that selects them (data/dataset_spec.txt), the
test sets (eval/), launch.sh (3 epochs, lr 2e-5, global batch 128 split by the GPU
count, cosine, warm-up 0.03, bf16, length 512; --dry-run prints the split), and a README.

R: en-only, bilingual or bilingual+translation (the recipe). One --lang gives a
bilingual run, several one multilingual run. --pairs: translation pairs per language
(default: every train pair of the built corpus, \`xalign data build\`); --allocation
shares a budget of C pairs by METHOD (${ALLOCATION_METHODS.join(', ')}) under the laws of FILE.`,
  options: {
    recipe: { type: 'string' }, lang: { type: 'string' }, pairs: { type: 'string' }, allocation: { type: 'string' },
    budget: { type: 'string' }, laws: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' },
  },
  async run(ctx) {
    const [sub] = ctx.positionals;
    if (sub !== 'run') throw new UsageError(`export: the subcommand is "run", got ${sub === undefined ? 'none' : `"${sub}"`}`);
    const recipe = ctx.flags.recipe as string | undefined;
    if (!recipe || !(EXPORT_RECIPES as readonly string[]).includes(recipe)) throw new UsageError(`export run: --recipe must be one of ${EXPORT_RECIPES.join(', ')}, got ${recipe === undefined ? 'none' : `"${recipe}"`}`);
    const langs = String(ctx.flags.lang ?? '').split(',').map((l) => l.trim()).filter(Boolean);
    if (langs.length === 0) throw new UsageError('export run: --lang is required (e.g. --lang zh or --lang zh,el)');
    const out = ctx.flags.out as string | undefined;
    if (!out) throw new UsageError('export run: --out DIR is required');
    const seed = ctx.flags.seed === undefined ? 1 : Number(ctx.flags.seed);
    if (!Number.isInteger(seed)) throw new UsageError(`export run: --seed must be an integer, got "${ctx.flags.seed}"`);
    const registry = localRegistry();
    if (recipe !== 'bilingual+translation' && (ctx.flags.pairs !== undefined || ctx.flags.allocation !== undefined)) throw new UsageError(`export run: recipe ${recipe} has no translation task; --pairs and --allocation go with bilingual+translation`);
    let pairs: Parameters<typeof exportRun>[0]['pairs'];
    if (ctx.flags.allocation !== undefined) {
      // the allocation is computed once the corpus is read, each language capped at its pairs
      pairs = (available) => allocated(ctx.flags, langs, available);
    } else if (ctx.flags.budget !== undefined || ctx.flags.laws !== undefined) throw new UsageError('export run: --budget and --laws go with --allocation METHOD');
    else {
      const p = pairsFlag(ctx.flags, 'export run');
      pairs = typeof p === 'number' ? Object.fromEntries(langs.map((l) => [l, p])) : p;
    }
    const command = `npx xalign export run ${process.argv.slice(process.argv.indexOf('run') + 1).join(' ')}`;
    let r;
    try {
      r = exportRun({ recipe: recipe as ExportRecipe, langs, pairs, registry, out, seed, command });
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(e.message);
      throw e;
    }
    const text = [
      `wrote ${r.dir} (${r.files.length} files)`,
      `  spec: ${r.spec}`,
      ...(r.missing.length ? [`  to supply before the run: ${r.missing.map((m) => `data/${m}.json`).join(', ')} (see its README.md)`] : []),
      `  start it on the GPU machine: MODEL=... ALPACA=... bash ${r.dir}/launch.sh   (--dry-run prints the batch split)`,
    ].join('\n');
    return { value: r, text };
  },
};
