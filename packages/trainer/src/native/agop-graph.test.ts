import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSameMeasures, measureValues, relativeError } from '../../test/helpers/compare.ts';
import { nativeRun } from '../../test/helpers/native-run.ts';
import { selectBackend } from '../backends/select.ts';
import { parseRunConfig, type RunConfigInput } from '../config.ts';
import { registerGradients } from '../gradients/index.ts';
import { finishInputAgop, hostInputAgop, inputAgopMatrix } from '../measures/input-agop.ts';
import { createMeasurePass } from '../training/measure-pass.ts';

const VARIANTS: Record<string, RunConfigInput> = {
  'concat relu bias': { p: 13, model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 } },
  // One hidden layer: the closed form (agop-graph.ts); depth 2 below: the backward pass.
  'sum silu, no bias (div)': {
    p: 11,
    operation: 'div',
    model: { kind: 'MLP', embedDim: 6, hiddenDim: 10, combine: 'sum', activation: 'silu', bias: false },
  },
  'sum silu depth 2, no bias (sub)': {
    p: 11,
    operation: 'sub',
    model: {
      kind: 'MLP',
      embedDim: 6,
      hiddenDim: 10,
      combine: 'sum',
      activation: 'silu',
      depth: 2,
      bias: false,
    },
  },
  // More training pairs than the AGOP samples (AGOP_MAX_PAIRS = 512): the sample is the split's first 512.
  'concat, p = 23, 518 training pairs': {
    p: 23,
    trainFraction: 0.98,
    model: { kind: 'MLP', embedDim: 8, hiddenDim: 12 },
  },
  // The backward pass over the transformer, in runs of 16 classes × 512 pairs: two runs, the second partial.
  "transformer with '=', α = 0.5, p = 23 (two runs)": {
    p: 23,
    trainFraction: 0.98,
    model: { kind: 'TRANSFORMER', dModel: 8, heads: 2, dMlp: 12, alpha: 0.5 },
  },
  "transformer without '=', not causal": {
    p: 11,
    model: { kind: 'TRANSFORMER', dModel: 8, heads: 2, dMlp: 8, equalsToken: false, causal: false },
  },
};

describe('input AGOP graph', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
    registerGradients();
  });

  for (const [name, input] of Object.entries(VARIANTS)) {
    it(`gives the tfjs input AGOP and the same measure values (${name})`, async () => {
      const config = parseRunConfig({ ...input, cadence: { input_agop: 1 } });
      const { split, model, engine } = await nativeRun(config);
      const own = async () => {
        const sums = await engine.inputAgop();
        return finishInputAgop(sums!.sum, sums!.gram, sums!.pairs, config.p);
      };
      const tfjsPass = createMeasurePass(config, model, split);
      const nativePass = createMeasurePass(config, model, split, {
        hostInputs: new Map([[hostInputAgop, own]]),
      });
      try {
        for (let t = 0; t < 4; t++) await engine.step();
        const { params } = await engine.evaluate();
        model.variables.forEach((v, i) => {
          v.assign(tf.tensor(params[i]!, v.shape));
        });
        // G itself against measures/input-agop.ts on the tfjs model (the same sampled pairs, centred).
        const sums = (await engine.inputAgop())!;
        const n = Math.min(512, split.train.length);
        expect(sums.pairs).toBe(n);
        const { a, b } = await import('../data/pairs.ts').then((m) => m.allPairs(config.p, config.operation));
        const sample = split.train.subarray(0, n);
        const [sa, sb] = [
          tf.tensor1d(
            Int32Array.from(sample, (i) => a[i]!),
            'int32',
          ),
          tf.tensor1d(
            Int32Array.from(sample, (i) => b[i]!),
            'int32',
          ),
        ];
        const G = inputAgopMatrix(model, config.p, sa, sb);
        tf.dispose([sa, sb]);
        const nativeG = Float64Array.from(sums.sum, (v) => v / n);
        expect(relativeError(nativeG, G)).toBeLessThanOrEqual(1e-4);

        const step = 4;
        const [fromTfjs, fromNative] = [
          await measureValues(tfjsPass, step),
          await measureValues(nativePass, step),
        ];
        expect(fromTfjs.length).toBeGreaterThanOrEqual(2);
        expectSameMeasures(fromNative, fromTfjs);
      } finally {
        tfjsPass.dispose();
        nativePass.dispose();
        model.dispose();
        await engine.dispose();
      }
    });
  }
});
