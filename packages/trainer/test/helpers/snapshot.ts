import * as tf from '@tensorflow/tfjs-core';
import { parseRunConfig, type RunConfigInput } from '../../src/config.ts';
import { allPairs } from '../../src/data/pairs.ts';
import { fourierBasisFloat32 } from '../../src/fourier/basis.ts';
import { hostEmbedding } from '../../src/measures/host-inputs.ts';
import { computeInputAgop, hostInputAgop } from '../../src/measures/input-agop.ts';
import { keyFrequencyMask } from '../../src/measures/key-frequencies.ts';
import type { HostMatrix, HostProvider, MeasureSnapshot } from '../../src/measures/measure.ts';
import type { Model } from '../../src/models/model.ts';

export interface FakeSnapshotOptions {
  config?: RunConfigInput;
  /** Model parts the measure reads (the rest throw if called). */
  model?: Partial<Model>;
  /** Rows [p², p] a-major, returned by gridLogits() (instead of the model's logits). */
  logits?: number[][] | Float32Array;
  /** Train pair indices (default: every pair). */
  train?: number[];
  /** The snapshot's `final` (default false). */
  final?: boolean;
}

/**
 * A MeasureSnapshot over constructed inputs, for measure unit tests. Its constants live until `dispose()`;
 * gridLogits/keyFrequencyMask are created per call (call the measure inside a tidy).
 */
export function fakeSnapshot(options: FakeSnapshotOptions): {
  snapshot: MeasureSnapshot;
  dispose: () => void;
} {
  const config = parseRunConfig(options.config ?? {});
  const { p } = config;
  const missing = (name: string) => () => {
    throw new Error(`fake model: ${name} not provided`);
  };
  const model = {
    kind: 'MLP',
    variables: [],
    logits: missing('logits'),
    embedding: missing('embedding'),
    logitMap: missing('logitMap'),
    logitsFromEmbeddings: missing('logitsFromEmbeddings'),
    inputFeatureMap: missing('inputFeatureMap'),
    dispose: () => {},
    ...options.model,
  } as Model;
  const pairs = allPairs(p);
  const train = Int32Array.from(options.train ?? Array.from({ length: p * p }, (_, i) => i));
  const trainSet = new Set(train);
  const test = Int32Array.from(Array.from({ length: p * p }, (_, i) => i).filter((i) => !trainSet.has(i)));
  const fourierBasis = tf.tensor2d(fourierBasisFloat32(p), [p, p]);
  const grid: MeasureSnapshot['grid'] = {
    a: tf.tensor1d(pairs.a, 'int32'),
    b: tf.tensor1d(pairs.b, 'int32'),
    labels: tf.tensor1d(pairs.label, 'int32'),
    trainIndex: tf.tensor1d(train, 'int32'),
    testIndex: tf.tensor1d(test, 'int32'),
  };
  const logits = options.logits;
  const snapshot: MeasureSnapshot = {
    config,
    model,
    fourierBasis,
    grid,
    gridLogits: () =>
      logits === undefined
        ? model.logits(grid.a, grid.b)
        : logits instanceof Float32Array
          ? tf.tensor2d(logits, [p * p, p])
          : tf.tensor2d(logits),
    keyFrequencyMask: () => keyFrequencyMask(config, fourierBasis, model),
    host: syncHost(model, () => snapshot),
    final: options.final ?? false,
    shared: (_key, make) => make(),
  };
  return {
    snapshot,
    dispose: () => tf.dispose([fourierBasis, grid.a, grid.b, grid.labels, grid.trainIndex, grid.testIndex]),
  };
}

/** The snapshot's `host` for tests: the providers read synchronously (the cpu and wasm backends can). */
export function syncHost(model: Model, snapshot: () => MeasureSnapshot): MeasureSnapshot['host'] {
  const reads = new Map<HostProvider<unknown>, () => unknown>([
    [hostEmbedding, () => embeddingHostSync(model)],
    [hostInputAgop, () => computeInputAgop(snapshot())],
  ]);
  return <T>(provider: HostProvider<T>): T => {
    const read = reads.get(provider);
    if (!read) throw new Error(`test snapshot: no synchronous read for host input '${provider.name}'`);
    return read() as T;
  };
}

/** The embedding on the host for tests: a synchronous read (the cpu and wasm backends have one). */
export function embeddingHostSync(model: Pick<Model, 'embedding'>): HostMatrix {
  return tf.tidy(() => {
    const E = model.embedding();
    const [rows = 0, cols = 0] = E.shape;
    return { values: E.dataSync() as Float32Array, rows, cols };
  });
}

/** Runs a measure-like function in a tidy and reads its values back (float64 numbers). */
export async function values(f: () => tf.Tensor): Promise<number[]> {
  const t = tf.tidy(f);
  const out = Array.from(await t.data());
  t.dispose();
  return out;
}
