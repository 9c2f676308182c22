import { expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from './safetensors.ts';

it('round-trips float32 tensors bit for bit, NaN and ±Infinity included, with metadata and 8-byte alignment', () => {
  const tensors = new Map([
    [
      'w',
      {
        shape: [2, 3],
        values: Float32Array.from([1, -2.5, Number.NaN, Number.POSITIVE_INFINITY, -0, 3e-38]),
      },
    ],
    ['b', { shape: [3], values: Float32Array.from([Number.NEGATIVE_INFINITY, 0.1, 7]) }],
    ['scalar', { shape: [], values: Float32Array.from([42]) }],
  ]);
  const bytes = encodeSafetensors(tensors, { format: 'pt' });
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  expect(headerLength % 8).toBe(0);
  const back = decodeSafetensors(bytes);
  expect(back.metadata).toEqual({ format: 'pt' });
  expect([...back.tensors.keys()]).toEqual(['w', 'b', 'scalar']);
  for (const [name, t] of tensors) {
    const got = back.tensors.get(name)!;
    expect(got.shape).toEqual(t.shape);
    expect(new Uint32Array(got.values.buffer)).toEqual(new Uint32Array(t.values.buffer));
  }
});

/** A file as another writer would make it: one tensor of `dtype` with the given raw bytes. */
function foreign(dtype: string, shape: number[], raw: number[]): Uint8Array {
  const header = new TextEncoder().encode(
    JSON.stringify({ t: { dtype, shape, data_offsets: [0, raw.length] } }),
  );
  const out = new Uint8Array(8 + header.length + raw.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  out.set(raw, 8 + header.length);
  return out;
}

it('reads F16, BF16 and F64 tensors as float32', () => {
  // F16 0x3C00 = 1, 0xC000 = −2, 0x7C00 = +∞; BF16 0x3F80 = 1, 0xC040 = −3; F64 0.5.
  expect(
    Array.from(
      decodeSafetensors(foreign('F16', [3], [0x00, 0x3c, 0x00, 0xc0, 0x00, 0x7c])).tensors.get('t')!.values,
    ),
  ).toEqual([1, -2, Number.POSITIVE_INFINITY]);
  expect(
    Array.from(decodeSafetensors(foreign('BF16', [2], [0x80, 0x3f, 0x40, 0xc0])).tensors.get('t')!.values),
  ).toEqual([1, -3]);
  const f64 = new Uint8Array(new Float64Array([0.5]).buffer);
  expect(Array.from(decodeSafetensors(foreign('F64', [1], [...f64])).tensors.get('t')!.values)).toEqual([
    0.5,
  ]);
});

it('refuses malformed files, saying what is wrong', () => {
  expect(() => decodeSafetensors(new Uint8Array(4))).toThrow(/shorter than its header/);
  expect(() => decodeSafetensors(foreign('I8', [1], [1]))).toThrow(/dtype I8/);
  expect(() => decodeSafetensors(foreign('F32', [2], [0, 0, 0, 0]))).toThrow(/data_offsets/);
  const huge = new Uint8Array(16);
  new DataView(huge.buffer).setBigUint64(0, 1000n, true);
  expect(() => decodeSafetensors(huge)).toThrow(/exceeds the file/);
});
