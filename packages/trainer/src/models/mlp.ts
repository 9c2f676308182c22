import * as tf from '@tensorflow/tfjs-core';
import type { ModelConfig } from '../config.ts';
import { normalVariable, uniformVariable, uniqueModelId } from './init.ts';
import type { ModelFactory } from './model.ts';

type MlpConfig = Extract<ModelConfig, { kind: 'MLP' }>;

/**
 * logits = ReLU([E_a; E_b]·W1 + b1)·W2 + b2, with one embedding E [p, d] shared by both operands
 * (the `mlp-59` peer in shared/bench/peer_torch.py).
 *
 * Initialisation follows PyTorch's defaults for that peer, so runs compare with it: nn.Embedding E ~ N(0, 1);
 * nn.Linear weights and biases ~ U(−1/√fan_in, 1/√fan_in). Weights are stored input-major ([in, out], the tfjs
 * layout), i.e. transposed from PyTorch's [out, in], and W1 is kept as its two halves W1a (rows acting on E_a) and
 * W1b (rows acting on E_b): PyTorch's hidden.weight is [W1a; W1b]ᵀ.
 *
 * Speed: an embedding followed by a linear map is a table lookup. [E_a; E_b]·W1 + b1 = T_a[a] + T_b[b] with
 * T_a = E·W1a + b1 and T_b = E·W1b ([p, h] tables, tiny products), so each pair costs two row gathers instead of a
 * [2d]·[2d, h] product (which, forward and backward, would cost about four times everything else at p = 59).
 * Folding b1 into T_a also turns its gradient into a sum over p table rows instead of over all pairs.
 */
export const mlpFactory: ModelFactory<MlpConfig> = {
  kind: 'MLP',
  init(config, rng) {
    const { p } = config;
    const { embedDim: d, hiddenDim: h } = config.model;
    const id = uniqueModelId('MLP');
    const inBound = 1 / Math.sqrt(2 * d);
    const outBound = 1 / Math.sqrt(h);
    // Draw order is part of the seed's meaning: embedding, W1 (a-half, b-half), b1, W2, b2.
    const embed = normalVariable(rng, [p, d], 1, `${id}/embed`);
    const w1a = uniformVariable(rng, [d, h], inBound, `${id}/hidden.weight.a`);
    const w1b = uniformVariable(rng, [d, h], inBound, `${id}/hidden.weight.b`);
    const b1 = uniformVariable(rng, [h], inBound, `${id}/hidden.bias`);
    const w2 = uniformVariable(rng, [h, p], outBound, `${id}/out.weight`);
    const b2 = uniformVariable(rng, [p], outBound, `${id}/out.bias`);
    const variables = [embed, w1a, w1b, b1, w2, b2];
    const E = embed as tf.Tensor2D;

    return {
      kind: 'MLP',
      variables,
      logits(a, b) {
        const tableA = tf.add(tf.matMul(E, w1a as tf.Tensor2D), b1);
        const tableB = tf.matMul(E, w1b as tf.Tensor2D);
        const hidden = tf.relu(tf.add(tf.gather(tableA, a), tf.gather(tableB, b)));
        // The fused product adds the bias inside the matmul kernel (XNNPACK on wasm); its gradient is built in.
        return tf.fused.matMul({ a: hidden, b: w2 as tf.Tensor2D, bias: b2 }) as tf.Tensor2D;
      },
      embedding() {
        return E;
      },
      dispose() {
        for (const v of variables) v.dispose();
      },
    };
  },
};
