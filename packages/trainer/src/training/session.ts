import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../config.ts';
import { allPairs } from '../data/pairs.ts';
import { createRng } from '../data/rng.ts';
import { splitPairs } from '../data/split.ts';
import { fourierBasisFloat32 } from '../fourier/basis.ts';
import { registerGradients } from '../gradients/index.ts';
import { lossAndAccuracy } from '../loss/cross-entropy.ts';
import { measuresDue } from '../measures/index.ts';
import { computeInputAgopAsync, type InputAgop } from '../measures/input-agop.ts';
import { keyFrequencyMask } from '../measures/key-frequencies.ts';
import type { HostInput, HostMatrix, MeasureSnapshot } from '../measures/measure.ts';
import { createModel } from '../models/index.ts';
import type { Model } from '../models/model.ts';
import { AdamW } from '../optim/adamw.ts';
import { type DatasetTensors, datasetTensors, disposeDataset, type SubsetTensors } from './dataset.ts';
import type { PackedValues, Slot } from './packing.ts';

/** The scalars every report carries, in packing order. */
const SCALAR_IDS = ['train_loss', 'train_acc', 'test_loss', 'test_acc'] as const;

/**
 * Everything one run keeps on the device between steps (data, model, optimiser state, constants), and the two
 * things the loop does with it. Created after the backend is selected; `dispose()` frees every tensor it made.
 */
export interface TrainingSession {
  readonly model: Model;
  /**
   * Step t on θ_t: forward/backward on the train pairs, test forward, the vector measures due at t, then the
   * AdamW update (θ_t → θ_{t+1}). Returns the measured values of θ_t as one tensor to read back. Async only for
   * the host reads some measures make first (awaited, so every backend works, webgpu included).
   */
  step(t: number): Promise<PackedValues>;
  /** The final report's values: every measure on the current parameters, no update. */
  evaluate(): Promise<PackedValues>;
  dispose(): void;
}

/** A measure read a host copy it did not list in `hostInputs`, so the loop did not read it before the step. */
function undeclaredHostInput(input: HostInput): Error {
  return new Error(
    `a measure due at this step reads '${input}' on the host without declaring it in hostInputs`,
  );
}

export function createTrainingSession(config: RunConfig): TrainingSession {
  registerGradients();
  const split = splitPairs(config.p, config.trainFraction, createRng(config.seed, 'split'), config.operation);
  const model = createModel(config, createRng(config.seed, 'init'));
  const data: DatasetTensors = datasetTensors(config.p, split, config.operation);
  const fourierBasis = tf.tensor2d(fourierBasisFloat32(config.p), [config.p, config.p]);
  const optimizer = new AdamW({ ...config.optimizer });
  const pairs = allPairs(config.p, config.operation);
  const grid: MeasureSnapshot['grid'] = {
    a: tf.tensor1d(pairs.a, 'int32'),
    b: tf.tensor1d(pairs.b, 'int32'),
    labels: tf.tensor1d(pairs.label, 'int32'),
    trainIndex: tf.tensor1d(split.train, 'int32'),
    testIndex: tf.tensor1d(split.test, 'int32'),
  };
  // Per-step memos: set inside the step's tidy (so the tidy frees them) and cleared when the step ends, so a later
  // step never sees a disposed tensor.
  let memoLogits: tf.Tensor2D | undefined;
  let memoMask: tf.Tensor1D | undefined;
  const resetMemos = (): void => {
    memoLogits = undefined;
    memoMask = undefined;
  };
  // Host copies read before the step's tidy (prefetchHostInputs) and dropped when the step ends.
  let hostEmbedding: HostMatrix | undefined;
  let hostAgop: InputAgop | undefined;

  /** Reads, with awaited `data()`, what the measures due at `step` read on the host (measure.ts, HostInput). */
  const prefetchHostInputs = async (step: number, final: boolean): Promise<void> => {
    const needs = new Set(measuresDue(step, config, final).flatMap((m) => m.hostInputs ?? []));
    if (needs.has('embedding')) {
      const E = tf.tidy(() => tf.clone(model.embedding()));
      const [rows = config.p, cols = 0] = E.shape;
      try {
        hostEmbedding = { values: (await E.data()) as Float32Array, rows, cols };
      } finally {
        E.dispose();
      }
    }
    if (needs.has('inputAgop')) hostAgop = await computeInputAgopAsync(snapshot);
  };
  const dropHostInputs = (): void => {
    hostEmbedding = undefined;
    hostAgop = undefined;
  };
  const snapshot: MeasureSnapshot = {
    config,
    model,
    fourierBasis,
    grid,
    gridLogits() {
      memoLogits ??= model.logits(grid.a, grid.b);
      return memoLogits;
    },
    keyFrequencyMask() {
      memoMask ??= keyFrequencyMask(config, fourierBasis, model);
      return memoMask;
    },
    inputAgop() {
      if (hostAgop === undefined) throw undeclaredHostInput('inputAgop');
      return hostAgop;
    },
    embeddingHost() {
      if (hostEmbedding === undefined) throw undeclaredHostInput('embedding');
      return hostEmbedding;
    },
  };

  const evaluateSubset = (subset: SubsetTensors): [tf.Scalar, tf.Scalar] => {
    const { loss, accuracy } = lossAndAccuracy(
      model.logits(subset.a, subset.b),
      subset.targets,
      subset.labels,
    );
    return [loss, accuracy];
  };

  /** Where each value of a step's packed tensor comes from (scalars first, then the measures due). */
  const slotsFor = (step: number, final: boolean): Slot[] => [
    ...SCALAR_IDS.map((id): Slot => ({ id, shape: 'scalar', length: 1 })),
    ...measuresDue(step, config, final).map(
      (m): Slot => ({ id: m.id, shape: m.shape, length: m.length(config) }),
    ),
  ];

  /** Packs θ_t's values in `slotsFor` order; `train` holds the train loss/accuracy the caller computed. */
  const pack = (step: number, final: boolean, train: [tf.Scalar, tf.Scalar]): tf.Tensor1D => {
    const [testLoss, testAcc] = evaluateSubset(data.test);
    const parts: tf.Tensor1D[] = [tf.stack([train[0], train[1], testLoss, testAcc]) as tf.Tensor1D];
    resetMemos();
    try {
      for (const measure of measuresDue(step, config, final)) parts.push(measure.compute(snapshot));
    } finally {
      resetMemos();
    }
    return tf.concat(parts);
  };

  return {
    model,
    async step(t) {
      await prefetchHostInputs(t, false);
      let tensor: tf.Tensor1D;
      try {
        tensor = tf.tidy(() => {
          // tf.variableGrads disposes everything f made except its result; the accuracy is kept by hand.
          let trainAcc: tf.Scalar | undefined;
          const { value: trainLoss, grads } = tf.variableGrads(() => {
            const { train } = data;
            const { loss, accuracy } = lossAndAccuracy(
              model.logits(train.a, train.b),
              train.targets,
              train.labels,
            );
            trainAcc = tf.keep(accuracy);
            return loss;
          }, [...model.variables]);
          try {
            const packed = pack(t, false, [trainLoss, trainAcc!]);
            optimizer.apply(model.variables, grads);
            return packed;
          } finally {
            trainAcc?.dispose();
          }
        });
      } finally {
        dropHostInputs();
      }
      return { tensor, slots: slotsFor(t, false) };
    },
    async evaluate() {
      const step = optimizer.updates;
      await prefetchHostInputs(step, true);
      try {
        const tensor = tf.tidy(() => pack(step, true, evaluateSubset(data.train)));
        return { tensor, slots: slotsFor(step, true) };
      } finally {
        dropHostInputs();
      }
    },
    dispose() {
      optimizer.dispose();
      model.dispose();
      disposeDataset(data);
      fourierBasis.dispose();
      tf.dispose([grid.a, grid.b, grid.labels, grid.trainIndex, grid.testIndex]);
    },
  };
}
