import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from '../../test/helpers/compare.ts';
import { selectBackend } from '../backends/select.ts';
import { parseRunConfig, type RunConfig, type RunConfigInput } from '../config.ts';
import { createRng } from '../data/rng.ts';
import { splitPairs } from '../data/split.ts';
import { registerGradients } from '../gradients/index.ts';
import { lossAndAccuracy } from '../loss/cross-entropy.ts';
import { createModel } from '../models/index.ts';
import { AdamW } from '../optim/adamw.ts';
import { datasetTensors, disposeDataset } from '../training/dataset.ts';
import { NativeEngine } from './engine.ts';

const STEPS = 3;

/** Every model variant the trainer has, small, with warm-up and the four operations spread over them. */
const VARIANTS: Record<string, RunConfigInput> = {
  'mlp concat relu bias': { p: 13, model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 } },
  'mlp sum silu depth 2': {
    p: 13,
    operation: 'sub',
    model: { kind: 'MLP', embedDim: 8, hiddenDim: 16, combine: 'sum', activation: 'silu', depth: 2 },
  },
  'mlp no bias depth 3 relu': {
    p: 11,
    operation: 'mul',
    model: { kind: 'MLP', embedDim: 6, hiddenDim: 12, bias: false, depth: 3 },
    optimizer: { warmupSteps: 2 },
  },
  'mlp concat silu (div)': {
    p: 11,
    operation: 'div',
    model: { kind: 'MLP', embedDim: 6, hiddenDim: 10, activation: 'silu' },
  },
  'transformer with = (Nanda)': {
    p: 11,
    model: { kind: 'TRANSFORMER', dModel: 16, heads: 4, dMlp: 32 },
    optimizer: { warmupSteps: 2 },
  },
  'transformer α 0.5, no =, no mask': {
    p: 11,
    trainFraction: 0.8,
    operation: 'sub',
    model: {
      kind: 'TRANSFORMER',
      dModel: 12,
      heads: 3,
      dMlp: 20,
      alpha: 0.5,
      causal: false,
      equalsToken: false,
    },
    optimizer: { weightDecay: 2 },
  },
  'transformer α 0, 1 head': {
    p: 7,
    model: { kind: 'TRANSFORMER', dModel: 8, heads: 1, dMlp: 16, alpha: 0, equalsToken: false },
  },
};

interface Trace {
  scalars: number[][];
  grads: Float32Array[][];
  params: Float32Array[][];
}

/** The reference: the tfjs model, autodiff and AdamW the wasm backend trains with (training/session.ts). */
async function tfjsTrace(config: RunConfig): Promise<Trace> {
  const split = splitPairs(config.p, config.trainFraction, createRng(config.seed, 'split'), config.operation);
  const model = createModel(config, createRng(config.seed, 'init'));
  const data = datasetTensors(config.p, split, config.operation);
  const optimizer = new AdamW({ ...config.optimizer });
  const trace: Trace = { scalars: [], grads: [], params: [] };
  for (let t = 0; t < STEPS; t++) {
    const { loss, accuracy, grads, testLoss, testAcc } = tf.tidy(() => {
      let acc: tf.Scalar | undefined;
      const result = tf.variableGrads(() => {
        const r = lossAndAccuracy(
          model.logits(data.train.a, data.train.b),
          data.train.targets,
          data.train.labels,
        );
        acc = tf.keep(r.accuracy);
        return r.loss;
      }, [...model.variables]);
      const test = lossAndAccuracy(
        model.logits(data.test.a, data.test.b),
        data.test.targets,
        data.test.labels,
      );
      return {
        loss: result.value,
        accuracy: acc!,
        grads: result.grads,
        testLoss: test.loss,
        testAcc: test.accuracy,
      };
    });
    const norm = model.variables.reduce(
      (s, v) => s + (v.dataSync() as Float32Array).reduce((a, x) => a + x * x, 0),
      0,
    );
    trace.scalars.push([
      loss.dataSync()[0]!,
      accuracy.dataSync()[0]!,
      testLoss.dataSync()[0]!,
      testAcc.dataSync()[0]!,
      norm,
    ]);
    trace.grads.push(model.variables.map((v) => grads[v.name]!.dataSync() as Float32Array));
    optimizer.apply(model.variables, grads);
    trace.params.push(model.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array)));
    tf.dispose([loss, accuracy, testLoss, testAcc, ...Object.values(grads)]);
  }
  optimizer.dispose();
  model.dispose();
  disposeDataset(data);
  return trace;
}

async function nativeTrace(config: RunConfig): Promise<Trace> {
  const split = splitPairs(config.p, config.trainFraction, createRng(config.seed, 'split'), config.operation);
  const model = createModel(config, createRng(config.seed, 'init'));
  const initial = model.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
  model.dispose();
  const engine = await NativeEngine.create(config, split, initial, { withGradients: true });
  const trace: Trace = { scalars: [], grads: [], params: [] };
  for (let t = 0; t < STEPS; t++) {
    const r = await engine.step();
    trace.scalars.push(Array.from(r.scalars));
    trace.grads.push([...r.grads!]);
    // A step returns the parameters it started from: θ_t is the update of step t − 1. They are views the next
    // step overwrites (state-buffers.ts), so the trace copies them.
    if (t > 0) trace.params.push(r.params.map((p) => Float32Array.from(p)));
  }
  trace.params.push((await engine.evaluate()).params.map((p) => Float32Array.from(p)));
  await engine.dispose();
  return trace;
}

describe('native step graph', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
    registerGradients();
  });

  for (const [name, input] of Object.entries(VARIANTS)) {
    it(`matches the tfjs reference: loss, gradients and updated weights (${name})`, async () => {
      const config = parseRunConfig(input);
      const reference = await tfjsTrace(config);
      const native = await nativeTrace(config);
      for (let t = 0; t < STEPS; t++) {
        const ref = reference.scalars[t]!;
        const got = native.scalars[t]!;
        ref.forEach((value, k) => {
          expect(Math.abs(got[k]! - value)).toBeLessThanOrEqual(1e-5 * Math.abs(value) + 1e-7);
        });
        reference.grads[t]!.forEach((g, i) => {
          expect(relativeError(native.grads[t]![i]!, g)).toBeLessThanOrEqual(1e-5);
        });
        reference.params[t]!.forEach((p, i) => {
          expect(relativeError(native.params[t]![i]!, p)).toBeLessThanOrEqual(1e-5);
        });
      }
    });
  }

  it('gives identical numbers for the same seed', async () => {
    const config = parseRunConfig(VARIANTS['transformer with = (Nanda)']);
    const [first, second] = [await nativeTrace(config), await nativeTrace(config)];
    expect(second.scalars).toEqual(first.scalars);
    second.params.forEach((step, t) => {
      step.forEach((p, i) => {
        expect(Array.from(p)).toEqual(Array.from(first.params[t]![i]!));
      });
    });
  });
});
