/**
 * Reader for GNU gettext `.mo` catalogues (the compiled translations that Debian's
 * libreoffice-l10n-* and desktop packages ship). Each entry maps an English source
 * string (msgid) to its translation; contexts (`msgctxt\x04msgid`) are split off and
 * plural forms keep the singular. Serves the offline corpus build (`xalign data build`).
 */

import * as fs from 'node:fs';
import { DataError } from '../errors';

export interface MoEntry {
  context?: string;
  msgid: string;
  msgstr: string;
}

/** Parses a .mo file's bytes; `file` names it in errors. The header entry (empty msgid) is skipped. */
export function parseMo(buf: Buffer, file = '<buffer>'): MoEntry[] {
  if (buf.length < 28) throw new DataError(`${file}: too short to be a .mo catalogue`, { file });
  const magic = buf.readUInt32LE(0);
  let u32: (o: number) => number;
  if (magic === 0x950412de) u32 = (o) => buf.readUInt32LE(o);
  else if (magic === 0xde120495) u32 = (o) => buf.readUInt32BE(o);
  else throw new DataError(`${file}: not a .mo catalogue (magic 0x${magic.toString(16)})`, { file, byteOffset: 0 });
  const n = u32(8);
  const origTable = u32(12);
  const transTable = u32(16);
  const dec = new TextDecoder('utf-8', { fatal: false });
  const str = (table: number, i: number) => {
    const len = u32(table + 8 * i);
    const off = u32(table + 8 * i + 4);
    if (off + len > buf.length) throw new DataError(`${file}: string ${i} runs past the end of the file`, { file, byteOffset: off });
    return dec.decode(buf.subarray(off, off + len));
  };
  const out: MoEntry[] = [];
  for (let i = 0; i < n; i++) {
    let id = str(origTable, i);
    if (id === '') continue;
    let context: string | undefined;
    const eot = id.indexOf('\x04');
    if (eot >= 0) {
      context = id.slice(0, eot);
      id = id.slice(eot + 1);
    }
    const msgid = id.split('\0')[0]!;
    const msgstr = str(transTable, i).split('\0')[0]!;
    if (msgstr === '') continue;
    out.push(context === undefined ? { msgid, msgstr } : { context, msgid, msgstr });
  }
  return out;
}

export function readMo(file: string): MoEntry[] {
  return parseMo(fs.readFileSync(file), file);
}
