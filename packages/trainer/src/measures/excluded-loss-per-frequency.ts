import * as tf from '@tensorflow/tfjs-core';
import { frequencyCount } from '../fourier/basis.ts';
import { blockRowMeans, rowCrossEntropyWithCorrect, sumByAnswer, sumFrequencyTensor } from './fourier-ops.ts';
import { type Measure, NETWORK_KINDS } from './measure.ts';

/** Logits per chunk of frequencies ([k, n_train, p]): bounds the chunk's temporaries to ~16 MB each. */
const CHUNK_ELEMENTS = 4_000_000;

/**
 * measures.md §4.4, released-code variant: for every k = 1..K (key or not), the train cross-entropy after removing
 * only frequency k's two sum directions. Model-independent (no key set needed); its max is the spec's
 * model-independent excluded loss. Batched over k in chunks of at most CHUNK_ELEMENTS logits, each chunk in its own
 * tidy, with the precise per-row CE and blocked means of fourier-ops.ts. Removing frequency k subtracts
 * A_k·B_k from the train logits, A_k[n, :] = (2/p²)(cos, sin)(w_k s_n) [n, 2] and B_k = (coefC_k; coefS_k) [2, p]:
 * one batched matMul for the chunk (gathers and tiles of [k, n, p] tensors are slow on wasm). The correct logit of
 * each variant is Λ[n, y_n] − D_k[s_n] with D_k[s] = R_k[s, s], a [k, n] table.
 */
export const excludedLossPerFrequency: Measure<'excluded_loss_per_frequency', 'restricted_loss'> = {
  id: 'excluded_loss_per_frequency',
  description:
    'Train cross-entropy after removing only frequency k’s cos/sin(w_k(a+b)) directions, k = 1..K.',
  unit: 'nats',
  shape: 'vector',
  defaultCadence: 100,
  cadenceKey: 'restricted_loss',
  kinds: NETWORK_KINDS,
  readsGridLogits: true,
  length: (config) => frequencyCount(config.p),
  compute(snapshot) {
    const { config, grid } = snapshot;
    const { p } = config;
    const K = frequencyCount(p);
    const logits = snapshot.gridLogits();
    const F = sumFrequencyTensor(p); // [2K, p]
    const coefficients = tf.matMul(F, sumByAnswer(logits, grid.labels, p)); // [2K, p]
    const trainLabels = tf.gather(grid.labels, grid.trainIndex) as tf.Tensor1D;
    const trainLogits = tf.gather(logits, grid.trainIndex) as tf.Tensor2D;
    const n = trainLogits.shape[0];
    const correct = tf.sum(tf.mul(trainLogits, tf.oneHot(trainLabels, p, 1, 0, 'float32')), 1);
    // Rows of Fᵀ at each pair's answer: [n, 2K] = (cos(w_k s_n))_k ‖ (sin(w_k s_n))_k, scaled by 2/p².
    const waves = tf.mul(tf.gather(tf.transpose(F), trainLabels), 2 / (p * p)) as tf.Tensor2D;
    // D[k, s] = R_k[s, s] (unscaled): cos(w_k s)·coefC[k, s] + sin(w_k s)·coefS[k, s].
    const FC = tf.mul(F, coefficients);
    const diagonal = tf.add(tf.slice(FC, [0, 0], [K, p]), tf.slice(FC, [K, 0], [K, p]));
    const chunk = Math.max(1, Math.min(K, Math.floor(CHUNK_ELEMENTS / Math.max(1, n * p))));
    const parts: tf.Tensor1D[] = [];
    for (let start = 0; start < K; start += chunk) {
      const size = Math.min(chunk, K - start);
      parts.push(
        tf.tidy(() => {
          const A = tf.transpose(
            tf.stack([tf.slice(waves, [0, start], [n, size]), tf.slice(waves, [0, K + start], [n, size])], 2),
            [1, 0, 2],
          ) as tf.Tensor3D; // [size, n, 2]
          const B = tf.stack(
            [
              tf.slice(coefficients, [start, 0], [size, p]),
              tf.slice(coefficients, [K + start, 0], [size, p]),
            ],
            1,
          ) as tf.Tensor3D; // [size, 2, p]
          const removed = tf.sub(tf.reshape(trainLogits, [1, n, p]), tf.matMul(A, B)); // [size, n, p]
          const removedCorrect = tf.sub(
            tf.reshape(correct, [1, n]),
            tf.mul(tf.gather(tf.slice(diagonal, [start, 0], [size, p]), trainLabels, 1), 2 / (p * p)),
          ); // [size, n]
          const rows = rowCrossEntropyWithCorrect(
            tf.reshape(removed, [size * n, p]) as tf.Tensor2D,
            tf.reshape(removedCorrect, [size * n]) as tf.Tensor1D,
          );
          return blockRowMeans(tf.reshape(rows, [size, n]) as tf.Tensor2D);
        }),
      );
    }
    return (parts.length === 1 ? parts[0]! : tf.concat(parts)) as tf.Tensor1D;
  },
};
