import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../config.ts';
import { createRng } from '../data/rng.ts';
import { splitPairs } from '../data/split.ts';
import { fourierBasisFloat32, frequencyCount } from '../fourier/basis.ts';
import { lossAndAccuracy } from '../loss/cross-entropy.ts';
import type { Model } from '../models/model.ts';
import { datasetTensors, disposeDataset, type SubsetTensors } from '../training/dataset.ts';

/** Which frequencies an ablation acts on: exactly one of the two, each k in 1..K. */
export type AblationSpec =
  | { keep: readonly number[]; remove?: never }
  | { remove: readonly number[]; keep?: never };

/** Loss and accuracy on both splits. */
export interface SplitScores {
  trainLoss: number;
  trainAcc: number;
  testLoss: number;
  testAcc: number;
}

export interface Ablation {
  mode: 'keep' | 'remove';
  /** The frequencies acted on, ascending, without repeats. */
  frequencies: number[];
  /** The model with its embedding ablated. */
  ablated: SplitScores;
  /** The same model unablated (the comparison the progress-measures paper draws). */
  baseline: SplitScores;
}

/** A bad ablation request: `field` names the offending argument. */
export class AblationError extends Error {
  constructor(
    readonly field: 'keep' | 'remove',
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'AblationError';
  }
}

/**
 * Fourier ablation of the token embedding (Nanda et al.'s ablations, on the embedding): E' = Bᵀ·diag(m)·B·E with B
 * the real Fourier basis of Z_p and m the kept components. `remove`: every component but the cos/sin pair of each
 * listed frequency; `keep`: only those pairs plus the constant component (the mean embedding, as restricted loss
 * keeps the per-class mean). Both operands read the ablated rows (Model.logitsFromEmbeddings), so the rest of the
 * network is untouched and nothing is written to the model. Train/test pairs are the run's own split.
 */
export async function ablateFrequencies(
  model: Model,
  config: RunConfig,
  spec: AblationSpec,
): Promise<Ablation> {
  const mode = spec.keep !== undefined ? 'keep' : 'remove';
  const listed = (spec.keep ?? spec.remove) as readonly number[];
  const K = frequencyCount(config.p);
  const bad = listed.find((k) => !Number.isInteger(k) || k < 1 || k > K);
  if (bad !== undefined)
    throw new AblationError(mode, `frequency ${bad} is not an integer in 1..${K} (p = ${config.p})`);
  const frequencies = [...new Set(listed)].sort((x, y) => x - y);
  const p = config.p;
  const mask = new Float32Array(p).fill(mode === 'keep' ? 0 : 1);
  if (mode === 'keep') mask[0] = 1;
  for (const k of frequencies) {
    mask[2 * k - 1] = mode === 'keep' ? 1 : 0;
    mask[2 * k] = mode === 'keep' ? 1 : 0;
  }
  const split = splitPairs(p, config.trainFraction, createRng(config.seed, 'split'), config.operation);
  const data = datasetTensors(p, split, config.operation);
  try {
    const scores = tf.tidy(() => {
      const B = tf.tensor2d(fourierBasisFloat32(p), [p, p]);
      const E = model.embedding();
      const ablatedE = tf.matMul(tf.mul(tf.transpose(B), tf.tensor1d(mask)), tf.matMul(B, E));
      const score = (embedding: tf.Tensor2D, subset: SubsetTensors): tf.Tensor1D => {
        if (subset.size === 0) return tf.tensor1d([Number.NaN, Number.NaN]);
        const logits = model.logitsFromEmbeddings(
          tf.gather(embedding, subset.a) as tf.Tensor2D,
          tf.gather(embedding, subset.b) as tf.Tensor2D,
        );
        const { loss, accuracy } = lossAndAccuracy(logits, subset.targets, subset.labels);
        return tf.stack([loss, accuracy]) as tf.Tensor1D;
      };
      return tf.concat([
        score(ablatedE as tf.Tensor2D, data.train),
        score(ablatedE as tf.Tensor2D, data.test),
        score(E, data.train),
        score(E, data.test),
      ]);
    });
    const v = await scores.data();
    scores.dispose();
    const at = (i: number): SplitScores => ({
      trainLoss: v[i]!,
      trainAcc: v[i + 1]!,
      testLoss: v[i + 2]!,
      testAcc: v[i + 3]!,
    });
    return { mode, frequencies, ablated: at(0), baseline: at(4) };
  } finally {
    disposeDataset(data);
  }
}
