/**
 * Atomic file writes: results, checkpoints and reports are written to a temporary
 * file in the same folder and renamed into place, so a killed run leaves either the
 * old file or the new one, never half of one.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes `data` to `file` atomically, creating parent folders as needed. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes `value` as pretty JSON (with a final newline) atomically. */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}
