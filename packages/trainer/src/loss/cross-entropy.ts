import * as tf from '@tensorflow/tfjs-core';
import { log1pPrecise } from './log1p.ts';

/**
 * Mean cross-entropy of logits z [n, c] against one-hot targets y [n, c], computed so that tiny losses survive in
 * float32 (measures.md §0: grokked models reach 1e-7..1e-9, where `1 − softmax` underflows). With m_n = max_c z_nc,
 * s_n = Σ_c e^{z_nc − m_n}, P = softmax(z) and M the one-hot of each row's argmax:
 *
 *   loss_n = logsumexp(z_n) − z_{n,y} = log1p(s_n − 1) + Σ_c z_nc·(M_nc − y_nc)
 *   s_n − 1 = Σ_c P_nc·(1 − M_nc) / Σ_c P_nc·M_nc          (max P = 1/s; a tied maximum contributes exactly 1)
 *
 * The non-maximal terms are summed on their own, so a loss of 1e-9 is not rounded away by adding it to 1, and
 * every reduction has at most one or two non-zero terms where precision matters; log1p is computed so that it keeps
 * them on every backend (log1p.ts). The softmax kernel does the
 * exponentials (XNNPACK's vectorised one on wasm), and no op broadcasts a column (slow on wasm).
 *
 * `argMax` is the row argmax of z (int32), shared with the accuracy. The gradient is written out, (P − y)/n, with
 * the target column's P_y − 1 summed from the other columns as −Σ_{c≠y} P_c: for a tiny loss P_y rounds to 1 in
 * float32, and P_y − 1 = 0 would leave the other columns' P_c as a gradient whose row sums are not 0 — a bias
 * AdamW scales up to full-size steps once most pairs are fitted (the papers compute the loss in float64).
 * The gradient is then exact to float32 rounding of each element.
 */
function crossEntropyWithArgMax(logits: tf.Tensor2D, targets: tf.Tensor2D, argMax: tf.Tensor1D): tf.Scalar {
  const [n, classes] = logits.shape;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const z = args[0] as tf.Tensor2D;
    const save = args[1] as tf.GradSaveFunc;
    const probs = tf.softmax(z);
    const atMax = tf.oneHot(argMax, classes, 1, 0, 'float32');
    const others = tf.div(tf.sum(tf.mul(probs, tf.sub(1, atMax)), 1), tf.sum(tf.mul(probs, atMax), 1));
    const maxMinusCorrect = tf.sum(tf.mul(z, tf.sub(atMax, targets)), 1);
    save([probs]);
    return {
      value: tf.mean(tf.add(log1pPrecise(others), maxMinusCorrect)) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        // P − y with the target column's P_y − 1 taken as −Σ_{c≠y} P_c (see above: P_y rounds to 1 once the
        // pair's loss is below 6e-8, which would leave each row's gradient summing to more than 0).
        const offTarget = tf.mul(saved[0]!, tf.sub(1, targets));
        const probsMinusTargets = tf.sub(offTarget, tf.mul(targets, tf.sum(offTarget, 1, true)));
        return tf.mul(probsMinusTargets, tf.div(dy, n));
      },
    };
  });
  return op(logits) as tf.Scalar;
}

/** Mean cross-entropy (see above). */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return crossEntropyWithArgMax(logits, targets, tf.argMax(logits, 1));
}

/** Mean cross-entropy and accuracy (argmax = label, first index on ties) from one argmax. */
export function lossAndAccuracy(
  logits: tf.Tensor2D,
  targets: tf.Tensor2D,
  labels: tf.Tensor1D,
): { loss: tf.Scalar; accuracy: tf.Scalar } {
  const argMax = tf.argMax(logits, 1) as tf.Tensor1D;
  return {
    loss: crossEntropyWithArgMax(logits, targets, argMax),
    accuracy: tf.mean(tf.cast(tf.equal(argMax, labels), 'float32')) as tf.Scalar,
  };
}
