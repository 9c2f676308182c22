import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../config.ts';
import { frequencyCount } from '../fourier/basis.ts';
import type { Model } from '../models/model.ts';
import { frequencyNormsFromSq } from './fourier-ops.ts';
import { logitMapComponentNormsSq } from './logit-map-fourier-norms.ts';
import type { Measure } from './measure.ts';

/**
 * measures.md §4.2 rule 1 on per-frequency norms M [K]: mask_k = 1 iff M_k ≥ τ·max M and M_k > 0.
 * The `> 0` makes an all-zero W_L give an empty set (the spec's flagged edge) instead of every frequency.
 */
export function keyFrequencyMaskFromNorms(norms: tf.Tensor1D, threshold: number): tf.Tensor1D {
  const cut = tf.mul(tf.max(norms), threshold);
  return tf.cast(tf.logicalAnd(tf.greaterEqual(norms, cut), tf.greater(norms, 0)), 'float32') as tf.Tensor1D;
}

/** The fixed set of config.analysis.keyFrequencies as a mask [K]; entries above K (impossible at this p) are ignored. */
export function fixedKeyFrequencyMask(p: number, frequencies: readonly number[]): Float32Array {
  const K = frequencyCount(p);
  const mask = new Float32Array(K);
  for (const k of frequencies) if (k >= 1 && k <= K) mask[k - 1] = 1;
  return mask;
}

/**
 * The key frequencies of the model at this step as a 0/1 mask [K]: config.analysis.keyFrequencies when set,
 * else rule 1 on the W_L spectrum with τ = config.analysis.keyFrequencyThreshold. Call inside a tidy.
 */
export function keyFrequencyMask(config: RunConfig, basis: tf.Tensor2D, model: Model): tf.Tensor1D {
  const fixed = config.analysis.keyFrequencies;
  if (fixed !== undefined) return tf.tensor1d(fixedKeyFrequencyMask(config.p, fixed));
  const norms = frequencyNormsFromSq(logitMapComponentNormsSq(basis, model.logitMap()));
  return keyFrequencyMaskFromNorms(norms, config.analysis.keyFrequencyThreshold);
}

/** measures.md §4.2: the key-frequency set in use at this step (live), as K entries 0/1. */
export const keyFrequencies: Measure = {
  id: 'key_frequencies',
  description:
    'Key frequencies in use at this step (1 = key), k = 1..K: logit-map norm M_k ≥ τ·max M (or the configured set).',
  unit: 'indicator',
  shape: 'vector',
  defaultCadence: 100,
  length: (config) => frequencyCount(config.p),
  compute(snapshot) {
    return snapshot.keyFrequencyMask();
  },
};
