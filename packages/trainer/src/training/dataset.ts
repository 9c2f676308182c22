import * as tf from '@tensorflow/tfjs-core';
import type { Operation } from '../config.ts';
import { allPairs, selectPairs } from '../data/pairs.ts';
import type { Split } from '../data/split.ts';

/** One subset of the grid as device-resident constants, built once per run. */
export interface SubsetTensors {
  size: number;
  a: tf.Tensor1D;
  b: tf.Tensor1D;
  labels: tf.Tensor1D;
  /** One-hot labels [n, p] for the cross-entropy. */
  targets: tf.Tensor2D;
}

export function subsetTensors(p: number, indices: Int32Array, operation: Operation = 'add'): SubsetTensors {
  const { a, b, label } = selectPairs(allPairs(p, operation), indices);
  return tf.tidy(() => {
    const labels = tf.tensor1d(label, 'int32');
    return {
      size: indices.length,
      a: tf.tensor1d(a, 'int32'),
      b: tf.tensor1d(b, 'int32'),
      labels,
      targets: tf.oneHot(labels, p, 1, 0, 'float32') as tf.Tensor2D,
    };
  });
}

export interface DatasetTensors {
  train: SubsetTensors;
  test: SubsetTensors;
}

export function datasetTensors(p: number, split: Split, operation: Operation = 'add'): DatasetTensors {
  return { train: subsetTensors(p, split.train, operation), test: subsetTensors(p, split.test, operation) };
}

export function disposeDataset({ train, test }: DatasetTensors): void {
  for (const s of [train, test]) tf.dispose([s.a, s.b, s.labels, s.targets]);
}
