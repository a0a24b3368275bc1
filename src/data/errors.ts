/**
 * DataError: every problem with an input file names the file and where in it
 * (line, record index or byte offset) and what was expected. Used by all of src/data/.
 */

export interface DataErrorWhere {
  file?: string;
  /** 1-based line number. */
  line?: number;
  /** 0-based record index (JSON arrays, JSONL). */
  record?: number;
  /** 0-based byte offset in the file. */
  byteOffset?: number;
  field?: string;
}

export class DataError extends Error {
  constructor(
    message: string,
    readonly where: DataErrorWhere = {},
  ) {
    super(message);
    this.name = 'DataError';
  }
}

/** "file:line" or "file record 3" for messages. */
export function locate(w: DataErrorWhere): string {
  const parts: string[] = [];
  if (w.file !== undefined) parts.push(w.file);
  if (w.line !== undefined) parts.push(`line ${w.line}`);
  if (w.record !== undefined) parts.push(`record ${w.record}`);
  if (w.byteOffset !== undefined) parts.push(`byte offset ${w.byteOffset}`);
  return parts.join(', ');
}
