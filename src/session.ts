/**
 * A session: what one notebook or one CLI command runs under. It resolves the preset
 * (PRESET or --preset, then XALIGN_SET, then --set), seeds the random stream, picks the
 * TensorFlow.js backend and builds the provenance record that figures and results carry.
 *
 * This module is the one place where a preset is resolved for a run: notebooks reach it
 * through `src/notebook/` (which adds display and calls {@link createSession}); every
 * CLI command calls {@link presetFromFlags} (settings only) or {@link sessionFromFlags}
 * (settings and backend), never `resolvePreset` or `selectBackend` itself.
 */

import type { BackendChoice } from './backend';
import {
  parseOverrides, PRESET_NAMES, type ResolvedPreset, resolvePreset, type Settings, SettingsError,
} from './config/presets';
import { writeJsonAtomic } from './io/atomic';
import { gitCommit, notebookCommand, type Provenance, runtimeVersions } from './provenance';
import { Rng } from './random/rng';

export interface Session {
  /** Notebook or command name, e.g. "00-setup". */
  name: string;
  preset: ResolvedPreset;
  settings: Settings;
  /** Root random stream, seeded by `settings.seed`; fork it per consumer. */
  rng: Rng;
  backend: BackendChoice;
  provenance: Provenance;
  /** Versions of the runtime and main libraries. */
  versions: Record<string, string>;
}

export interface SessionOptions {
  env?: NodeJS.ProcessEnv;
  /** Regeneration command; defaults to re-running the notebook (or the command) `name`. */
  command?: string;
}

/**
 * What a command's flags say about the run. Each is optional; absent ones fall back to
 * the environment (PRESET, XALIGN_SET, XALIGN_BACKEND) and then to the defaults.
 */
export interface PresetFlags {
  /** `--preset NAME` (or `xalign presets NAME`); wins over PRESET. */
  preset?: string;
  /** How `preset` was given, for error messages (default "--preset"). */
  presetSource?: string;
  /** `--set key=value[,key=value]`, repeatable; applied after XALIGN_SET, so they win. */
  set?: readonly string[];
  /** A backend asked for by name (`xalign backend NAME`); wins over the preset's setting. */
  backend?: string;
}

/** The preset name a run uses: `--preset`, else PRESET, else classroom; a bad one names its source. */
function presetName(flags: PresetFlags, env: NodeJS.ProcessEnv): string {
  const [name, source] = flags.preset !== undefined ? [flags.preset, flags.presetSource ?? '--preset'] : env.PRESET ? [env.PRESET, 'PRESET'] : ['classroom', 'default'];
  if (!(PRESET_NAMES as readonly string[]).includes(name)) {
    throw new SettingsError(`${source}: unknown preset "${name}"; expected one of ${PRESET_NAMES.join(', ')}`, 'preset');
  }
  return name;
}

/**
 * The preset a run uses, resolved the same way everywhere: the preset named by
 * `--preset` (else PRESET, else classroom), then the overrides in XALIGN_SET, then those
 * of `--set` (for a key given in both, `--set` wins). Every override is checked; an
 * unknown key or a bad value is a SettingsError naming the setting and where it came
 * from (XALIGN_SET or --set).
 */
export function presetFromFlags(flags: PresetFlags = {}, env: NodeJS.ProcessEnv = process.env): ResolvedPreset {
  const name = presetName(flags, env);
  const fromEnv = env.XALIGN_SET ? parseOverrides(env.XALIGN_SET, 'XALIGN_SET') : {};
  const fromFlags = parseOverrides((flags.set ?? []).join(','), '--set');
  return resolvePreset(name, { ...fromEnv, ...fromFlags }, 'XALIGN_SET and --set');
}

/** The command line that re-creates a CLI session: the command with its preset and overrides spelled out. */
function cliCommand(name: string, preset: ResolvedPreset): string {
  const sets = preset.overridden.map((k) => `${k}=${JSON.stringify(preset.settings[k])}`);
  return `npx xalign ${name} --preset ${preset.name}${sets.length ? ` --set ${sets.join(',')}` : ''}`;
}

/** Seeds the random stream, starts the backend and stamps the provenance of a resolved preset. */
async function startSession(name: string, preset: ResolvedPreset, backendName: string | undefined, command: string): Promise<Session> {
  // TensorFlow.js loads only when a session starts, not for `xalign presets` (as the CLI loads its commands)
  const { selectBackend } = require('./backend') as typeof import('./backend');
  const backend = await selectBackend(backendName ?? preset.settings.backend);
  const provenance: Provenance = {
    commit: gitCommit(),
    preset: preset.name,
    configHash: preset.configHash,
    backend: backend.name,
    seed: preset.settings.seed,
    time: new Date().toISOString(),
    command,
  };
  return {
    name,
    preset,
    settings: preset.settings,
    rng: new Rng(preset.settings.seed),
    backend,
    provenance,
    versions: runtimeVersions(),
  };
}

/**
 * The session of CLI command `name`: the preset of {@link presetFromFlags}, its seed, and
 * the backend (`flags.backend`, else the preset's setting; XALIGN_BACKEND still wins).
 * Writes no provenance file: a command run from inside a notebook must not overwrite
 * the notebook's.
 */
export async function sessionFromFlags(name: string, flags: PresetFlags = {}, options: SessionOptions = {}): Promise<Session> {
  const preset = presetFromFlags(flags, options.env ?? process.env);
  return startSession(name, preset, flags.backend, options.command ?? cliCommand(name, preset));
}

/**
 * Starts a notebook's session: the preset of PRESET and XALIGN_SET (as
 * {@link presetFromFlags} with no flags). When `XALIGN_PROVENANCE_FILE` is set (the
 * notebook runner sets it), the provenance record is also written there for the HTML
 * report's index.
 */
export async function createSession(name: string, options: SessionOptions = {}): Promise<Session> {
  const env = options.env ?? process.env;
  const preset = presetFromFlags({}, env);
  const session = await startSession(name, preset, undefined, options.command ?? notebookCommand(name, preset.name));
  if (env.XALIGN_PROVENANCE_FILE) {
    writeJsonAtomic(env.XALIGN_PROVENANCE_FILE, {
      ...session.provenance,
      notebook: name,
      overridden: preset.overridden,
      backendReason: session.backend.reason,
      versions: session.versions,
    });
  }
  return session;
}
