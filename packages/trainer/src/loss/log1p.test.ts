import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { log1pPrecise } from './log1p.ts';

describeEachBackend('log1pPrecise', () => {
  it('keeps full relative precision from 1e-12 to 100', async () => {
    const xs = [0, 1e-12, 3e-9, 1e-7, 1e-4, 0.1, 1, 57, 100];
    const x = tf.tensor1d(xs);
    const y = log1pPrecise(x);
    const values = Array.from(await y.data());
    values.forEach((v, i) => {
      const exact = Math.log1p(xs[i]!);
      expect(Math.abs(v - exact)).toBeLessThanOrEqual(2e-7 * Math.abs(exact));
    });
    tf.dispose([x, y]);
  });
});
