/**
 * A session: what one notebook or one CLI command runs under. It resolves the preset
 * (PRESET and XALIGN_SET), seeds the random stream, picks the TensorFlow.js backend
 * and builds the provenance record that figures and results carry.
 *
 * Notebooks reach it through `src/notebook/` (which adds display); the CLI and tests
 * call {@link createSession} directly.
 */

import { type BackendChoice, selectBackend } from './backend';
import { presetFromEnv, type ResolvedPreset, type Settings } from './config/presets';
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
  /** Regeneration command; defaults to re-running the notebook `name`. */
  command?: string;
}

/**
 * Starts a session. When `XALIGN_PROVENANCE_FILE` is set (the notebook runner sets
 * it), the provenance record is also written there for the HTML report's index.
 */
export async function createSession(name: string, options: SessionOptions = {}): Promise<Session> {
  const env = options.env ?? process.env;
  const preset = presetFromEnv(env);
  const backend = await selectBackend(preset.settings.backend);
  const provenance: Provenance = {
    commit: gitCommit(),
    preset: preset.name,
    configHash: preset.configHash,
    backend: backend.name,
    seed: preset.settings.seed,
    time: new Date().toISOString(),
    command: options.command ?? notebookCommand(name, preset.name),
  };
  const session: Session = {
    name,
    preset,
    settings: preset.settings,
    rng: new Rng(preset.settings.seed),
    backend,
    provenance,
    versions: runtimeVersions(),
  };
  if (env.XALIGN_PROVENANCE_FILE) {
    writeJsonAtomic(env.XALIGN_PROVENANCE_FILE, {
      ...provenance,
      notebook: name,
      overridden: preset.overridden,
      backendReason: backend.reason,
      versions: session.versions,
    });
  }
  return session;
}
