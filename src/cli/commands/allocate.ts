import { ALLOCATION_METHODS, allocateBy, byLanguage, isAllocationMethod, parseBudget, readLawsJson } from '../../allocation';
import { type Command, UsageError } from '../command';
import { numberFlag, requireFile, requireUtf8 } from '../inputs';

export const command: Command = {
  name: 'allocate',
  summary: 'share a budget of translation pairs between languages',
  usage: `usage: xalign allocate --laws FILE.json --budget C [--method optimal|uniform|proportional|temperature|unimax] [--tau T] [--json]

Maximises the mean predicted score (1/n) sum_i g_i(X_i), g_i(X) = 100 - alpha_i (gamma_i X)^-beta_i,
subject to sum X_i = C and 0 <= X_i <= max_i (paper Section 3.3), or applies a baseline:
  optimal       exact KKT optimum (equal marginal gains; bisection on the multiplier)  [default]
  uniform       C/n each, capped at max; the leftover stays unused (paper Table 3)
  proportional  proportional to max (the available data)
  temperature   shares proportional to (max_i / sum max)^(1/T), capped (--tau T, default 3.33)
  unimax        UniMax (Chung et al., 2023) with one epoch per language

FILE.json: [{"language","alpha","beta","gamma","max"}] (e.g. data/examples/laws.json).
C: a number of pairs, e.g. 1200000, 1.2e6, 1.2M or 1200k.
--json prints {"method","allocation":{"<language>":X},"objective","marginal":{"<language>":g'}}
(null for an infinite objective or marginal, e.g. at C = 0). Degenerate cases are
reported on stderr.`,
  options: {
    laws: { type: 'string' },
    budget: { type: 'string' },
    method: { type: 'string', default: 'optimal' },
    tau: { type: 'string' },
  },
  async run(ctx) {
    const file = ctx.flags.laws as string | undefined;
    const budgetText = ctx.flags.budget as string | undefined;
    const method = ctx.flags.method as string;
    if (!file) throw new UsageError('allocate: --laws FILE.json is required');
    if (budgetText === undefined) throw new UsageError('allocate: --budget C is required');
    if (!isAllocationMethod(method)) throw new UsageError(`allocate: --method must be one of ${ALLOCATION_METHODS.join(', ')}; got "${method}"`);
    if (ctx.flags.tau !== undefined && method !== 'temperature') throw new UsageError('allocate: --tau applies only to --method temperature');
    let budget: number;
    try {
      budget = parseBudget(budgetText);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const tau = numberFlag(ctx.flags, 'tau', { min: 0, minExclusive: true }, 'allocate');
    requireFile(file, '--laws');
    requireUtf8(file, '--laws');
    const laws = readLawsJson(file);
    const result = allocateBy(method, laws, budget, tau);
    for (const note of result.notes) ctx.log(`allocate: ${note}`);
    const value = {
      method,
      allocation: byLanguage(result.languages, result.x),
      objective: result.objective,
      marginal: byLanguage(result.languages, result.marginal),
    };
    const lines = [
      `method ${result.method}, budget ${budget}, used ${Math.round(result.used)}, mean predicted score ${result.objective.toFixed(4)}`,
      `${'language'.padEnd(10)} ${'pairs'.padStart(12)}  ${'marginal gain'.padStart(14)}`,
      ...result.languages.map(
        (l, i) =>
          `${l.padEnd(10)} ${Math.round(result.x[i]!).toString().padStart(12)}  ${result.marginal[i]!.toExponential(4).padStart(14)}${result.capped.includes(l) ? '  (at max)' : ''}`,
      ),
    ];
    return { value, text: lines.join('\n') };
  },
};
