import { reproduce, selectNotebooks } from '../../report/reproduce';
import { presetFromFlags } from '../../session';
import { type Command, UsageError } from '../command';
import { numberFlag, presetFlags } from '../inputs';

export const command: Command = {
  name: 'reproduce',
  summary: 'run the notebooks and write the report',
  usage: `usage: xalign reproduce [--preset NAME] [--set key=value ...] [--only NOTEBOOK ...]
                        [--out DIR] [--cell-timeout SECONDS] [--fail-fast] [--json]

Executes every notebook in notebooks/ in name order, headless, each in a fresh
tslab kernel, on the preset given by --preset or PRESET (default classroom). Writes
the executed notebooks, one HTML page each and out/index.html. Exits 1 if any cell
failed, after printing that cell's source and stderr.

  --only NOTEBOOK      run just these (name like 00-setup, or a path); repeatable;
                       runs them even on a preset their metadata skips
  --out DIR            output folder (default out/)
  --cell-timeout S     default per-cell limit in seconds (600); a cell may set its
                       own in its metadata: {"xalign": {"timeout": S}}
  --set key=value      preset overrides, as XALIGN_SET; repeatable`,
  options: {
    preset: { type: 'string' },
    set: { type: 'string', multiple: true },
    only: { type: 'string', multiple: true },
    out: { type: 'string' },
    'cell-timeout': { type: 'string' },
    'fail-fast': { type: 'boolean', default: false },
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`reproduce takes no positional arguments (got ${ctx.positionals.join(' ')}); use --only`);
    const cellTimeout = numberFlag(ctx.flags, 'cell-timeout', { min: 0, minExclusive: true }, 'reproduce');
    presetFromFlags(presetFlags(ctx.flags)); // PRESET or --preset, XALIGN_SET and --set checked here, each error naming its source
    const only = ctx.flags.only as string[] | undefined;
    const sets = ctx.flags.set as string[] | undefined;
    const report = await reproduce({
      notebooks: only ? selectNotebooks(only) : undefined,
      outDir: ctx.flags.out as string | undefined,
      preset: ctx.flags.preset as string | undefined,
      set: sets ? [process.env.XALIGN_SET, ...sets].filter(Boolean).join(',') : undefined,
      cellTimeout,
      failFast: ctx.flags['fail-fast'] === true,
      force: only !== undefined,
      log: ctx.log,
    });
    const failed = report.results.filter((r) => !r.ok).map((r) => r.notebook);
    const skipped = report.results.filter((r) => r.skipped).length;
    const text = report.ok
      ? `${report.results.length - skipped} notebooks ran${skipped ? `, ${skipped} skipped on this preset` : ''}; report: ${report.index}`
      : `FAILED: ${failed.join(', ')}; report: ${report.index}`;
    return { value: report, text, exitCode: report.ok ? 0 : 1 };
  },
};
