import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, expectNoLeak } from '../../test/helpers/backends.ts';
import { parseRunConfig, type RunConfig } from '../config.ts';
import { createRng } from '../data/rng.ts';
import { splitPairs } from '../data/split.ts';
import { registerGradients } from '../gradients/index.ts';
import { lossAndAccuracy } from '../loss/cross-entropy.ts';
import { AdamW } from '../optim/adamw.ts';
import { datasetTensors, disposeDataset } from '../training/dataset.ts';
import { createModel } from './index.ts';
import type { Model } from './model.ts';
import { TRANSFORMER_PARAMS, type TransformerConfig } from './transformer.ts';

const small = (model: Partial<Omit<TransformerConfig, 'kind'>>, p = 7): RunConfig =>
  parseRunConfig({ p, seed: 5, model: { kind: 'TRANSFORMER', dModel: 8, heads: 2, dMlp: 12, ...model } });

/** Float64 forward pass from the definitions (full attention row of the last position), from the variables. */
function reference(config: RunConfig, vars: Record<string, number[]>, a: number, b: number): number[] {
  const m = config.model as TransformerConfig;
  const { p } = config;
  const D = m.dModel;
  const F = m.dMlp;
  const H = m.heads;
  const dh = D / H;
  const tokens = m.equalsToken ? [a, b, p] : [a, b];
  const C = tokens.length;
  const x = tokens.map((t, i) =>
    Array.from({ length: D }, (_, j) => vars.W_E![t * D + j]! + vars.W_pos![i * D + j]!),
  );
  const lin = (v: number[], W: number[], cols: number) =>
    Array.from({ length: cols }, (_, c) => v.reduce((s, xi, r) => s + xi * W[r * cols + c]!, 0));
  const q = lin(x[C - 1]!, vars.W_Q!, D);
  const k = x.map((xi) => lin(xi, vars.W_K!, D));
  const v = x.map((xi) => lin(xi, vars.W_V!, D));
  const heads = new Array<number>(D).fill(0);
  for (let h = 0; h < H; h++) {
    const s = k.map((ki) => {
      let dot = 0;
      for (let j = h * dh; j < (h + 1) * dh; j++) dot += q[j]! * ki[j]!;
      return dot / Math.sqrt(dh);
    });
    const mx = Math.max(...s);
    const e = s.map((si) => Math.exp(si - mx));
    const z = e.reduce((u, w) => u + w, 0);
    const A = e.map((ei) => m.alpha * (ei / z) + (1 - m.alpha));
    for (let j = h * dh; j < (h + 1) * dh; j++) heads[j] = A.reduce((u, ai, i) => u + ai * v[i]![j]!, 0);
  }
  const attn = lin(heads, vars.W_O!, D);
  const r = x[C - 1]!.map((xi, j) => xi + attn[j]!);
  const hidden = lin(r, vars.W_in!, F).map((u, j) => Math.max(0, u + vars.b_in![j]!));
  const out = lin(hidden, vars.W_out!, D);
  const r2 = r.map((u, j) => u + out[j]! + vars.b_out![j]!);
  return lin(r2, vars.W_U!, p);
}

async function namedValues(model: Model): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [i, name] of TRANSFORMER_PARAMS.entries())
    out[name] = Array.from(await model.variables[i]!.data());
  return out;
}

const models: Model[] = [];
const create = (config: RunConfig) => {
  const model = createModel(config, createRng(config.seed, 'init'));
  models.push(model);
  return model;
};

describeEachBackend('TRANSFORMER', (backend) => {
  beforeAll(() => registerGradients());
  afterEach(() => {
    for (const m of models.splice(0)) m.dispose();
  });

  it('validates its config: defaults, and heads must divide dModel (named field)', () => {
    expect(parseRunConfig({ model: { kind: 'TRANSFORMER' } }).model).toEqual({
      kind: 'TRANSFORMER',
      dModel: 128,
      heads: 4,
      dMlp: 512,
      alpha: 1,
      causal: true,
      equalsToken: true,
    });
    expect(() => parseRunConfig({ model: { kind: 'TRANSFORMER', dModel: 30, heads: 4 } })).toThrow(
      /model\.heads/,
    );
    expect(() => parseRunConfig({ model: { kind: 'TRANSFORMER', alpha: 1.5 } })).toThrow(/model\.alpha/);
  });

  it('initialises as Nanda: shapes, Σθ² ≈ 1781 at p = 113, same seed ⇒ same weights', async () => {
    const config = parseRunConfig({ p: 113, seed: 0, model: { kind: 'TRANSFORMER' } });
    const model = create(config);
    expect(model.variables.map((v) => v.shape)).toEqual([
      [114, 128],
      [3, 128],
      [128, 128],
      [128, 128],
      [128, 128],
      [128, 128],
      [128, 512],
      [512],
      [512, 128],
      [128],
      [128, 113],
    ]);
    const w2 = tf.tidy(() => tf.addN(model.variables.map((v) => tf.sum(tf.square(v)))).dataSync()[0]!);
    expect(Math.abs(w2 / 1781 - 1)).toBeLessThan(0.03);
    const again = create(config);
    expect(Array.from(await again.variables[2]!.data())).toEqual(
      Array.from(await model.variables[2]!.data()),
    );
    expect(model.variables[0]!.dataSync()[0]).toBe(
      Math.fround(createRng(0, 'init').normal() / Math.sqrt(128)),
    );
    expect(tf.tidy(() => model.embedding().shape)).toEqual([113, 128]);
    expect(tf.tidy(() => model.logitMap().shape)).toEqual([113, 512]);
  });

  for (const variant of [
    { alpha: 1, equalsToken: true },
    { alpha: 0.3, equalsToken: true },
    { alpha: 0, equalsToken: false, causal: false },
    { alpha: 0.7, equalsToken: false },
  ]) {
    it(`matches a float64 reference, via tokens and via embeddings: ${JSON.stringify(variant)}`, async () => {
      const config = small(variant);
      const model = create(config);
      const vars = await namedValues(model);
      const as = [0, 6, 3, 2];
      const bs = [5, 6, 0, 2];
      const a = tf.tensor1d(as, 'int32');
      const b = tf.tensor1d(bs, 'int32');
      const [direct, viaE] = await expectNoLeak(() =>
        tf.tidy(() => {
          const E = model.embedding();
          return [model.logits(a, b), model.logitsFromEmbeddings(tf.gather(E, a), tf.gather(E, b))];
        }),
      );
      const rows = (await direct!.array()) as number[][];
      const rowsE = (await viaE!.array()) as number[][];
      as.forEach((x, n) => {
        reference(config, vars, x, bs[n]!).forEach((v, c) => {
          expect(rows[n]![c]).toBeCloseTo(v, 4);
          expect(rowsE[n]![c]).toBeCloseTo(v, 4);
        });
      });
      // logitMap = W_Uᵀ · W_outᵀ (input-major storage): row c, neuron j = Σ_i W_out[j, i]·W_U[i, c].
      const map = (await tf.tidy(() => model.logitMap()).array()) as number[][];
      const D = 8;
      expect(map.length).toBe(7);
      expect(map[3]![5]).toBeCloseTo(
        Array.from({ length: D }, (_, i) => vars.W_out![5 * D + i]! * vars.W_U![i * 7 + 3]!).reduce(
          (s, u) => s + u,
          0,
        ),
        5,
      );
      tf.dispose([a, b, direct!, viaE!]);
    });
  }

  it('has analytic gradients matching finite differences for every parameter', async () => {
    const config = small({ alpha: 0.6 }, 5);
    const model = create(config);
    const a = tf.tensor1d([0, 4, 2, 1], 'int32');
    const b = tf.tensor1d([3, 4, 0, 1], 'int32');
    const w = tf.tensor2d(
      Array.from({ length: 20 }, (_, i) => Math.sin(i + 1)),
      [4, 5],
    );
    const f = () => tf.sum(tf.mul(model.logits(a, b), w)) as tf.Scalar;
    const { grads } = tf.variableGrads(f, [...model.variables]);
    // Small enough that no ReLU in the MLP changes side between θ ± h (1e-2 straddles one for W_pos here).
    const h = 3e-3;
    for (const v of model.variables) {
      const g = await grads[v.name]!.data();
      const base = await v.data();
      for (const i of [0, Math.floor(v.size / 2), v.size - 1]) {
        const at = (delta: number) => {
          const shifted = base.slice();
          shifted[i] = base[i]! + delta;
          v.assign(tf.tensor(shifted, v.shape));
          return tf.tidy(() => f().dataSync()[0]!);
        };
        const numeric = (at(h) - at(-h)) / (2 * h);
        v.assign(tf.tensor(base, v.shape));
        expect(Math.abs(g[i]! - numeric), `${v.name}[${i}]`).toBeLessThan(
          3e-3 * Math.max(1, Math.abs(numeric)),
        );
      }
    }
    tf.dispose([a, b, w, ...Object.values(grads)]);
  });

  it('learns a + b mod 23 to train accuracy 1', { timeout: 60_000 }, async () => {
    const config = parseRunConfig({
      p: 23,
      seed: 1,
      trainFraction: 0.5,
      model: { kind: 'TRANSFORMER', dModel: 32, heads: 2, dMlp: 64 },
      optimizer: { lr: 3e-3, weightDecay: 1 },
      backend,
    });
    const model = create(config);
    const data = datasetTensors(
      config.p,
      splitPairs(config.p, config.trainFraction, createRng(config.seed, 'split')),
    );
    const optimizer = new AdamW({ ...config.optimizer });
    let accuracy = 0;
    for (let step = 0; step < 600 && accuracy < 1; step++) {
      tf.tidy(() => {
        let acc: tf.Scalar | undefined;
        const { grads } = tf.variableGrads(() => {
          const r = lossAndAccuracy(
            model.logits(data.train.a, data.train.b),
            data.train.targets,
            data.train.labels,
          );
          acc = tf.keep(r.accuracy);
          return r.loss;
        }, [...model.variables]);
        optimizer.apply(model.variables, grads);
        accuracy = acc!.dataSync()[0]!;
        acc!.dispose();
      });
    }
    expect(accuracy).toBe(1);
    optimizer.dispose();
    disposeDataset(data);
  });
});
