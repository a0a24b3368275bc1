/**
 * The safetensors file format, written and read here without a library:
 * 8 bytes little-endian unsigned header length N, then N bytes of UTF-8 JSON
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}`
 * (padded with spaces to a multiple of 8), then the raw little-endian tensor bytes,
 * offsets relative to the end of the header. Only F32 and I32 are used by xalign.
 */

export interface NamedArray {
  shape: number[];
  data: Float32Array | Int32Array;
}

const DTYPES = { F32: Float32Array, I32: Int32Array } as const;

/** Serialises `tensors` (in insertion order) with optional string metadata. */
export function encodeSafetensors(tensors: Map<string, NamedArray>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new Error(`safetensors: tensor "${name}" has shape [${t.shape}] but ${t.data.length} values`);
    const dtype = t.data instanceof Float32Array ? 'F32' : 'I32';
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  const raw = new TextEncoder().encode(json);
  const padded = Math.ceil(raw.length / 8) * 8;
  json += ' '.repeat(padded - raw.length);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/** Parses a safetensors buffer; `source` (a file name) prefixes every error. */
export function decodeSafetensors(buf: Uint8Array, source = 'safetensors'): { tensors: Map<string, NamedArray>; metadata: Record<string, string> } {
  if (buf.length < 8) throw new Error(`${source}: file of ${buf.length} bytes is too short for a safetensors header`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > buf.length - 8) throw new Error(`${source}: header length ${n} exceeds the file size ${buf.length}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + n)));
  } catch (e) {
    throw new Error(`${source}: header is not valid JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + n;
  const tensors = new Map<string, NamedArray>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: off } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const Ctor = DTYPES[dtype as keyof typeof DTYPES];
    if (!Ctor) throw new Error(`${source}: tensor "${name}" has dtype ${dtype}; xalign reads F32 and I32`);
    if (!Array.isArray(shape) || !Array.isArray(off) || off.length !== 2) throw new Error(`${source}: tensor "${name}" lacks shape or data_offsets`);
    const count = shape.reduce((a, b) => a * b, 1);
    if (off[1] - off[0] !== count * 4) throw new Error(`${source}: tensor "${name}" of shape [${shape}] spans ${off[1] - off[0]} bytes, expected ${count * 4}`);
    if (dataStart + off[1] > buf.length) throw new Error(`${source}: tensor "${name}" runs past the end of the file`);
    const bytes = buf.slice(dataStart + off[0], dataStart + off[1]);
    tensors.set(name, { shape, data: new Ctor(bytes.buffer, bytes.byteOffset, count) });
  }
  return { tensors, metadata: (header.__metadata__ as Record<string, string>) ?? {} };
}
