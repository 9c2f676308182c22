import { describe, expect, it } from 'vitest';
import { encodeSafetensors, toBase64 } from './safetensors.ts';
import { graphqlUrl } from './transport.ts';

describe('encodeSafetensors', () => {
  it('writes the header length, a space-padded JSON header and little-endian float32 data', () => {
    const bytes = encodeSafetensors({
      w: { shape: [2, 2], values: [1, -2, 0.5, 3] },
      b: { shape: [1], values: new Float32Array([0.25]) },
    });
    const view = new DataView(bytes.buffer);
    const headerLength = Number(view.getBigUint64(0, true));
    // The data starts 8-byte aligned, as the reference writer pads it.
    expect((8 + headerLength) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(header).toEqual({
      w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
      b: { dtype: 'F32', shape: [1], data_offsets: [16, 20] },
    });
    const data = 8 + headerLength;
    expect(bytes.byteLength).toBe(data + 20);
    const values = Array.from({ length: 5 }, (_, i) => view.getFloat32(data + 4 * i, true));
    expect(values).toEqual([1, -2, 0.5, 3, 0.25]);
  });

  it('refuses values that do not fill the shape, naming the tensor', () => {
    expect(() => encodeSafetensors({ w: { shape: [2, 3], values: [1, 2] } })).toThrow(
      'w: shape [2, 3] holds 6 values, got 2',
    );
  });

  it('base64 matches the standard alphabet with padding', () => {
    expect(toBase64(new Uint8Array([0xfb, 0xff, 0x00, 0x61]))).toBe('+/8AYQ==');
  });
});

describe('graphqlUrl', () => {
  it('takes the server or the endpoint', () => {
    expect(graphqlUrl('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000/graphql');
    expect(graphqlUrl('http://127.0.0.1:4000/graphql/')).toBe('http://127.0.0.1:4000/graphql');
  });
});
