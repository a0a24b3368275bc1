/**
 * Running a Python reference (Debian's python3-scipy) beside the TypeScript code in the
 * benchmarks. The interpreter is /usr/bin/python3 (the first python3 on PATH may be
 * another one), or XALIGN_PYTHON when set.
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const PYTHON = process.env.XALIGN_PYTHON ?? '/usr/bin/python3';

/** The scipy version, or undefined (with the reason) when it cannot be imported. */
export function scipyVersion(): { version?: string; reason?: string } {
  const r = spawnSync(PYTHON, ['-c', 'import scipy, numpy; print(scipy.__version__)'], { encoding: 'utf8' });
  if (r.error) return { reason: `${PYTHON} cannot run (${r.error.message})` };
  if (r.status !== 0) return { reason: `${PYTHON} cannot import scipy (on Debian: apt-get install python3-scipy)` };
  return { version: r.stdout.trim() };
}

/** Runs `script` with the problems as a JSON file argument and parses its JSON stdout. */
export function runPython<T>(script: string, problems: unknown): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-bench-'));
  const file = path.join(dir, 'problems.json');
  fs.writeFileSync(file, JSON.stringify(problems));
  try {
    const r = spawnSync(PYTHON, [path.join(__dirname, script), file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`${script} failed (exit ${r.status}):\n${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

/** Seconds per call of `fn`, from `reps` calls after one warm-up call. */
export function timePerCall(fn: () => void, reps: number): number {
  fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1e9 / reps;
}
