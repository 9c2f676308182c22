import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../config.ts';
import { createRng } from '../data/rng.ts';
import { splitPairs } from '../data/split.ts';
import { registerGradients } from '../gradients/index.ts';
import { lossAndAccuracy } from '../loss/cross-entropy.ts';
import { createModel } from '../models/index.ts';
import type { Model } from '../models/model.ts';
import { AdamW } from '../optim/adamw.ts';
import type { TrainingState } from './checkpoint.ts';
import { type DatasetTensors, datasetTensors, disposeDataset, type SubsetTensors } from './dataset.ts';
import { createMeasurePass } from './measure-pass.ts';
import type { PackedValues } from './packing.ts';

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
  /** θ and the optimiser state now (after `updates` updates), for a checkpoint. */
  exportState(): Promise<Omit<TrainingState, 'elapsedMs'>>;
  /** Continues from a checkpoint of the same config: the next `step(t)` must be `t = state.step`. */
  importState(state: TrainingState): void | Promise<void>;
  dispose(): void | Promise<void>;
}

/** Throws naming the parameter whose shape differs from the checkpoint's (a checkpoint of another config). */
export function checkStateShapes(expected: readonly (readonly number[])[], state: TrainingState): void {
  if (state.params.length !== expected.length)
    throw new Error(
      `checkpoint: ${state.params.length} parameters, the run's model has ${expected.length} (another config?)`,
    );
  expected.forEach((shape, i) => {
    if (String(shape) !== String(state.shapes[i]))
      throw new Error(`checkpoint: parameter ${i} has shape [${state.shapes[i]}], the model [${shape}]`);
  });
}

/** The TensorFlow.js session: tfjs autodiff and AdamW on the selected tfjs backend. */
export function createTrainingSession(config: RunConfig): TrainingSession {
  registerGradients();
  const split = splitPairs(config.p, config.trainFraction, createRng(config.seed, 'split'), config.operation);
  const model = createModel(config, createRng(config.seed, 'init'));
  const data: DatasetTensors = datasetTensors(config.p, split, config.operation);
  const optimizer = new AdamW({ ...config.optimizer });
  const measures = createMeasurePass(config, model, split);

  const evaluateSubset = (subset: SubsetTensors): [tf.Scalar, tf.Scalar] => {
    const { loss, accuracy } = lossAndAccuracy(
      model.logits(subset.a, subset.b),
      subset.targets,
      subset.labels,
    );
    return [loss, accuracy];
  };

  /** Packs θ_t's values in `measures.slots` order; `train` holds the train loss/accuracy the caller computed. */
  const pack = (step: number, final: boolean, train: [tf.Scalar, tf.Scalar]): tf.Tensor1D => {
    const [testLoss, testAcc] = evaluateSubset(data.test);
    const scalars = tf.stack([train[0], train[1], testLoss, testAcc]) as tf.Tensor1D;
    return tf.concat([scalars, ...measures.compute(step, final)]);
  };

  return {
    model,
    async step(t) {
      await measures.prefetch(t, false);
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
        measures.drop();
      }
      return { values: tensor, slots: measures.slots(t, false) };
    },
    async evaluate() {
      const step = optimizer.updates;
      await measures.prefetch(step, true);
      try {
        const tensor = tf.tidy(() => pack(step, true, evaluateSubset(data.train)));
        return { values: tensor, slots: measures.slots(step, true) };
      } finally {
        measures.drop();
      }
    },
    async exportState() {
      const variables = model.variables;
      const { m, v, updates } = optimizer.exportMoments(variables);
      return {
        step: updates,
        params: variables.map((x) => Float32Array.from(x.dataSync() as Float32Array)),
        m,
        v,
        shapes: variables.map((x) => [...x.shape]),
      };
    },
    importState(state) {
      const variables = model.variables;
      checkStateShapes(
        variables.map((x) => x.shape),
        state,
      );
      variables.forEach((x, i) => {
        tf.tidy(() => x.assign(tf.tensor(state.params[i]!, x.shape)));
      });
      optimizer.importMoments(variables, state.m, state.v, state.step);
    },
    dispose() {
      optimizer.dispose();
      model.dispose();
      disposeDataset(data);
      measures.dispose();
    },
  };
}
