import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSameMeasures, measureValues } from '../../test/helpers/compare.ts';
import { selectBackend } from '../backends/select.ts';
import { parseRunConfig, type RunConfigInput } from '../config.ts';
import { createRng } from '../data/rng.ts';
import { splitPairs } from '../data/split.ts';
import { frequencyCount } from '../fourier/basis.ts';
import { registerGradients } from '../gradients/index.ts';
import { measuresDue } from '../measures/index.ts';
import { createModel } from '../models/index.ts';
import { createMeasurePass } from '../training/measure-pass.ts';
import { NativeEngine } from './engine.ts';
import { nativeMeasureSources } from './measure-graphs.ts';

const VARIANTS: Record<string, RunConfigInput> = {
  // A configured key set (non-empty so early in training) for two variants; the live rule for the others.
  'mlp (add), keys 1 and 4': {
    p: 13,
    model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 },
    analysis: { keyFrequencies: [1, 4] },
  },
  'mlp sum silu (div)': {
    p: 11,
    operation: 'div',
    model: { kind: 'MLP', embedDim: 6, hiddenDim: 10, combine: 'sum', activation: 'silu' },
  },
  'transformer with =, key 2': {
    p: 11,
    model: { kind: 'TRANSFORMER', dModel: 16, heads: 4, dMlp: 32 },
    analysis: { keyFrequencies: [2] },
  },
  'transformer α 0.5, no =': {
    p: 7,
    model: { kind: 'TRANSFORMER', dModel: 12, heads: 3, dMlp: 20, alpha: 0.5, equalsToken: false },
  },
};

/** Every measure that reads the grid logits, and the key set, due at every step. */
const CADENCE = { restricted_loss: 1, distance_irrelevance: 1, key_frequencies: 1 } as const;

describe('grid logits graph', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
    registerGradients();
  });

  for (const [name, input] of Object.entries(VARIANTS)) {
    it(`gives the tfjs model's all-pairs logits and the same measure values (${name})`, async () => {
      const config = parseRunConfig({ ...input, cadence: CADENCE });
      const split = splitPairs(
        config.p,
        config.trainFraction,
        createRng(config.seed, 'split'),
        config.operation,
      );
      const model = createModel(config, createRng(config.seed, 'init'));
      const engine = await NativeEngine.create(
        config,
        split,
        model.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array)),
      );
      const tfjsPass = createMeasurePass(config, model, split);
      const nativePass = createMeasurePass(config, model, split, nativeMeasureSources(config, engine));
      try {
        // A few updates away from θ_0, so the weights are the runtime's own and not the initial copy.
        for (let t = 0; t < 4; t++) await engine.step();
        const { params } = await engine.evaluate();
        model.variables.forEach((v, i) => {
          v.assign(tf.tensor(params[i]!, v.shape));
        });
        const { logits: grid, excludedLossPerFrequency: perFrequency } = await engine.grid(
          new Float32Array(frequencyCount(config.p)),
        );
        const { a, b } = await import('../data/pairs.ts').then((m) => m.allPairs(config.p, config.operation));
        const reference = tf.tidy(() =>
          model.logits(tf.tensor1d(a, 'int32'), tf.tensor1d(b, 'int32')).dataSync(),
        );
        expect(grid.length).toBe(reference.length);
        let scale = 0;
        for (const x of reference) scale = Math.max(scale, Math.abs(x));
        grid.forEach((x, i) => {
          expect(Math.abs(x - reference[i]!)).toBeLessThanOrEqual(1e-4 * scale);
        });

        const step = 4;
        expect(measuresDue(step, config, false).filter((m) => m.readsGridLogits).length).toBeGreaterThan(1);
        const [fromTfjs, fromNative] = [
          await measureValues(tfjsPass, step),
          await measureValues(nativePass, step),
        ];
        // The graph's own excluded loss per frequency is the tfjs measure's value.
        const index = measuresDue(step, config, false).findIndex(
          (m) => m.id === 'excluded_loss_per_frequency',
        );
        expect(index).toBeGreaterThanOrEqual(0);
        expect(perFrequency.length).toBe(fromTfjs[index]!.length);
        perFrequency.forEach((v, k) => {
          expect(
            Math.abs(v - fromTfjs[index]![k]!),
            `excluded loss of frequency ${k + 1}`,
          ).toBeLessThanOrEqual(1e-4 * Math.abs(fromTfjs[index]![k]!) + 1e-6);
        });
        // Restricted and excluded losses come from the graph too, for the step's key set (checked non-empty
        // where configured).
        const due = measuresDue(step, config, false).map((m) => m.id);
        for (const id of ['restricted_loss', 'excluded_loss']) expect(due, `${id} due`).toContain(id);
        const keys = Float32Array.from(fromTfjs[due.indexOf('key_frequencies')]!);
        if (config.analysis.keyFrequencies) expect(keys.some((x) => x === 1)).toBe(true);
        const own = await engine.grid(keys);
        for (const [id, value] of [
          ['restricted_loss', own.restrictedLoss],
          ['excluded_loss', own.excludedLoss],
        ] as const) {
          const reference = fromTfjs[due.indexOf(id)]![0]!;
          expect(Math.abs(value - reference), id).toBeLessThanOrEqual(1e-4 * Math.abs(reference) + 1e-6);
        }
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
