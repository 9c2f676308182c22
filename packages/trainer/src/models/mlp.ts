import * as tf from '@tensorflow/tfjs-core';
import type { ModelConfig } from '../config.ts';
import { normalVariable, uniformVariable, uniqueModelId } from './init.ts';
import type { ModelFactory } from './model.ts';

type MlpConfig = Extract<ModelConfig, { kind: 'MLP' }>;

/**
 * logits = φ(combine(E_a, E_b)·W1 + b1) → (depth − 1) × φ(·W_k + b_k) → ·W_out + b_out, with one embedding E [p, d]
 * shared by both operands. The default (concat, depth 1, ReLU, biases) is the `mlp-59` peer in
 * shared/bench/peer_torch.py; `combine: 'sum'`, depth 2, SiLU is the Survival paper's MLP (measures.md §1).
 *
 * Initialisation follows PyTorch's defaults for that peer, so runs compare with it: nn.Embedding E ~ N(0, 1);
 * nn.Linear weights and biases ~ U(−1/√fan_in, 1/√fan_in). Weights are stored input-major ([in, out], the tfjs
 * layout), i.e. transposed from PyTorch's [out, in]. With concat, W1 is kept as its two halves W1a (rows acting on
 * E_a) and W1b (rows acting on E_b): PyTorch's hidden.weight is [W1a; W1b]ᵀ; with sum there is one W1 [d, h].
 *
 * Speed: an embedding followed by a linear map is a table lookup. [E_a; E_b]·W1 + b1 = T_a[a] + T_b[b] with
 * T_a = E·W1a + b1 and T_b = E·W1b ([p, h] tables, tiny products), so each pair costs two row gathers instead of a
 * [2d]·[2d, h] product (which, forward and backward, would cost about four times everything else at p = 59).
 * Folding b1 into T_a also turns its gradient into a sum over p table rows instead of over all pairs. For sum,
 * T_b = E·W1 and T_a = T_b + b1.
 */
export const mlpFactory: ModelFactory<MlpConfig> = {
  kind: 'MLP',
  init(config, rng) {
    const { p } = config;
    const { embedDim: d, hiddenDim: h, combine, depth, activation, bias } = config.model;
    const id = uniqueModelId('MLP');
    const fanIn = combine === 'concat' ? 2 * d : d;
    const inBound = 1 / Math.sqrt(fanIn);
    const hBound = 1 / Math.sqrt(h);
    // Draw order is part of the seed's meaning: embedding, W1 (a-half, b-half; or one W1 for sum), b1, then each
    // further hidden layer's weight and bias, then the output weight and bias. Without biases none are drawn.
    const embed = normalVariable(rng, [p, d], 1, `${id}/embed`);
    const first: tf.Variable[] =
      combine === 'concat'
        ? [
            uniformVariable(rng, [d, h], inBound, `${id}/hidden.weight.a`),
            uniformVariable(rng, [d, h], inBound, `${id}/hidden.weight.b`),
          ]
        : [uniformVariable(rng, [d, h], inBound, `${id}/hidden.weight`)];
    const b1 = bias ? uniformVariable(rng, [h], inBound, `${id}/hidden.bias`) : undefined;
    const layers: { w: tf.Variable; b: tf.Variable | undefined }[] = [];
    for (let k = 1; k < depth; k++) {
      const w = uniformVariable(rng, [h, h], hBound, `${id}/hidden${k}.weight`);
      const b = bias ? uniformVariable(rng, [h], hBound, `${id}/hidden${k}.bias`) : undefined;
      layers.push({ w, b });
    }
    const wOut = uniformVariable(rng, [h, p], hBound, `${id}/out.weight`);
    const bOut = bias ? uniformVariable(rng, [p], hBound, `${id}/out.bias`) : undefined;
    const variables = [
      embed,
      ...first,
      ...(b1 ? [b1] : []),
      ...layers.flatMap(({ w, b }) => (b ? [w, b] : [w])),
      wOut,
      ...(bOut ? [bOut] : []),
    ];
    const E = embed as tf.Tensor2D;
    const w1a = first[0] as tf.Tensor2D;
    const w1b = (first[1] ?? first[0]) as tf.Tensor2D;

    const act = (x: tf.Tensor2D): tf.Tensor2D =>
      activation === 'relu' ? tf.relu(x) : (tf.mul(x, tf.sigmoid(x)) as tf.Tensor2D);

    /** Everything after the first layer's pre-activation. */
    const rest = (pre: tf.Tensor2D): tf.Tensor2D => {
      let hidden = act(pre);
      for (const { w, b } of layers) {
        hidden = act(
          b
            ? (tf.fused.matMul({ a: hidden, b: w as tf.Tensor2D, bias: b }) as tf.Tensor2D)
            : tf.matMul(hidden, w as tf.Tensor2D),
        );
      }
      // The fused product adds the bias inside the matmul kernel (XNNPACK on wasm); its gradient is built in.
      return bOut
        ? (tf.fused.matMul({ a: hidden, b: wOut as tf.Tensor2D, bias: bOut }) as tf.Tensor2D)
        : tf.matMul(hidden, wOut as tf.Tensor2D);
    };

    return {
      kind: 'MLP',
      variables,
      logits(a, b) {
        const tableB = tf.matMul(E, w1b);
        const tableA = combine === 'concat' ? tf.matMul(E, w1a) : tableB;
        const tableA1 = b1 ? tf.add(tableA, b1) : tableA;
        return rest(tf.add(tf.gather(tableA1, a), tf.gather(tableB, b)) as tf.Tensor2D);
      },
      logitsFromEmbeddings(ea, eb) {
        const pre =
          combine === 'concat'
            ? tf.add(tf.matMul(ea, w1a), tf.matMul(eb, w1b))
            : tf.matMul(tf.add(ea, eb) as tf.Tensor2D, w1a);
        return rest((b1 ? tf.add(pre, b1) : pre) as tf.Tensor2D);
      },
      embedding() {
        return E;
      },
      inputFeatureMap() {
        return tf.concat([tf.matMul(E, w1a), tf.matMul(E, w1b)], 0) as tf.Tensor2D;
      },
      logitMap() {
        return tf.transpose(wOut as tf.Tensor2D);
      },
      dispose() {
        for (const v of variables) v.dispose();
      },
    };
  },
};
