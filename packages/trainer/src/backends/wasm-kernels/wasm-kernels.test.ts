import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak } from '../../../test/helpers/backends.ts';
import { createRng } from '../../data/rng.ts';
import { selectBackend } from '../select.ts';

/** Runs `f` on cpu (the reference) and on wasm, with the same inputs, and returns both results' values. */
async function onBoth(f: () => tf.Tensor): Promise<{ cpu: number[]; wasm: number[]; shape: number[] }> {
  await selectBackend('cpu');
  const reference = f();
  const cpu = Array.from(await reference.data());
  reference.dispose();
  await selectBackend('wasm');
  const result = await expectNoLeak(f);
  const wasm = Array.from(await result.data());
  const shape = result.shape;
  result.dispose();
  return { cpu, wasm, shape };
}

function random(shape: number[], seed: number): tf.Tensor {
  const rng = createRng(seed);
  return tf.tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );
}

describe('wasm kernel fixes', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('BatchMatMul with transposed operands equals the plain product', async () => {
    const { cpu, wasm } = await onBoth(() =>
      tf.tidy(() => tf.matMul(random([7, 5], 1), random([3, 7], 2), true, true)),
    );
    wasm.forEach((v, i) => {
      expect(v).toBeCloseTo(cpu[i]!, 4);
    });
    const batched = await onBoth(() =>
      tf.tidy(() => tf.matMul(random([2, 4, 3], 3), random([2, 5, 3], 4), false, true)),
    );
    batched.wasm.forEach((v, i) => {
      expect(v).toBeCloseTo(batched.cpu[i]!, 4);
    });
  });

  it('GatherV2 copies rows, and rejects an index out of range', async () => {
    const { cpu, wasm, shape } = await onBoth(() =>
      tf.tidy(() =>
        tf.gather(
          random([5, 3], 5),
          tf.tensor2d(
            [
              [4, 0],
              [4, 2],
            ],
            [2, 2],
            'int32',
          ),
        ),
      ),
    );
    expect(shape).toEqual([2, 2, 3]);
    expect(wasm).toEqual(cpu);
    const x = tf.ones([3, 2]);
    const bad = tf.tensor1d([3], 'int32');
    expect(() => tf.gather(x, bad)).toThrow(/not in \[0, 2\]/);
    tf.dispose([x, bad]);
  });

  it('UnsortedSegmentSum adds repeated ids and drops ids out of range', async () => {
    const ids = [2, 0, 2, 2, 1];
    const { cpu, wasm } = await onBoth(() =>
      tf.tidy(() => tf.unsortedSegmentSum(random([5, 4], 6), tf.tensor1d(ids, 'int32'), 4)),
    );
    wasm.forEach((v, i) => {
      expect(v).toBeCloseTo(cpu[i]!, 5);
    });
    expect(wasm.slice(12)).toEqual([0, 0, 0, 0]);
    const outOfRange = await onBoth(() =>
      tf.tidy(() => tf.unsortedSegmentSum(tf.ones([3, 2]), tf.tensor1d([0, 5, -1], 'int32'), 2)),
    );
    expect(outOfRange.wasm).toEqual([1, 1, 0, 0]);
  });

  it('OneHot honours float32 and on/off values', async () => {
    const { cpu, wasm } = await onBoth(() =>
      tf.tidy(() => tf.oneHot(tf.tensor1d([2, 0], 'int32'), 3, 0.5, -1, 'float32')),
    );
    expect(wasm).toEqual([-1, -1, 0.5, 0.5, -1, -1]);
    expect(wasm).toEqual(cpu);
  });

  it('Slice and SplitV cut contiguous blocks and fall back for strided ones', async () => {
    const contiguous = await onBoth(() =>
      tf.tidy(() => tf.slice(random([4, 3, 2], 7), [1, 0, 0], [2, 3, 2])),
    );
    expect(contiguous.wasm).toEqual(contiguous.cpu);
    const strided = await onBoth(() => tf.tidy(() => tf.slice(random([4, 3], 8), [1, 1], [2, 2])));
    expect(strided.wasm).toEqual(strided.cpu);
    const parts = await onBoth(() =>
      tf.tidy(() => tf.concat(tf.split(random([10], 9), [3, 0, 7]).map((t) => tf.mul(t, 2)))),
    );
    expect(parts.wasm).toEqual(parts.cpu);
    const columns = await onBoth(() => tf.tidy(() => tf.split(random([3, 4], 10), 2, 1)[1]!));
    expect(columns.wasm).toEqual(columns.cpu);
  });

  it('Identity shares the buffer and frees it with the last reference', async () => {
    await selectBackend('wasm');
    const backend = tf.backend() as { numDataIds(): number };
    const before = backend.numDataIds();
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    expect(backend.numDataIds()).toBe(before + 1);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3]);
    y.dispose();
    expect(backend.numDataIds()).toBe(before);
  });
});
