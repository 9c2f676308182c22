/** A tensor as the client takes it: row-major values and their shape. */
export interface Tensor {
  shape: readonly number[];
  values: ArrayLike<number>;
}

/**
 * Tensors by name → one safetensors file, every tensor as F32 (what grokscope computes in): an 8-byte
 * little-endian header length, the JSON header padded with spaces to a multiple of 8, then the data.
 */
export function encodeSafetensors(tensors: Readonly<Record<string, Tensor>>): Uint8Array {
  const header: Record<string, { dtype: 'F32'; shape: number[]; data_offsets: [number, number] }> = {};
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.values.length)
      throw new RangeError(
        `${name}: shape [${t.shape.join(', ')}] holds ${count} values, got ${t.values.length}`,
      );
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * count] };
    offset += 4 * count;
  }
  const raw = new TextEncoder().encode(JSON.stringify(header));
  const head = new Uint8Array(raw.byteLength + ((8 - (raw.byteLength % 8)) % 8)).fill(0x20);
  head.set(raw);
  const out = new Uint8Array(8 + head.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.byteLength), true);
  out.set(head, 8);
  let at = 8 + head.byteLength;
  for (const t of Object.values(tensors)) {
    for (let i = 0; i < t.values.length; i++, at += 4) view.setFloat32(at, t.values[i]!, true);
  }
  return out;
}

/** Standard base64 (Node's Buffer where present, else btoa), as logWeights takes the file. */
export function toBase64(bytes: Uint8Array): string {
  const buffer = (globalThis as { Buffer?: { from(b: Uint8Array): { toString(e: string): string } } }).Buffer;
  if (buffer) return buffer.from(bytes).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
