/**
 * `xalign`: the command-line entry. Usage: `npx xalign COMMAND [options] [--json]`.
 *
 * Conventions every subcommand follows:
 * - results go to stdout; progress and diagnostics to stderr;
 * - `--json` prints the result as one JSON document (errors too, as {"error": {...}});
 * - exit 0 on success, 1 when the work failed, 2 for a usage error.
 * Subcommands live in src/cli/commands/ and are loaded only when called, so that
 * `xalign version` does not pay for TensorFlow.js.
 */

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { type Command, type CommandContext, UsageError } from './command';

/** Registered subcommands, loaded lazily. Later parts of the project add theirs here. */
const COMMANDS: Record<string, { summary: string; load: () => Command }> = {
  version: { summary: 'print versions of xalign and its runtime', load: () => require('./commands/version').command },
  presets: { summary: 'list presets and their settings, or show one', load: () => require('./commands/presets').command },
  backend: { summary: 'pick the TensorFlow.js backend and say why', load: () => require('./commands/backend').command },
  reproduce: {
    summary: 'run the notebooks headless and write the HTML report to out/',
    load: () => require('./commands/reproduce').command,
  },
  lab: { summary: 'start Jupyter Notebook with the project kernel', load: () => require('./commands/lab').command },
  notebooks: {
    summary: 'check or strip outputs of the committed notebooks',
    load: () => require('./commands/notebooks').command,
  },
  score: {
    summary: 'score hypotheses: bleu, chrf, chrf++, rouge, em, contains (as sacrebleu, rouge-score, MLQA)',
    load: () => require('./commands/score').command,
  },
  significance: {
    summary: 'paired bootstrap / approximate randomisation between two systems, with 95% CIs',
    load: () => require('./commands/significance').command,
  },
  fit: { summary: 'fit the scaling law per language to measured points (CSV)', load: () => require('./commands/fit').command },
  similarity: {
    summary: 'language similarity gamma from two .npy representation matrices',
    load: () => require('./commands/similarity').command,
  },
  represent: {
    summary: 'sentence representations: exact PCA of a .npy matrix, alignment of two languages layer by layer',
    load: () => require('./commands/represent').command,
  },
  allocate: {
    summary: 'share a budget of translation pairs between languages',
    load: () => require('./commands/allocate').command,
  },
  data: { summary: 'build the offline corpus; stats, summaries, specs, mixtures', load: () => require('./commands/data').command },
  world: {
    summary: 'describe the miniature multilingual world, or print examples of its tasks',
    load: () => require('./commands/world').command,
  },
  export: { summary: 'write the launch folder of a real multi-GPU run of the recipe (data, script, README)', load: () => require('./commands/export').command },
  explore: { summary: 'a new language end to end: gamma, its scaling law, pairs for a target, its share of a budget', load: () => require('./commands/explore').command },
  ingest: { summary: 'read back what a real run produced: a scores table or a folder of predictions', load: () => require('./commands/ingest').command },
  plan: { summary: 'what a preset trains before it trains: runs, token slots, FLOP, and hours at a measured speed', load: () => require('./commands/plan').command },
  experiment: { summary: 'run, list and export the instruction-tuning runs of notebooks 02 and 05', load: () => require('./commands/experiment').command },
  train: { summary: 'train a laboratory model from a JSON run file', load: () => require('./commands/train').command },
  generate: { summary: 'continue prompts with a trained model', load: () => require('./commands/generate').command },
  bench: { summary: 'benchmark training speed (tfjs and PyTorch side by side)', load: () => require('./commands/bench').command },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    'xalign: reproduce "Extrapolating LLMs to Non-English by Aligning Languages" in miniature',
    '',
    'usage: npx xalign COMMAND [options] [--json]',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`),
    '',
    'common options:',
    '  --json     print the result as JSON on stdout',
    '  --help     show help (also: xalign COMMAND --help)',
    '',
    'environment: PRESET (smoke|classroom|paper), XALIGN_SET (key=value,...), XALIGN_BACKEND',
  ].join('\n');
}

/** A negative number as an option's value: "-5", "-0.5", "-.5", "-1e3", "-5k". */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * Joins an option that takes a value with a following negative number ("--budget -5",
 * "-n -1") into one "--name=-5" argument, and turns "-n=-1" into "--n=-1".
 * node's parseArgs refuses the first as ambiguous and reads "=-1" as the value of the
 * second; joined, the value reaches the option's own check, which names the option and
 * its range. Arguments after "--" are left alone.
 */
export function attachNegativeValues(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const takesValue = (name: string) => Object.hasOwn(options, name) && options[name]!.type === 'string';
  const longOf = (short: string) => Object.keys(options).find((k) => options[k]!.short === short);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return [...out, ...args.slice(i)];
    const shortEq = /^-([A-Za-z])=(.*)$/s.exec(a);
    const shortName = shortEq ? longOf(shortEq[1]!) : undefined;
    if (shortName !== undefined && takesValue(shortName)) {
      out.push(`--${shortName}=${shortEq![2]}`);
      continue;
    }
    const name = a.startsWith('--') ? a.slice(2) : /^-[A-Za-z]$/.test(a) ? longOf(a[1]!) : undefined;
    if (name !== undefined && takesValue(name) && NEGATIVE_NUMBER.test(args[i + 1] ?? '')) out.push(`--${name}=${args[++i]}`);
    else out.push(a);
  }
  return out;
}

function printError(err: unknown, json: boolean): void {
  const e = err instanceof Error ? err : new Error(String(err));
  if (json) process.stdout.write(JSON.stringify({ error: { name: e.name, message: e.message } }) + '\n');
  process.stderr.write(`xalign: ${e.message}\n`);
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const json = argv.includes('--json');
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp() + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') return main(['version', ...rest]);
  const entry = COMMANDS[name];
  if (!entry) {
    printError(new UsageError(`unknown command "${name}"; run \`xalign --help\` for the list`), json);
    return 2;
  }
  const command = entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage.trimEnd() + '\n');
    return 0;
  }
  let ctx: CommandContext;
  try {
    const options: NonNullable<ParseArgsConfig['options']> = { ...command.options, json: { type: 'boolean', default: false } };
    const parsed = parseArgs({
      args: attachNegativeValues(rest, options),
      options,
      allowPositionals: true,
      strict: true,
    });
    ctx = {
      positionals: parsed.positionals,
      flags: parsed.values as CommandContext['flags'],
      json,
      log: (line) => process.stderr.write(line + '\n'),
    };
  } catch (e) {
    printError(new UsageError(`${name}: ${(e as Error).message}\n\n${command.usage.trimEnd()}`), json);
    return 2;
  }
  try {
    const result = await command.run(ctx);
    if (json) process.stdout.write(JSON.stringify(result.value, null, 2) + '\n');
    else if (result.text !== undefined) process.stdout.write(result.text.trimEnd() + '\n');
    return result.exitCode ?? 0;
  } catch (e) {
    printError(e, json);
    return e instanceof UsageError ? 2 : 1;
  }
}
