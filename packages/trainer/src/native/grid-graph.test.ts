import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSameMeasures, measureValues } from '../../test/helpers/compare.ts';
import { nativeRun, runParts } from '../../test/helpers/native-run.ts';
import { selectBackend } from '../backends/select.ts';
import { parseRunConfig, type RunConfigInput } from '../config.ts';
import { frequencyCount } from '../fourier/basis.ts';
import { registerGradients } from '../gradients/index.ts';
import { measuresDue } from '../measures/index.ts';
import { createMeasurePass } from '../training/measure-pass.ts';
import { openRuntimeSession } from './engine.ts';
import { buildGridLogitsGraph, GRID_KEY_MASK } from './grid-graph.ts';
import { nativeMeasureSources } from './measure-graphs.ts';
import { loadOrt } from './runtime.ts';
import { stateNames } from './step-graph.ts';

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
      const { split, model, engine } = await nativeRun(config);
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

  it('gives the same per-frequency excluded losses in chunks of frequencies as in one', async () => {
    const config = parseRunConfig(VARIANTS['mlp sum silu (div)']!);
    const { split, model } = runParts(config);
    const ort = await import('onnxruntime-node');
    await loadOrt();
    const K = frequencyCount(config.p);
    const feeds = Object.fromEntries([
      ...model.variables.map((v, i) => [
        stateNames(i).param,
        new ort.Tensor('float32', Float32Array.from(v.dataSync() as Float32Array), [...v.shape]),
      ]),
      [GRID_KEY_MASK, new ort.Tensor('float32', new Float32Array(K), [K])],
    ]);
    const perFrequency = async (chunkElements?: number) => {
      const graph = buildGridLogitsGraph(config, split, chunkElements ? { chunkElements } : {});
      const session = await openRuntimeSession(ort, graph, 'cpu');
      try {
        return Array.from((await session.run(feeds)).excluded_loss_per_frequency!.data as Float32Array);
      } finally {
        await session.release();
      }
    };
    try {
      const whole = await perFrequency();
      // Two frequencies a chunk: K = 5 gives chunks of 2, 2 and 1.
      const chunked = await perFrequency(2 * split.train.length * config.p);
      expect(whole).toHaveLength(K);
      chunked.forEach((v, k) => {
        expect(Math.abs(v - whole[k]!), `frequency ${k + 1}`).toBeLessThanOrEqual(1e-6 * whole[k]!);
      });
    } finally {
      model.dispose();
    }
  });
});
