import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect, it } from 'vitest';
import { describeEachBackend, expectNoLeak } from '../../test/helpers/backends.ts';
import { parseRunConfig, type RunConfig } from '../config.ts';
import { createRng } from '../data/rng.ts';
import { createModel } from './index.ts';
import type { Model } from './model.ts';

const config = parseRunConfig({ p: 7, seed: 3, model: { kind: 'MLP', embedDim: 4, hiddenDim: 6 } });

async function values(model: Model): Promise<number[][]> {
  return Promise.all(model.variables.map(async (v) => Array.from(await v.data())));
}

/** The MLP's forward pass in float64 JavaScript, from the model's own weights. */
async function referenceLogits(model: Model, a: number, b: number): Promise<number[]> {
  const [E, W1a, W1b, b1, W2, b2] = await values(model);
  const { embedDim: d, hiddenDim: h } = config.model as Extract<RunConfig['model'], { kind: 'MLP' }>;
  const { p } = config;
  const hidden = Array.from({ length: h }, (_, j) => {
    let s = b1![j]!;
    for (let i = 0; i < d; i++) s += E![a * d + i]! * W1a![i * h + j]! + E![b * d + i]! * W1b![i * h + j]!;
    return Math.max(0, s);
  });
  return Array.from({ length: p }, (_, c) => hidden.reduce((s, x, j) => s + x * W2![j * p + c]!, b2![c]!));
}

const models: Model[] = [];
const create = (seed = config.seed) => {
  const model = createModel({ ...config, seed }, createRng(seed, 'init'));
  models.push(model);
  return model;
};

describeEachBackend('MLP', () => {
  afterEach(() => {
    for (const m of models.splice(0)) m.dispose();
  });

  it('has PyTorch-shaped parameters with process-unique names', () => {
    const model = create();
    expect(model.variables.map((v) => v.shape)).toEqual([[7, 4], [4, 6], [4, 6], [6], [6, 7], [7]]);
    const names = model.variables.map((v) => v.name);
    expect(names[0]).toMatch(/^mlp_\d+\/embed$/);
    expect(new Set([...names, ...create().variables.map((v) => v.name)]).size).toBe(12);
  });

  it('draws the same weights for a seed (on every backend) and others for another seed', async () => {
    const first = await values(create());
    expect(await values(create())).toEqual(first);
    expect(await values(create(4))).not.toEqual(first);
    // The weights are the run's own Rng draws (the same on every backend): E[0, 0] is its first normal.
    expect(first[0]![0]).toBe(Math.fround(createRng(config.seed, 'init').normal()));
  });

  it('initialises like PyTorch: E ~ N(0, 1), Linear ~ U(±1/√fan_in)', async () => {
    const big = createModel(
      parseRunConfig({ p: 59, model: { kind: 'MLP', embedDim: 128, hiddenDim: 256 } }),
      createRng(0, 'init'),
    );
    models.push(big);
    const [E, W1a, , b1, W2] = await values(big);
    const variance = E!.reduce((s, x) => s + x * x, 0) / E!.length;
    expect(variance).toBeGreaterThan(0.95);
    expect(variance).toBeLessThan(1.05);
    const inBound = 1 / Math.sqrt(256);
    expect(Math.max(...W1a!.map(Math.abs))).toBeLessThanOrEqual(inBound);
    expect(Math.max(...b1!.map(Math.abs))).toBeLessThanOrEqual(inBound);
    expect(Math.max(...W2!.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(256));
    expect(Math.max(...W1a!.map(Math.abs))).toBeGreaterThan(0.9 * inBound);
  });

  it('computes ReLU([E_a; E_b]·W1 + b1)·W2 + b2', async () => {
    const model = create();
    const a = tf.tensor1d([0, 6, 3], 'int32');
    const b = tf.tensor1d([5, 6, 0], 'int32');
    const logits = await expectNoLeak(() => tf.tidy(() => model.logits(a, b)));
    expect(logits.shape).toEqual([3, 7]);
    const rows = (await logits.array()) as number[][];
    for (const [row, [x, y]] of [
      [0, 5],
      [6, 6],
      [3, 0],
    ].entries()) {
      const expected = await referenceLogits(model, x!, y!);
      rows[row]!.forEach((v, c) => {
        expect(v).toBeCloseTo(expected[c]!, 5);
      });
    }
    tf.dispose([a, b, logits]);
  });

  it('exposes the embedding as [p, d]', () => {
    const model = create();
    expect(model.embedding().shape).toEqual([7, 4]);
  });
});
