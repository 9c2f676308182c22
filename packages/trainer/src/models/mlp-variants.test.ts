import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, expectNoLeak } from '../../test/helpers/backends.ts';
import { parseRunConfig, type RunConfig, type RunConfigInput } from '../config.ts';
import { createRng } from '../data/rng.ts';
import { registerGradients } from '../gradients/index.ts';
import { createModel } from './index.ts';
import type { Model } from './model.ts';

type MlpConfig = Extract<RunConfig['model'], { kind: 'MLP' }>;
type MlpInput = Partial<Omit<MlpConfig, 'kind'>>;

const P = 7;
const mlp = (model: MlpInput): RunConfig =>
  parseRunConfig({
    p: P,
    seed: 3,
    model: { kind: 'MLP', embedDim: 4, hiddenDim: 5, ...model },
  } as RunConfigInput);

/** Float64 forward pass of any MLP variant, from the model's own variables (in their documented order). */
function reference(config: RunConfig, vars: number[][], a: number, b: number): number[] {
  const m = config.model as MlpConfig;
  const d = m.embedDim;
  const h = m.hiddenDim;
  let i = 0;
  const E = vars[i++]!;
  const W1a = vars[i++]!;
  const W1b = m.combine === 'concat' ? vars[i++]! : W1a;
  const b1 = m.bias ? vars[i++]! : undefined;
  const act = (x: number) => (m.activation === 'relu' ? Math.max(0, x) : x / (1 + Math.exp(-x)));
  let hidden = Array.from({ length: h }, (_, j) => {
    let s = b1?.[j] ?? 0;
    for (let k = 0; k < d; k++) s += E[a * d + k]! * W1a[k * h + j]! + E[b * d + k]! * W1b[k * h + j]!;
    return act(s);
  });
  for (let layer = 1; layer < m.depth; layer++) {
    const W = vars[i++]!;
    const bias = m.bias ? vars[i++]! : undefined;
    const prev = hidden;
    hidden = Array.from({ length: h }, (_, j) =>
      act(prev.reduce((s, x, k) => s + x * W[k * h + j]!, bias?.[j] ?? 0)),
    );
  }
  const Wout = vars[i++]!;
  const bout = m.bias ? vars[i++]! : undefined;
  expect(i).toBe(vars.length);
  return Array.from({ length: P }, (_, c) =>
    hidden.reduce((s, x, j) => s + x * Wout[j * P + c]!, bout?.[c] ?? 0),
  );
}

const VARIANTS: MlpInput[] = [
  {},
  { combine: 'sum' },
  { depth: 3 },
  { activation: 'silu' },
  { bias: false },
  { combine: 'sum', depth: 2, activation: 'silu', bias: false },
];

const models: Model[] = [];
const create = (config: RunConfig) => {
  const model = createModel(config, createRng(config.seed, 'init'));
  models.push(model);
  return model;
};

describeEachBackend('MLP variants and the measure hooks', () => {
  beforeAll(() => registerGradients());
  afterEach(() => {
    for (const m of models.splice(0)) m.dispose();
  });

  it('defaults keep the original model: concat, depth 1, relu, biases', () => {
    const m = parseRunConfig({}).model as MlpConfig;
    expect(m).toEqual({
      kind: 'MLP',
      embedDim: 128,
      hiddenDim: 256,
      combine: 'concat',
      depth: 1,
      activation: 'relu',
      bias: true,
    });
    expect(() => mlp({ depth: 5 })).toThrow(/model\.depth/);
    expect(() => mlp({ depth: 0 })).toThrow(/model\.depth/);
  });

  for (const variant of VARIANTS) {
    it(`logits, logitsFromEmbeddings and logitMap agree with a float64 reference: ${JSON.stringify(variant)}`, async () => {
      const config = mlp(variant);
      const model = create(config);
      const vars = await Promise.all(model.variables.map(async (v) => Array.from(await v.data())));
      const as = [0, 6, 3, 2];
      const bs = [5, 6, 0, 2];
      const a = tf.tensor1d(as, 'int32');
      const b = tf.tensor1d(bs, 'int32');
      const [direct, viaEmbeddings] = await expectNoLeak(() =>
        tf.tidy(() => {
          const E = model.embedding();
          return [model.logits(a, b), model.logitsFromEmbeddings(tf.gather(E, a), tf.gather(E, b))];
        }),
      );
      const rows = (await direct!.array()) as number[][];
      const rowsE = (await viaEmbeddings!.array()) as number[][];
      as.forEach((x, n) => {
        const expected = reference(config, vars, x, bs[n]!);
        expected.forEach((v, c) => {
          expect(rows[n]![c]).toBeCloseTo(v, 5);
          expect(rowsE[n]![c]).toBeCloseTo(v, 5);
        });
      });
      // logitMap = the output weight transposed: [p, h].
      const map = tf.tidy(() => model.logitMap());
      expect(map.shape).toEqual([P, 5]);
      const wOut = model.variables.find((v) => v.name.endsWith('/out.weight'))!;
      expect(Array.from(await map.data())).toEqual(
        Array.from(await tf.tidy(() => tf.transpose(wOut)).data()),
      );
      tf.dispose([a, b, direct!, viaEmbeddings!, map]);
    });
  }

  it('logitsFromEmbeddings is differentiable in both embeddings', async () => {
    const model = create(mlp({ activation: 'silu', depth: 2 }));
    const ea = tf.randomNormal([3, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const eb = tf.randomNormal([3, 4], 0, 1, 'float32', 2) as tf.Tensor2D;
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(model.logitsFromEmbeddings(x as tf.Tensor2D, y as tf.Tensor2D)),
    )([ea, eb]);
    expect(ga!.shape).toEqual([3, 4]);
    expect(gb!.shape).toEqual([3, 4]);
    expect(Math.max(...(await ga!.data()).map(Math.abs))).toBeGreaterThan(0);
    tf.dispose([ea, eb, ga!, gb!]);
  });

  it('draws no bias without biases, and one W1 for sum', () => {
    expect(create(mlp({ bias: false })).variables.map((v) => v.shape)).toEqual([
      [7, 4],
      [4, 5],
      [4, 5],
      [5, 7],
    ]);
    expect(create(mlp({ combine: 'sum', depth: 2 })).variables.map((v) => v.shape)).toEqual([
      [7, 4],
      [4, 5],
      [5],
      [5, 5],
      [5],
      [5, 7],
      [7],
    ]);
  });
});
