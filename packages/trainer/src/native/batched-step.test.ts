import { beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from '../../test/helpers/compare.ts';
import { selectBackend } from '../backends/select.ts';
import { parseRunConfig, type RunConfig, RunConfigError, type RunConfigInput } from '../config.ts';
import { createRng } from '../data/rng.ts';
import { type Split, splitPairs } from '../data/split.ts';
import { createModel } from '../models/index.ts';
import type { StepReport } from '../report.ts';
import { train } from '../train.ts';
import { BatchedNativeEngine } from './batched-engine.ts';
import { NativeEngine } from './engine.ts';
import { trainBatch } from './train-batch.ts';

const STEPS = 6;

/** Same shapes, different seeds (so splits and θ_0), α, learning rates, weight decays, β and warm-up per run. */
const BATCHES: Record<string, RunConfigInput[]> = {
  'mlp concat relu': [
    { p: 13, seed: 0, model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 } },
    { p: 13, seed: 1, model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 }, optimizer: { lr: 3e-3 } },
    {
      p: 13,
      seed: 2,
      model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 },
      optimizer: { weightDecay: 0.1, beta2: 0.99, warmupSteps: 3 },
    },
  ],
  'mlp sum silu depth 2, no bias': [
    {
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
    {
      p: 11,
      operation: 'sub',
      seed: 5,
      model: {
        kind: 'MLP',
        embedDim: 6,
        hiddenDim: 10,
        combine: 'sum',
        activation: 'silu',
        depth: 2,
        bias: false,
      },
      optimizer: { lr: 1e-2 },
    },
  ],
  'transformer with =, α 1 / 0.5 / 0': [
    { p: 11, model: { kind: 'TRANSFORMER', dModel: 16, heads: 4, dMlp: 32 }, optimizer: { warmupSteps: 2 } },
    { p: 11, seed: 3, model: { kind: 'TRANSFORMER', dModel: 16, heads: 4, dMlp: 32, alpha: 0.5 } },
    {
      p: 11,
      seed: 4,
      model: { kind: 'TRANSFORMER', dModel: 16, heads: 4, dMlp: 32, alpha: 0 },
      optimizer: { lr: 3e-3, weightDecay: 0.5 },
    },
  ],
  'transformer no =, α 0.1 / 0.9': [
    {
      p: 7,
      trainFraction: 0.6,
      model: {
        kind: 'TRANSFORMER',
        dModel: 12,
        heads: 3,
        dMlp: 20,
        alpha: 0.1,
        causal: false,
        equalsToken: false,
      },
    },
    {
      p: 7,
      trainFraction: 0.6,
      seed: 9,
      model: {
        kind: 'TRANSFORMER',
        dModel: 12,
        heads: 3,
        dMlp: 20,
        alpha: 0.9,
        causal: false,
        equalsToken: false,
      },
    },
  ],
};

function setup(config: RunConfig): { split: Split; initial: Float32Array[] } {
  const split = splitPairs(config.p, config.trainFraction, createRng(config.seed, 'split'), config.operation);
  const model = createModel(config, createRng(config.seed, 'init'));
  const initial = model.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
  model.dispose();
  return { split, initial };
}

describe('batched native step', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  for (const [name, inputs] of Object.entries(BATCHES))
    for (const layout of ['leading', 'unrolled'] as const)
      it(`equals the runs trained separately, step by step (${name}, ${layout} layout)`, async () => {
        const configs = inputs.map((input) => parseRunConfig(input));
        const runs = configs.map(setup);
        const batched = await BatchedNativeEngine.create(
          configs,
          runs.map((r) => r.split),
          runs.map((r) => r.initial),
          'cpu',
          layout,
        );
        const separate = await Promise.all(
          configs.map((c, r) => NativeEngine.create(c, runs[r]!.split, runs[r]!.initial)),
        );
        try {
          for (let t = 0; t <= STEPS; t++) {
            const last = t === STEPS;
            const together = last ? await batched.evaluate() : await batched.step();
            for (const [r, engine] of separate.entries()) {
              const alone = last ? await engine.evaluate() : await engine.step();
              const scalars = together.scalars(r);
              alone.scalars.forEach((value, k) => {
                expect(
                  Math.abs(scalars[k]! - value),
                  `run ${r} scalar ${k} at step ${t}`,
                ).toBeLessThanOrEqual(1e-5 * Math.abs(value) + 1e-7);
              });
              // θ as one vector, relative to its largest weight: a bias starts at 0, and two float32 summation orders
              // (a batched MatMul's and Gemm's) differ by a few ulps that Adam's m/√v can amplify where a component's
              // m nearly cancels (a bias element at step 2 reaches 1.3e-5 of that bias's own largest value).
              expect(
                relativeError(flat(together.params(r)), flat(alone.params)),
                `run ${r} θ at step ${t}`,
              ).toBeLessThanOrEqual(1e-5);
            }
          }
          // The runs really differ (seeds, α, optimiser): run 0's and run 1's weights are not the same numbers.
          const now = await batched.evaluate();
          expect(relativeError(flat(now.params(1)), flat(now.params(0)))).toBeGreaterThan(1e-3);
        } finally {
          await batched.dispose();
          for (const engine of separate) await engine.dispose();
        }
      });

  it('trainBatch reports what train() reports for each run, measures included', async () => {
    const base: RunConfigInput = {
      p: 13,
      steps: 12,
      backend: 'native',
      model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 },
      cadence: { embed_fourier_norms: 4, restricted_loss: 6, input_agop: 6, weight_norm: 1 },
    };
    const inputs: RunConfigInput[] = [
      base,
      { ...base, seed: 7, optimizer: { lr: 5e-3 }, cadence: { ...base.cadence, restricted_loss: 4 } },
    ];
    const batched: StepReport[][] = inputs.map(() => []);
    for await (const step of trainBatch(inputs))
      step.reports.forEach((report, r) => {
        expect(report, `run ${r} at ${step.step}`).not.toBeNull();
        batched[r]!.push(report!);
      });
    for (const [r, input] of inputs.entries()) {
      const alone: StepReport[] = [];
      for await (const report of train(input, { strictBackend: true })) alone.push(report);
      expect(batched[r]!.map((x) => x.step)).toEqual(alone.map((x) => x.step));
      alone.forEach((ref, i) => {
        const got = batched[r]![i]!;
        expect(Object.keys(got.scalars).sort()).toEqual(Object.keys(ref.scalars).sort());
        expect(Object.keys(got.vectors).sort()).toEqual(Object.keys(ref.vectors).sort());
        for (const [id, value] of Object.entries(ref.scalars))
          expect(Math.abs(got.scalars[id]! - value), `run ${r} ${id} at ${ref.step}`).toBeLessThanOrEqual(
            1e-4 * Math.abs(value) + 1e-6,
          );
        for (const [id, values] of Object.entries(ref.vectors))
          values.forEach((v, k) => {
            expect(
              Math.abs(got.vectors[id]![k]! - v),
              `run ${r} ${id}[${k}] at ${ref.step}`,
            ).toBeLessThanOrEqual(1e-4 * Math.abs(v) + 1e-6);
          });
      });
    }
  });

  it('refuses configs that differ in a shape, naming the run and the field', async () => {
    const base: RunConfigInput = { p: 13, model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 } };
    const run = async (inputs: RunConfigInput[]) => {
      for await (const _ of trainBatch(inputs)) break;
    };
    await expect(
      run([base, { ...base, model: { kind: 'MLP', embedDim: 12, hiddenDim: 16 } }]),
    ).rejects.toThrow(/runs\.1\.model\.embedDim: is 12 where run 0 has 8/);
    await expect(run([base, { ...base, trainFraction: 0.3 }])).rejects.toThrow(/runs\.1\.trainFraction/);
    await expect(run([base, { ...base, backend: 'wasm' }])).rejects.toThrow(/runs\.1\.backend/);
    await expect(run([base, { ...base, p: 12 }])).rejects.toBeInstanceOf(RunConfigError);
    await expect(run([{ ...base, backend: 'wasm' }])).rejects.toThrow(/runs\.0\.backend/);
  });
});

function flat(params: readonly Float32Array[]): Float32Array {
  return Float32Array.from(params.flatMap((p) => Array.from(p)));
}
