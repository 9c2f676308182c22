/** Device helpers shared by the Fourier measures (measures.md §3–§4). Call inside a tidy. */
import * as tf from '@tensorflow/tfjs-core';
import { frequencyCount } from '../fourier/basis.ts';
import { sumFrequencyTable } from '../fourier/sum-directions.ts';
import { log1pPrecise } from '../loss/log1p.ts';

/** Squared component norms n_j² = ‖(B·X)[j, :]‖², j = 0..p−1, of X [p, m] transformed along its token axis (rows). */
export function componentNormsSq(basis: tf.Tensor2D, X: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.square(tf.matMul(basis, X)), 1) as tf.Tensor1D;
}

/** N_k = √(n_{2k−1}² + n_{2k}²), k = 1..K, from the p squared component norms. */
export function frequencyNormsFromSq(componentSq: tf.Tensor1D): tf.Tensor1D {
  const K = frequencyCount(componentSq.shape[0]);
  const pairs = tf.reshape(tf.slice(componentSq, [1], [2 * K]), [K, 2]);
  return tf.sqrt(tf.sum(pairs, 1)) as tf.Tensor1D;
}

/**
 * Hurley–Rickard Gini of a non-negative vector (measures.md §4.5). Computed without a sort through the identity
 * 1 − 2Σ_i (x_(i)/‖x‖₁)(N − i + ½)/N = Σ_{i,j}|x_i − x_j| / (2N·Σx) (N ≤ 257: an N×N table is nothing).
 * **Edge:** a zero vector gives 0 (the spec's “undefined → 0”).
 */
export function giniOf(x: tf.Tensor1D): tf.Scalar {
  const N = x.shape[0];
  const diffs = tf.abs(tf.sub(tf.reshape(x, [N, 1]), tf.reshape(x, [1, N])));
  const total = tf.sum(x);
  const safe = tf.maximum(total, 1e-30);
  const g = tf.div(tf.sum(diffs), tf.mul(safe, 2 * N));
  return tf.where(tf.greater(total, 0), g, tf.zerosLike(g)) as tf.Scalar;
}

/**
 * Logits summed over the pairs of each answer s = (a+b) mod p: G[s, c] = Σ_{(a,b): a+b≡s} Λ[(a,b), c] ([p, p]).
 * Every projection onto the sum directions C_k, S_k only needs G, so restricted/excluded losses cost O(p³).
 */
export function sumByAnswer(logits: tf.Tensor2D, labels: tf.Tensor1D, p: number): tf.Tensor2D {
  return tf.unsortedSegmentSum(logits, labels, p) as tf.Tensor2D;
}

/** The table F [2K, p] of sumFrequencyTable, as a tensor. */
export function sumFrequencyTensor(p: number): tf.Tensor2D {
  return tf.tensor2d(sumFrequencyTable(p), [2 * frequencyCount(p), p]);
}

/**
 * The projection of every logit column onto the key sum directions, as a function of s: R[s, c] such that
 * Σ_{k∈𝒦}(⟨Λ[:,:,c], C_k⟩C_k + ⟨Λ[:,:,c], S_k⟩S_k)(a, b) = R[(a+b) mod p, c]. With C_k = (√2/p)cos(w_k(a+b)),
 * ⟨Λ[:,:,c], C_k⟩ = (√2/p)(F G)[k, c], so R = (2/p²)·Fᵀ·diag(mask, mask)·F·G. `mask` [K] is 0/1 per frequency.
 */
export function sumDirectionProjection(G: tf.Tensor2D, mask: tf.Tensor1D, p: number): tf.Tensor2D {
  const K = frequencyCount(p);
  const F = sumFrequencyTensor(p);
  const coefficients = tf.matMul(F, G); // [2K, p]
  const mask2 = tf.reshape(tf.concat([mask, mask]), [2 * K, 1]);
  const kept = tf.mul(coefficients, mask2);
  return tf.mul(tf.matMul(F, kept, true, false), 2 / (p * p)) as tf.Tensor2D;
}

/**
 * Mean of a 1-D tensor summed in two stages (√n blocks of √n): float32 sequential sums of n ≈ 10⁴ losses near
 * ln p drift by ~1e-4 relative on wasm; blocking brings that to ~1e-6.
 */
export function blockMean(x: tf.Tensor1D): tf.Scalar {
  const n = x.shape[0];
  const block = Math.max(1, Math.ceil(Math.sqrt(n)));
  const blocks = Math.ceil(n / block);
  const padded = tf.pad(x, [[0, blocks * block - n]]);
  return tf.div(tf.sum(tf.sum(tf.reshape(padded, [blocks, block]), 1)), n) as tf.Scalar;
}

/**
 * Mean cross-entropy for measures (no gradient): the loss module's precise per-row form (src/loss/cross-entropy.ts:
 * log1p of the non-maximal softmax mass plus max − correct logit, so 1e-9 losses survive) with a blocked mean.
 */
export function measureCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return blockMean(
    rowCrossEntropy(logits, tf.oneHot(labels, logits.shape[1], 1, 0, 'float32') as tf.Tensor2D),
  );
}

/** Per-row cross-entropy [n] of logits [n, c] against one-hot targets [n, c], in the precise form above. */
export function rowCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Tensor1D {
  return rowCrossEntropyWithCorrect(logits, tf.sum(tf.mul(logits, targets), 1) as tf.Tensor1D);
}

/**
 * The same, given each row's correct logit [n] instead of targets (lets callers batch many logit variants without
 * tiling targets, which is slow on wasm): loss = log1p(non-max softmax mass / max mass) + max − correct.
 */
export function rowCrossEntropyWithCorrect(logits: tf.Tensor2D, correct: tf.Tensor1D): tf.Tensor1D {
  const classes = logits.shape[1];
  const atMax = tf.oneHot(tf.argMax(logits, 1), classes, 1, 0, 'float32');
  const probs = tf.softmax(logits);
  const others = tf.div(tf.sum(tf.mul(probs, tf.sub(1, atMax)), 1), tf.sum(tf.mul(probs, atMax), 1));
  const maxMinusCorrect = tf.sub(tf.sum(tf.mul(logits, atMax), 1), correct);
  return tf.add(log1pPrecise(others), maxMinusCorrect) as tf.Tensor1D;
}

/** Row means of x [m, n], each summed in two stages as in blockMean. */
export function blockRowMeans(x: tf.Tensor2D): tf.Tensor1D {
  const [m, n] = x.shape;
  const block = Math.max(1, Math.ceil(Math.sqrt(n)));
  const blocks = Math.ceil(n / block);
  const padded = tf.pad(x, [
    [0, 0],
    [0, blocks * block - n],
  ]);
  return tf.div(tf.sum(tf.sum(tf.reshape(padded, [m, blocks, block]), 2), 1), n) as tf.Tensor1D;
}
