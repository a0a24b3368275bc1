/**
 * Provenance: where a number or figure came from. Every stored result and every
 * figure carries one, so that a reader can regenerate it with one command.
 */

import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** Absolute path of the project root (the folder holding package.json). */
/** The repository root (XALIGN_ROOT overrides it, for a bundled copy whose file is not under src/). */
export const PROJECT_ROOT = process.env.XALIGN_ROOT ? path.resolve(process.env.XALIGN_ROOT) : path.resolve(__dirname, '..');

export interface Provenance {
  /** Short git commit, with "+dirty" when the work tree has uncommitted changes; "unknown" outside git. */
  commit: string;
  preset: string;
  configHash: string;
  backend: string;
  seed: number;
  /** ISO time the record was made. */
  time: string;
  /** The command that regenerates the result. */
  command: string;
}

let cachedCommit: string | undefined;

/** The current commit of the project (cached per process). */
export function gitCommit(root: string = PROJECT_ROOT): string {
  if (cachedCommit !== undefined) return cachedCommit;
  // a copy without .git (e.g. a bundle run on another machine) is told its commit
  if (process.env.XALIGN_COMMIT) return (cachedCommit = process.env.XALIGN_COMMIT);
  try {
    const opts = { cwd: root, encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'] };
    const sha = execFileSync('git', ['rev-parse', '--short=10', 'HEAD'], opts).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], opts).trim() !== '';
    cachedCommit = dirty ? `${sha}+dirty` : sha;
  } catch {
    cachedCommit = 'unknown';
  }
  return cachedCommit;
}

/** One line for figure footers and logs. */
export function provenanceLine(p: Provenance): string {
  return `xalign ${p.commit} · preset ${p.preset} (${p.configHash}) · backend ${p.backend} · seed ${p.seed} · ${p.time}`;
}

/** The shell command that re-runs one notebook on a preset. */
export function notebookCommand(notebook: string, preset: string): string {
  return `PRESET=${preset} npx xalign reproduce --only ${notebook}`;
}

function packageVersion(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** This package's version (package.json). */
export function xalignVersion(): string {
  return (require(path.join(PROJECT_ROOT, 'package.json')) as { version: string }).version;
}

/** Versions of xalign, Node.js and the main libraries, recorded next to results. */
export function runtimeVersions(): Record<string, string> {
  return {
    xalign: xalignVersion(),
    node: process.versions.node,
    tfjs: packageVersion('@tensorflow/tfjs'),
    tslab: packageVersion('tslab'),
    arquero: packageVersion('arquero'),
    plotly: packageVersion('plotly.js-dist-min'),
  };
}
