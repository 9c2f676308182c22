import { CheckpointError, type NamedTensor, type StateDict, sizeOf } from './tensors.ts';

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: { string: string } }` (offsets relative to
 * the end of the header), then the raw little-endian data. Shared by `analyse` (reading) and model download
 * (writing). Reads F32, F16, BF16 and F64 into float32; writes F32.
 */

const DTYPE_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8 };
/** The format caps the header at 100 MB; a larger length is a corrupt or foreign file. */
const MAX_HEADER = 100_000_000;

export interface SafetensorsFile {
  tensors: StateDict;
  metadata: Record<string, string>;
}

export function decodeSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) throw new CheckpointError('UNREADABLE', 'safetensors: file shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER || 8 + headerLength > bytes.length)
    throw new CheckpointError('UNREADABLE', `safetensors: header length ${headerLength} exceeds the file`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    throw new CheckpointError('UNREADABLE', 'safetensors: header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new CheckpointError('UNREADABLE', 'safetensors: header is not an object');
  const data = bytes.subarray(8 + headerLength);
  const tensors: StateDict = new Map();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = (entry ?? {}) as Record<string, unknown>;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES))
      throw new CheckpointError(
        'UNSUPPORTED',
        `safetensors: ${name} has dtype ${String(dtype)} (F32, F16, BF16, F64 only)`,
      );
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
      throw new CheckpointError('UNREADABLE', `safetensors: ${name} has no valid shape`);
    if (!Array.isArray(offsets) || offsets.length !== 2)
      throw new CheckpointError('UNREADABLE', `safetensors: ${name} has no data_offsets`);
    const [begin, end] = offsets as [number, number];
    const count = sizeOf(shape as number[]);
    if (end - begin !== count * DTYPE_BYTES[dtype]! || begin < 0 || end > data.length)
      throw new CheckpointError(
        'UNREADABLE',
        `safetensors: ${name} data_offsets [${begin}, ${end}] do not fit its shape or the file`,
      );
    tensors.set(name, {
      shape: shape as number[],
      values: toFloat32(data.subarray(begin, end), dtype, count),
    });
  }
  return { tensors, metadata };
}

/** Encodes float32 tensors, in the map's order, data aligned to 8 bytes (the header is padded with spaces). */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, NamedTensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    if (t.values.length !== sizeOf(t.shape))
      throw new Error(`safetensors: ${name} has ${t.values.length} values for shape [${t.shape.join(', ')}]`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * t.values.length] };
    offset += 4 * t.values.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const spaced = new Uint8Array(padded).fill(0x20);
    spaced.set(json);
    json = spaced;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of tensors.values()) {
    for (let i = 0; i < t.values.length; i++) view.setFloat32(at + 4 * i, t.values[i]!, true);
    at += 4 * t.values.length;
  }
  return out;
}

/** Little-endian raw data of one dtype → float32 (shared with the PyTorch reader's storages). */
export function toFloat32(raw: Uint8Array, dtype: string, count: number): Float32Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case 'BF16':
      // bfloat16 is the top half of a float32.
      for (let i = 0; i < count; i++) out[i] = bitsToFloat(view.getUint16(2 * i, true) << 16);
      break;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      break;
    default:
      throw new CheckpointError('UNSUPPORTED', `dtype ${dtype} is not supported`);
  }
  return out;
}

const bitsScratch = new DataView(new ArrayBuffer(4));
function bitsToFloat(bits: number): number {
  bitsScratch.setUint32(0, bits >>> 0);
  return bitsScratch.getFloat32(0);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** One NamedTensor, for callers building a state dict. */
export const namedTensor = (shape: number[], values: Float32Array): NamedTensor => ({ shape, values });
