/**
 * NumPy `.npy` files: the way a user brings sentence representations exported from any
 * real model (`np.save("en.npy", reps)`) to `xalign similarity` and notebook 03.
 *
 * Reads format versions 1.0, 2.0 and 3.0 with dtype float16, float32 or float64 in
 * either byte order, C (row-major) order. Anything else (Fortran order, integer,
 * complex or object dtypes, a truncated file) is an error naming the file and what
 * was expected. Writes version 1.0, little-endian, C order.
 */

import * as fs from 'node:fs';
import { writeFileAtomic } from '../io/atomic';

export type NpyDtype = 'float16' | 'float32' | 'float64';

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** Values in C order, converted to float64. */
  data: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Decodes an IEEE 754 half-precision value from its 16 bits. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Encodes a number as IEEE 754 half precision (round to nearest, ties to even). */
export function floatToHalf(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a >= 65520) return sign | 0x7c00; // rounds to infinity
  if (a < 2 ** -14) {
    // subnormal: units of 2^-24
    return sign | roundEven(a / 2 ** -24);
  }
  let exp = Math.floor(Math.log2(a));
  if (2 ** exp > a) exp -= 1;
  if (2 ** (exp + 1) <= a) exp += 1;
  let mant = roundEven((a / 2 ** exp - 1) * 1024);
  if (mant === 1024) {
    mant = 0;
    exp += 1;
  }
  return sign | ((exp + 15) << 10) | mant;
}

function roundEven(x: number): number {
  const f = Math.floor(x);
  const r = x - f;
  if (r > 0.5) return f + 1;
  if (r < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Parses `.npy` bytes; `file` names the source in errors. */
export function parseNpy(bytes: Uint8Array, file = 'array.npy'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw new RangeError(`${file}: not a .npy file (expected the magic string \\x93NUMPY at the start)`);
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new RangeError(`${file}: truncated header`);
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new RangeError(`${file}: .npy format version ${major}.${bytes[7]} is not supported (expected 1.0, 2.0 or 3.0)`);
  }
  if (headerStart + headerLen > bytes.length) throw new RangeError(`${file}: truncated header`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new RangeError(`${file}: malformed header (expected descr, fortran_order and shape): ${header.trim()}`);
  }
  const m = /^([<>=|])f([248])$/.exec(descr);
  if (!m) throw new RangeError(`${file}: dtype '${descr}' is not supported (expected float16, float32 or float64: '<f2', '<f4', '<f8')`);
  if (fortran === 'True') {
    throw new RangeError(`${file}: array is in Fortran order; save it in C order (np.save(f, np.ascontiguousarray(a)))`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const v = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`${file}: bad shape entry "${s}"`);
      return v;
    });
  const size = shape.reduce((a, b) => a * b, 1);
  const width = Number(m[2]);
  const little = m[1] !== '>';
  const dataStart = headerStart + headerLen;
  if (bytes.length - dataStart < size * width) {
    throw new RangeError(`${file}: expected ${size * width} bytes of data for shape (${shape.join(', ')}), found ${bytes.length - dataStart}`);
  }
  const data = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const at = dataStart + i * width;
    data[i] =
      width === 8 ? view.getFloat64(at, little) : width === 4 ? view.getFloat32(at, little) : halfToFloat(view.getUint16(at, little));
  }
  const dtype: NpyDtype = width === 8 ? 'float64' : width === 4 ? 'float32' : 'float16';
  return { dtype, shape, data };
}

/** Reads a `.npy` file (see the module comment for what is supported). */
export function readNpy(file: string): NpyArray {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new RangeError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseNpy(bytes, file);
}

/** Encodes values (C order) of the given shape as `.npy` bytes, version 1.0, little-endian. */
export function encodeNpy(data: ArrayLike<number>, shape: readonly number[], dtype: NpyDtype = 'float32'): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new RangeError(`encodeNpy: shape (${shape.join(', ')}) holds ${size} values, got ${data.length}`);
  const width = dtype === 'float64' ? 8 : dtype === 'float32' ? 4 : 2;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f${width}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + size * width);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const start = 10 + header.length;
  for (let i = 0; i < size; i++) {
    const at = start + i * width;
    const v = data[i]!;
    if (width === 8) view.setFloat64(at, v, true);
    else if (width === 4) view.setFloat32(at, v, true);
    else view.setUint16(at, floatToHalf(v), true);
  }
  return out;
}

/** Writes a `.npy` file atomically. */
export function writeNpy(file: string, data: ArrayLike<number>, shape: readonly number[], dtype: NpyDtype = 'float32'): void {
  writeFileAtomic(file, encodeNpy(data, shape, dtype));
}
