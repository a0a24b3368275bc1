/**
 * The shape of an `xalign` subcommand. Commands are thin: they parse flags, call the
 * same library functions the notebooks call, and return a result object. The CLI
 * prints `format(result)` for people, or the result as JSON with `--json`.
 */

import type { ParseArgsConfig } from 'node:util';

export type Flags = Record<string, string | boolean | string[] | undefined>;

export interface CommandContext {
  /** Positional arguments after the subcommand name. */
  positionals: string[];
  flags: Flags;
  json: boolean;
  /** Progress and diagnostics (stderr), never mixed with results on stdout. */
  log: (line: string) => void;
}

export interface CommandResult {
  /** Process exit code (default 0). */
  exitCode?: number;
  /** The machine-readable result (what --json prints). */
  value: unknown;
  /** The human-readable rendering (what is printed without --json). */
  text?: string;
}

export interface Command {
  name: string;
  /** One line for `xalign --help`. */
  summary: string;
  /** Usage text for `xalign NAME --help`. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(ctx: CommandContext): Promise<CommandResult>;
}

/** A mistake in how a command was called (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
