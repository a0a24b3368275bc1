/**
 * Streaming line reader for large text files (WikiMatrix-sized, a million lines and
 * more) in bounded memory: the file is read in fixed-size chunks and handed out as
 * batches of lines. A UTF-8 byte-order mark at the start is dropped, CRLF and LF line
 * ends are both accepted, and invalid UTF-8 is either an error naming the file and the
 * byte offset, or (with `invalid: 'skip'`) the line comes back as `null` and is counted.
 * Serves every reader in src/data/ and notebook 01 (data statistics).
 */

import * as fs from 'node:fs';
import { DataError } from './errors';

export interface LineReaderOptions {
  /** 'error' (default): throw a DataError; 'skip': return null for the line and count it. */
  invalid?: 'error' | 'skip';
  /** Chunk size in bytes (default 4 MiB). */
  chunkBytes?: number;
}

const NL = 0x0a;
const CR = 0x0d;

/**
 * Index of the first byte of `buf[start, end)` that is not part of valid UTF-8, or -1.
 * A slow, obvious validator used only to report where decoding failed.
 */
export function firstInvalidUtf8(buf: Uint8Array, start = 0, end = buf.length): number {
  let i = start;
  while (i < end) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) (n = 1), (min = 0x80);
    else if (b >= 0xe0 && b <= 0xef) (n = 2), (min = 0x800);
    else if (b >= 0xf0 && b <= 0xf4) (n = 3), (min = 0x10000);
    else return i;
    if (i + n >= end) return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

/** Reads a file as batches of lines (without their line ends). */
export class LineReader {
  readonly file: string;
  /** Lines handed out so far (including skipped ones). */
  lineCount = 0;
  /** Lines returned as null because of invalid UTF-8 (only with invalid: 'skip'). */
  skippedInvalid = 0;
  /** Bytes read so far. */
  bytesRead = 0;
  private fd: number | undefined;
  private readonly chunk: Buffer;
  private carry: Buffer = Buffer.alloc(0);
  private carryOffset = 0; // file offset of carry[0]
  private eof = false;
  private first = true;
  private readonly invalid: 'error' | 'skip';
  private static readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(file: string, options: LineReaderOptions = {}) {
    this.file = file;
    this.invalid = options.invalid ?? 'error';
    this.chunk = Buffer.allocUnsafe(options.chunkBytes ?? 4 << 20);
    try {
      this.fd = fs.openSync(file, 'r');
    } catch (e) {
      throw new DataError(`${file}: cannot open (${(e as Error).message})`, { file });
    }
  }

  /** The next batch of lines, or null at the end of the file. */
  nextBatch(): (string | null)[] | null {
    while (true) {
      if (this.eof && this.carry.length === 0) {
        this.close();
        return null;
      }
      let buf: Buffer;
      let bufOffset: number;
      if (!this.eof) {
        const n = fs.readSync(this.fd!, this.chunk, 0, this.chunk.length, null);
        if (n === 0) {
          this.eof = true;
          if (this.carry.length === 0) continue;
          buf = this.carry;
        } else {
          this.bytesRead += n;
          buf = this.carry.length ? Buffer.concat([this.carry, this.chunk.subarray(0, n)]) : this.chunk.subarray(0, n);
        }
        bufOffset = this.carryOffset;
      } else {
        buf = this.carry;
        bufOffset = this.carryOffset;
      }
      const start = 0;
      if (this.first && buf.length < 3 && !this.eof) {
        this.carry = Buffer.from(buf);
        continue;
      }
      if (this.first && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        buf = buf.subarray(3); // drop the byte-order mark; offsets stay file offsets
        bufOffset += 3;
      }
      this.first = false;
      const lastNl = buf.lastIndexOf(NL);
      let end: number; // end of complete lines (exclusive, after the last \n)
      if (this.eof) end = buf.length;
      else if (lastNl < start) {
        this.carry = Buffer.from(buf); // no complete line yet; keep reading
        continue;
      } else end = lastNl + 1;
      const lines = this.decode(buf, start, end, bufOffset);
      const rest = buf.subarray(end);
      this.carry = this.eof ? Buffer.alloc(0) : Buffer.from(rest);
      this.carryOffset = bufOffset + end;
      if (this.eof) this.carry = Buffer.alloc(0);
      if (lines.length > 0) return lines;
    }
  }

  private decode(buf: Buffer, start: number, end: number, bufOffset: number): (string | null)[] {
    // Drop the final line end so that "a\nb\n" is two lines and "a\nb" is two lines too.
    let stop = end;
    if (stop > start && buf[stop - 1] === NL) stop--;
    if (stop === start && end === start) return [];
    let text: string | undefined;
    try {
      text = LineReader.decoder.decode(buf.subarray(start, stop));
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i]!;
        if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
      }
      this.lineCount += lines.length;
      return lines;
    }
    // Slow path: decode line by line to find (or skip) the bad ones.
    const out: (string | null)[] = [];
    let s = start;
    while (s <= stop) {
      let e = buf.indexOf(NL, s);
      if (e < 0 || e > stop) e = stop;
      const bad = firstInvalidUtf8(buf, s, e);
      this.lineCount++;
      if (bad >= 0) {
        if (this.invalid === 'error') {
          const off = bufOffset + bad;
          this.close();
          throw new DataError(
            `${this.file}: invalid UTF-8 at byte offset ${off} (line ${this.lineCount}); ` +
              `re-encode the file as UTF-8, or ask to skip such lines`,
            { file: this.file, byteOffset: off, line: this.lineCount },
          );
        }
        this.skippedInvalid++;
        out.push(null);
      } else {
        let e2 = e;
        if (e2 > s && buf[e2 - 1] === CR) e2--;
        out.push(buf.toString('utf8', s, e2));
      }
      s = e + 1;
    }
    return out;
  }

  close(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }
}

/** Calls `fn` for every line of `file` (null for skipped invalid lines). Returns the reader's counts. */
export function forEachLine(
  file: string,
  fn: (line: string | null, lineNo: number) => void,
  options: LineReaderOptions = {},
): { lines: number; skippedInvalid: number; bytes: number } {
  const r = new LineReader(file, options);
  let n = 0;
  for (let b = r.nextBatch(); b !== null; b = r.nextBatch()) for (const l of b) fn(l, ++n);
  return { lines: r.lineCount, skippedInvalid: r.skippedInvalid, bytes: r.bytesRead };
}

/** All lines of a (small) file. */
export function readAllLines(file: string, options: LineReaderOptions = {}): (string | null)[] {
  const out: (string | null)[] = [];
  forEachLine(file, (l) => void out.push(l), options);
  return out;
}
