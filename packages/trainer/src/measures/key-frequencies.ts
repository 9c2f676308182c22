import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../config.ts';
import { frequencyCount } from '../fourier/basis.ts';
import type { Model } from '../models/model.ts';
import { componentNormsSq, frequencyNormsFromSq } from './fourier-ops.ts';
import { logitMapComponentNormsSq } from './logit-map-fourier-norms.ts';
import { type Measure, NETWORK_KINDS } from './measure.ts';

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
 * The MLP rule on the embedding's squared component norms n_j² [p] (j = 0..p−1): k is key iff
 * - relative: N_k ≥ τ·max N (τ = keyFrequencyThreshold), and
 * - absolute: s_k > floor·mean over the p DFT entries of s (s_k = √(p/2)·N_k, s_0 = √p·n_0; floor =
 *   keyFrequencyFloor, 2 = the surviving-circles threshold of §6.2).
 * Why not W_L: an MLP's output layer stays spread over every frequency (τ·max keeps all K at the end of a grokked
 * run), while its embedding concentrates on the circles that survive. The floor is what makes a flat spectrum
 * (initialisation, memorisation) give an empty set rather than every k: a relative cut alone always keeps the noise.
 */
export function embeddingKeyMaskFromSq(
  componentSq: tf.Tensor1D,
  threshold: number,
  floor: number,
): tf.Tensor1D {
  const p = componentSq.shape[0];
  const N = frequencyNormsFromSq(componentSq);
  const s = tf.mul(N, Math.sqrt(p / 2));
  const s0 = tf.mul(tf.sqrt(tf.slice(componentSq, [0], [1])), Math.sqrt(p));
  const meanSignal = tf.div(tf.add(tf.sum(s0), tf.mul(tf.sum(s), 2)), p);
  const aboveFloor = tf.greater(s, tf.mul(meanSignal, floor));
  return tf.mul(keyFrequencyMaskFromNorms(N, threshold), tf.cast(aboveFloor, 'float32')) as tf.Tensor1D;
}

/**
 * The key frequencies of the model at this step as a 0/1 mask [K]: config.analysis.keyFrequencies when set, else
 * by model kind: transformer, rule 1 on the W_L spectrum with τ = config.analysis.keyFrequencyThreshold; MLP, the
 * embedding rule of `embeddingKeyMaskFromSq`. Call inside a tidy.
 */
export function keyFrequencyMask(config: RunConfig, basis: tf.Tensor2D, model: Model): tf.Tensor1D {
  const fixed = config.analysis.keyFrequencies;
  if (fixed !== undefined) return tf.tensor1d(fixedKeyFrequencyMask(config.p, fixed));
  const { keyFrequencyThreshold, keyFrequencyFloor } = config.analysis;
  if (config.model.kind === 'MLP')
    return embeddingKeyMaskFromSq(
      componentNormsSq(basis, model.embedding()),
      keyFrequencyThreshold,
      keyFrequencyFloor,
    );
  const norms = frequencyNormsFromSq(logitMapComponentNormsSq(basis, model.logitMap()));
  return keyFrequencyMaskFromNorms(norms, keyFrequencyThreshold);
}

/** measures.md §4.2: the key-frequency set in use at this step (live), as K entries 0/1. */
export const keyFrequencies: Measure<'key_frequencies'> = {
  id: 'key_frequencies',
  description:
    'Key frequencies in use at this step (1 = key), k = 1..K: transformer, logit-map norm M_k ≥ τ·max M; MLP, embedding norm N_k ≥ τ·max N and above the surviving-circles floor (or the configured set).',
  version: 2,
  unit: 'indicator',
  shape: 'vector',
  defaultCadence: 100,
  cadenceLabel: 'the key frequencies',
  kinds: NETWORK_KINDS,
  length: (config) => frequencyCount(config.p),
  compute(snapshot) {
    return snapshot.keyFrequencyMask();
  },
};
