import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeak } from '../../test/helpers/backends.ts';
import { AdamW, learningRateAt } from './adamw.ts';

describeEachBackend('AdamW', () => {
  it('matches a hand-computed decoupled-decay update over two steps', async () => {
    // lr 0.1, wd 0.5, β = (0.9, 0.98), θ0 = [1, −2], g1 = [0.5, 0.1], g2 = [−0.5, 0.3].
    // Step 1: θ·(1 − 0.05) = [0.95, −1.9]; m̂1 = g1, v̂1 = g1², so each update is lr·g/|g| = 0.1 → [0.85, −2.0].
    // Step 2: θ·0.95 = [0.8075, −1.9]; m2 = 0.9·m1 + 0.1·g2 = [−0.005, 0.039]; v2 = 0.98·v1 + 0.02·g2² =
    //   [0.0099, 0.001996]; m̂ = m2/0.19 = [−0.0263158, 0.2052632]; v̂ = v2/0.0396 = [0.25, 0.0504040];
    //   θ2 = [0.8075 + 0.1·0.0263158/0.5, −1.9 − 0.1·0.2052632/0.2245085] = [0.8127632, −1.9914278].
    const theta = tf.variable(tf.tensor1d([1, -2]));
    const optimizer = new AdamW({ lr: 0.1, weightDecay: 0.5, beta1: 0.9, beta2: 0.98 });
    const g1 = tf.tensor1d([0.5, 0.1]);
    const g2 = tf.tensor1d([-0.5, 0.3]);
    optimizer.apply([theta], { [theta.name]: g1 });
    const after1 = Array.from(await theta.data());
    expect(after1[0]).toBeCloseTo(0.85, 6);
    expect(after1[1]).toBeCloseTo(-2.0, 6);
    // The first update created the moment variables; later ones allocate nothing that outlives them.
    await expectNoLeak(() => optimizer.apply([theta], { [theta.name]: g2 }));
    const after2 = Array.from(await theta.data());
    expect(after2[0]).toBeCloseTo(0.8127632, 5);
    expect(after2[1]).toBeCloseTo(-1.9914278, 5);
    expect(optimizer.updates).toBe(2);
    optimizer.dispose();
    tf.dispose([theta, g1, g2]);
  });

  it('refuses a missing gradient', () => {
    const theta = tf.variable(tf.scalar(1));
    const optimizer = new AdamW({ lr: 0.1, weightDecay: 0, beta1: 0.9, beta2: 0.99 });
    expect(() => optimizer.apply([theta], {})).toThrow(/no gradient/);
    optimizer.dispose();
    theta.dispose();
  });

  it('warms up linearly: lr · min(t / warmupSteps, 1), the first update with lr 0', async () => {
    expect([0, 1, 2, 3, 10].map((t) => learningRateAt(0.1, 2, t))).toEqual([0, 0.05, 0.1, 0.1, 0.1]);
    expect(learningRateAt(0.1, 0, 0)).toBe(0.1);
    // As the two-step case above with warmupSteps 2: update 1 has lr 0 (θ unchanged, moments as before), update 2
    // lr 0.05: θ·(1 − 0.025) = [0.975, −1.95] minus half the step above: [0.9776316, −1.9957139].
    const theta = tf.variable(tf.tensor1d([1, -2]));
    const optimizer = new AdamW({ lr: 0.1, weightDecay: 0.5, beta1: 0.9, beta2: 0.98, warmupSteps: 2 });
    const g1 = tf.tensor1d([0.5, 0.1]);
    const g2 = tf.tensor1d([-0.5, 0.3]);
    optimizer.apply([theta], { [theta.name]: g1 });
    expect(Array.from(await theta.data())).toEqual([1, -2]);
    optimizer.apply([theta], { [theta.name]: g2 });
    const after2 = Array.from(await theta.data());
    expect(after2[0]).toBeCloseTo(0.9776316, 5);
    expect(after2[1]).toBeCloseTo(-1.9957139, 5);
    optimizer.dispose();
    tf.dispose([theta, g1, g2]);
  });
});
