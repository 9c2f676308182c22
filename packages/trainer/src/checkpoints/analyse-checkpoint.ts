import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../config.ts';
import { allPairs } from '../data/pairs.ts';
import { fourierBasisFloat32 } from '../fourier/basis.ts';
import { registerGradients } from '../gradients/index.ts';
import { MEASURES } from '../measures/index.ts';
import { keyFrequencyMask } from '../measures/key-frequencies.ts';
import type { HostProvider, Measure, MeasureSnapshot } from '../measures/measure.ts';
import type { TransformerLayout } from '../models/transformer.ts';
import { type CheckpointFormat, readCheckpointFile } from './read-checkpoint.ts';
import { loadCheckpoint, parseReleaseConfig } from './released-layout.ts';

/** Measures `analyse` skips: the input AGOP pair costs p backward passes and describes the MLP/RFM comparison. */
const SKIPPED = new Set(['input_circulant_deviation', 'input_agop_alignment']);

/** The measures `analyse` reports, in registry order: every parameter measure a checkpoint can give. */
export const ANALYSE_MEASURES: readonly Measure[] = MEASURES.filter(
  (m) => !SKIPPED.has(m.id) && m.shape !== 'matrix',
);

export interface CheckpointAnalysis {
  format: CheckpointFormat;
  layout: 'clock-pizza' | 'progress-measures';
  notes: string[];
  config: RunConfig;
  architecture: TransformerLayout & { heads: number; dModel: number; dMlp: number; alpha: number };
  /**
   * measure id → value over all p² pairs (the release's train/test split is not in the file): `accuracy`, `loss`
   * (cross-entropy), `parameter_norm` (√Σθ² of every tensor in the file but buffers), then every ANALYSE_MEASURES
   * id (scalars as numbers, per-frequency vectors as arrays; `gradient_symmetry` from the final sample of
   * `config.analysis.finalSymmetryTriples`, 1000 by default).
   */
  measures: Record<string, number | number[]>;
}

/**
 * Analyses one released checkpoint on the current tfjs backend: reads it (readCheckpointFile), loads it as the
 * trainer's transformer (loadCheckpoint: refuses what it cannot represent) and computes the measures the trainer
 * records at a final step, with the training pairs taken as all p² pairs.
 */
export async function analyseCheckpoint(
  bytes: Uint8Array,
  options: { config?: unknown; symmetryTriples?: number } = {},
): Promise<CheckpointAnalysis> {
  registerGradients();
  const file = readCheckpointFile(bytes);
  const release =
    options.config !== undefined ? parseReleaseConfig(options.config) : (file.embeddedConfig ?? {});
  const loaded = loadCheckpoint(file.tensors, release);
  const config: RunConfig = options.symmetryTriples
    ? {
        ...loaded.config,
        analysis: { ...loaded.config.analysis, finalSymmetryTriples: options.symmetryTriples },
      }
    : loaded.config;
  const { model } = loaded;
  const { p } = config;
  const pairs = allPairs(p, config.operation);
  const fourierBasis = tf.tensor2d(fourierBasisFloat32(p), [p, p]);
  const grid: MeasureSnapshot['grid'] = {
    a: tf.tensor1d(pairs.a, 'int32'),
    b: tf.tensor1d(pairs.b, 'int32'),
    labels: tf.tensor1d(pairs.label, 'int32'),
    trainIndex: tf.tensor1d(
      Int32Array.from({ length: p * p }, (_, i) => i),
      'int32',
    ),
    testIndex: tf.tensor1d([], 'int32'),
  };
  const hostValues = new Map<HostProvider<unknown>, unknown>();
  const shared = new Map<string, tf.Tensor>();
  let logits: tf.Tensor2D | undefined;
  let mask: tf.Tensor1D | undefined;
  const snapshot: MeasureSnapshot = {
    config,
    model,
    fourierBasis,
    grid,
    gridLogits: () => (logits ??= model.logits(grid.a, grid.b)),
    keyFrequencyMask: () => (mask ??= keyFrequencyMask(config, fourierBasis, model)),
    host<T>(provider: HostProvider<T>): T {
      if (!hostValues.has(provider)) throw new Error(`host input '${provider.name}' was not read`);
      return hostValues.get(provider) as T;
    },
    final: true,
    shared<T extends tf.Tensor>(key: string, make: () => T): T {
      const hit = shared.get(key);
      if (hit) return hit as T;
      const made = make();
      shared.set(key, made);
      return made;
    },
  };
  try {
    for (const provider of new Set(ANALYSE_MEASURES.flatMap((m) => m.hostInputs ?? [])))
      hostValues.set(provider, await provider.read(snapshot));
    const measures: Record<string, number | number[]> = {};
    const computed = tf.tidy(() => {
      const all = snapshot.gridLogits();
      const accuracy = tf.mean(tf.cast(tf.equal(tf.argMax(all, 1), grid.labels), 'float32'));
      const loss = tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(all), tf.oneHot(grid.labels, p)), 1)));
      return [accuracy, loss, ...ANALYSE_MEASURES.map((m) => m.compute(snapshot))];
    });
    const values = await Promise.all(computed.map((t) => t.data()));
    tf.dispose(computed);
    measures.accuracy = values[0]![0]!;
    measures.loss = values[1]![0]!;
    measures.parameter_norm = loaded.parameterNorm;
    ANALYSE_MEASURES.forEach((m, i) => {
      const v = Array.from(values[i + 2]!);
      measures[m.id] = m.shape === 'scalar' ? v[0]! : v;
    });
    const m = config.model as { dModel: number; heads: number; dMlp: number; alpha: number };
    return {
      format: file.format,
      layout: loaded.description.layout,
      notes: loaded.description.notes,
      config,
      architecture: { ...loaded.layout, dModel: m.dModel, heads: m.heads, dMlp: m.dMlp, alpha: m.alpha },
      measures,
    };
  } finally {
    model.dispose();
    tf.dispose([fourierBasis, grid.a, grid.b, grid.labels, grid.trainIndex, grid.testIndex]);
  }
}
