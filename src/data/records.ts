/**
 * Record formats: TSV (source<TAB>target per line), JSONL (one JSON object per line)
 * and Alpaca JSON (`[{instruction, input, output}]` with an optional `id`, the format of
 * the Stanford Alpaca trainer that the paper's public code builds on, Section 4.1).
 * Errors name the file and the line or record index; writes are atomic.
 * Serves the instruction mixtures (src/data/mixture.ts) and notebook 01.
 */

import * as fs from 'node:fs';
import { writeFileAtomic } from '../io/atomic';
import { DataError } from './errors';
import { firstInvalidUtf8, forEachLine, type LineReaderOptions } from './lines';
import type { Pair } from './parallel';

// ---------------------------------------------------------------- TSV

/** Escapes \\, TAB and line breaks so that any string fits one TSV field. */
export function escapeTsv(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export function unescapeTsv(s: string): string {
  return s.replace(/\\([\\tnr])/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : '\\'));
}

/** Writes pairs as TSV: `source<TAB>target` per line, escaped. */
export function writeTsv(file: string, pairs: Iterable<Pair>): void {
  const out: string[] = [];
  for (const p of pairs) out.push(`${escapeTsv(p.src)}\t${escapeTsv(p.tgt)}\n`);
  writeFileAtomic(file, out.join(''));
}

/** Reads a two-column TSV of pairs; a line without exactly one TAB is an error naming file and line. */
export function readTsv(file: string, options: LineReaderOptions & { allowEmpty?: boolean } = {}): Pair[] {
  const out: Pair[] = [];
  const r = forEachLine(
    file,
    (line, n) => {
      if (line === null) return;
      const cols = line.split('\t');
      if (cols.length !== 2) {
        throw new DataError(`${file}:${n}: expected 2 tab-separated columns (source, target), found ${cols.length}`, {
          file,
          line: n,
        });
      }
      out.push({ src: unescapeTsv(cols[0]!), tgt: unescapeTsv(cols[1]!) });
    },
    options,
  );
  if (r.lines === 0 && !options.allowEmpty) throw new DataError(`${file}: the file is empty`, { file });
  return out;
}

// ---------------------------------------------------------------- JSONL

/** Writes one JSON document per line, atomically. */
export function writeJsonl(file: string, records: Iterable<unknown>): void {
  const out: string[] = [];
  for (const r of records) out.push(JSON.stringify(r) + '\n');
  writeFileAtomic(file, out.join(''));
}

/** Reads JSONL; blank lines are ignored; a bad line is an error with file and line. */
export function readJsonl<T = unknown>(file: string, options: LineReaderOptions & { allowEmpty?: boolean } = {}): T[] {
  const out: T[] = [];
  forEachLine(
    file,
    (line, n) => {
      if (line === null || line.trim() === '') return;
      try {
        out.push(JSON.parse(line) as T);
      } catch (e) {
        throw new DataError(`${file}:${n}: not valid JSON (${(e as Error).message})`, { file, line: n });
      }
    },
    options,
  );
  if (out.length === 0 && !options.allowEmpty) throw new DataError(`${file}: no records (the file is empty)`, { file });
  return out;
}

// ---------------------------------------------------------------- Alpaca JSON

/** One instruction-tuning record, as the Alpaca trainer reads it. */
export interface AlpacaRecord {
  id?: string;
  instruction: string;
  input: string;
  output: string;
}

const ALPACA_FIELDS = ['instruction', 'input', 'output'] as const;

/** Checks one record; `where` names the file and index in the error. */
export function checkAlpacaRecord(r: unknown, file: string, index: number): AlpacaRecord {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) {
    throw new DataError(`${file}: record ${index} is not an object`, { file, record: index });
  }
  const o = r as Record<string, unknown>;
  for (const f of ALPACA_FIELDS) {
    if (!(f in o)) {
      throw new DataError(`${file}: record ${index} has no "${f}" field (expected instruction, input, output)`, {
        file,
        record: index,
        field: f,
      });
    }
    if (typeof o[f] !== 'string') {
      throw new DataError(`${file}: record ${index} field "${f}" must be a string, got ${typeof o[f]}`, {
        file,
        record: index,
        field: f,
      });
    }
  }
  if (o.id !== undefined && typeof o.id !== 'string' && typeof o.id !== 'number') {
    throw new DataError(`${file}: record ${index} field "id" must be a string`, { file, record: index, field: 'id' });
  }
  const rec: AlpacaRecord = { instruction: o.instruction as string, input: o.input as string, output: o.output as string };
  return o.id === undefined ? rec : { id: String(o.id), ...rec };
}

/** Reads an Alpaca JSON file (a JSON array of records; `.jsonl` files are read line by line). */
export function readAlpaca(file: string): AlpacaRecord[] {
  if (file.endsWith('.jsonl')) return readJsonl(file).map((r, i) => checkAlpacaRecord(r, file, i));
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new DataError(`${file}: cannot read (${(e as Error).message})`, { file });
  }
  const bad = firstInvalidUtf8(buf);
  if (bad >= 0) throw new DataError(`${file}: invalid UTF-8 at byte offset ${bad}`, { file, byteOffset: bad });
  const text = buf.toString('utf8').replace(/^\ufeff/, '');
  if (text.trim() === '') throw new DataError(`${file}: the file is empty; expected a JSON array of records`, { file });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new DataError(`${file}: not valid JSON (${(e as Error).message})`, { file });
  }
  if (!Array.isArray(data)) throw new DataError(`${file}: expected a JSON array of {instruction, input, output}`, { file });
  return data.map((r, i) => checkAlpacaRecord(r, file, i));
}

/** Writes records as an Alpaca JSON array (key order id, instruction, input, output), atomically. */
export function writeAlpaca(file: string, records: readonly AlpacaRecord[]): void {
  const norm = records.map((r, i) => {
    const c = checkAlpacaRecord(r, file, i);
    return c.id === undefined ? c : { id: c.id, instruction: c.instruction, input: c.input, output: c.output };
  });
  writeFileAtomic(file, JSON.stringify(norm, null, 1) + '\n');
}

/**
 * The Alpaca prompt template, with and without an input section; the response follows
 * "### Response:". This is the prompt of the paper's public trainer, for mixtures that
 * a real model is tuned on elsewhere. The laboratory's small models use
 * {@link compactPrompt} instead (same fields, without the English preamble).
 */
export function renderAlpacaPrompt(r: Pick<AlpacaRecord, 'instruction' | 'input'>): string {
  if (r.input.trim() !== '') {
    return (
      'Below is an instruction that describes a task, paired with an input that provides further context. ' +
      'Write a response that appropriately completes the request.\n\n' +
      `### Instruction:\n${r.instruction}\n\n### Input:\n${r.input}\n\n### Response:\n`
    );
  }
  return (
    'Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n' +
    `### Instruction:\n${r.instruction}\n\n### Response:\n`
  );
}

/**
 * The laboratory's prompt T(X) for a record: the instruction, then the input on the next
 * line when there is one. The tokenizer frames it with its <|instruction|> and
 * <|response|> special tokens (src/model/tokenizer.ts `encodeInstruction`) and the
 * loss masks it out (Section 3.1). It drops the Alpaca preamble and headers of
 * {@link renderAlpacaPrompt}, about 140-205 bytes that a model with a 256-token context
 * cannot spare. Used by `xalign train` and the experiments runner alike.
 */
export function compactPrompt(r: { instruction: string; input?: string }): string {
  return r.input ? `${r.instruction}\n${r.input}` : r.instruction;
}
