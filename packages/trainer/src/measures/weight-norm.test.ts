import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { fakeSnapshot, values } from '../../test/helpers/snapshot.ts';
import { weightNorm } from './weight-norm.ts';

describeEachBackend('weight_norm', () => {
  it('sums the squares of every variable, biases included', async () => {
    // [1, 2; 3, 4] → 30, bias [−1, 0.5] → 1.25, scalar-like [2] → 4: W2 = 35.25.
    const variables = [
      tf.variable(tf.tensor2d([1, 2, 3, 4], [2, 2]), true, 'wn-test/w'),
      tf.variable(tf.tensor1d([-1, 0.5]), true, 'wn-test/b'),
      tf.variable(tf.tensor1d([2]), true, 'wn-test/c'),
    ];
    const { snapshot, dispose } = fakeSnapshot({ config: { p: 5 }, model: { variables } });
    expect(await values(() => weightNorm.compute(snapshot))).toEqual([35.25]);
    tf.dispose(variables);
    dispose();
  });
});
