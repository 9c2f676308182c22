import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../config.ts';
import { createRng } from '../data/rng.ts';
import { splitPairs } from '../data/split.ts';
import { registerGradients } from '../gradients/index.ts';
import { measuresDue } from '../measures/index.ts';
import { createModel } from '../models/index.ts';
import type { Model } from '../models/model.ts';
import { createMeasurePass, type MeasurePass } from '../training/measure-pass.ts';
import type { PackedValues } from '../training/packing.ts';
import { checkStateShapes, type TrainingSession } from '../training/session.ts';
import { NativeEngine, type NativeStepResult } from './engine.ts';
import { nativeMeasureSources } from './measure-graphs.ts';
import type { ExecutionProvider } from './runtime.ts';
import { STEP_SCALARS } from './step-graph.ts';

/** Measures the step graph computes itself, by id, with their index in its `scalars` output. */
const IN_GRAPH_MEASURES = new Map([['weight_norm', STEP_SCALARS.indexOf('weight_norm')]]);

/**
 * Packs what a native step computed for one run (its STEP_SCALARS and θ_t) with the measures due at `step`, which
 * run on the run's tfjs model: θ_t is copied into its variables only when a measure other than the graph's is due.
 * Shared by the single-run session and the batched runs (train-batch.ts).
 */
export async function packNativeValues(
  config: RunConfig,
  model: Model,
  measures: MeasurePass,
  step: number,
  final: boolean,
  scalars: Float32Array,
  params: readonly Float32Array[],
): Promise<PackedValues> {
  const provided = new Map([...IN_GRAPH_MEASURES].map(([id, index]) => [id, scalars[index]!]));
  const due = measuresDue(step, config, final);
  if (due.every((m) => provided.has(m.id))) {
    // Every value is the graph's own: no tfjs op and no device read (most steps at the default cadences).
    return {
      values: Float32Array.from([...scalars.subarray(0, 4), ...due.map((m) => provided.get(m.id)!)]),
      slots: measures.slots(step, final),
    };
  }
  model.variables.forEach((v, i) => {
    tf.tidy(() => v.assign(tf.tensor(params[i]!, v.shape)));
  });
  await measures.prefetch(step, final);
  try {
    const tensor = tf.tidy(() =>
      tf.concat([tf.tensor1d(scalars.subarray(0, 4)), ...measures.compute(step, final, provided)]),
    );
    return { values: tensor, slots: measures.slots(step, final) };
  } finally {
    measures.drop();
  }
}

/**
 * A run on the native engine. The step graph trains and reports the losses, accuracies and weight norm; the other
 * measures run on a tfjs copy of the model (on the tfjs backend selected alongside, wasm), whose variables receive
 * θ_t from the runtime only at steps where such a measure is due.
 */
export async function createNativeSession(
  config: RunConfig,
  provider: ExecutionProvider,
): Promise<TrainingSession> {
  registerGradients();
  const split = splitPairs(config.p, config.trainFraction, createRng(config.seed, 'split'), config.operation);
  // The tfjs model draws θ_0 (the same Rng, hence the same weights as every other backend) and later measures.
  const model = createModel(config, createRng(config.seed, 'init'));
  const initial = model.variables.map((v) => v.dataSync() as Float32Array);
  let engine: NativeEngine;
  try {
    engine = await NativeEngine.create(config, split, initial, { provider });
  } catch (error) {
    model.dispose();
    throw error;
  }
  // The all-pairs logits and the MLP's input AGOP come from graphs on the runtime's own weights (measure-graphs.ts).
  const measures = createMeasurePass(config, model, split, nativeMeasureSources(config, engine));

  const pack = (step: number, final: boolean, result: NativeStepResult): Promise<PackedValues> =>
    packNativeValues(config, model, measures, step, final, result.scalars, result.params);

  return {
    model,
    async step(t) {
      return pack(t, false, await engine.step());
    },
    async evaluate() {
      return pack(engine.updates, true, await engine.evaluate());
    },
    async exportState() {
      const { params, m, v, updates } = engine.exportState();
      return { step: updates, params, m, v, shapes: model.variables.map((x) => [...x.shape]) };
    },
    importState(state) {
      checkStateShapes(
        model.variables.map((x) => x.shape),
        state,
      );
      engine.importState({ ...state, updates: state.step });
    },
    async dispose() {
      measures.dispose();
      model.dispose();
      await engine.dispose();
    },
  };
}
