import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { fakeSnapshot } from '../../test/helpers/snapshot.ts';
import { parseRunConfig } from '../config.ts';
import { allPairs } from '../data/pairs.ts';
import { registerGradients } from '../gradients/index.ts';
import type { StepReport } from '../report.ts';
import { symmetricPower } from '../rfm/linalg.ts';
import { train } from '../train.ts';
import { circulantDeviation } from './circulant-deviation.ts';
import { MEASURE_CATALOGUE } from './index.ts';
import { inputAgopAlignment, inputAgopMatrix, inputCirculantDeviation } from './input-agop.ts';

const p = 11;
const d = 5;
const q = 2 * p;

/** tf.tidy for functions that return host values: frees every tensor made inside. */
function scoped<T>(f: () => T): T {
  tf.engine().startScope();
  try {
    return f();
  } finally {
    tf.engine().endScope();
  }
}

const seq = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

/** f(x) = z or ½z² with z = e_a·Wa + e_b·Wb, so ∇_x f_c = s_c·w_c with w_c = [E·Wa[:, c]; E·Wb[:, c]], s_c = 1 or z_c. */
interface Quadratic {
  E: number[][];
  Wa: number[][];
  Wb: number[][];
  square: boolean;
}

function tfModel({ E, Wa, Wb, square }: Quadratic) {
  const e = tf.tensor2d(E);
  const wa = tf.tensor2d(Wa);
  const wb = tf.tensor2d(Wb);
  return {
    embedding: () => e,
    logitsFromEmbeddings: (ea: tf.Tensor2D, eb: tf.Tensor2D) => {
      const z = tf.add(tf.matMul(ea, wa), tf.matMul(eb, wb)) as tf.Tensor2D;
      return square ? (tf.mul(tf.mul(z, z), 0.5) as tf.Tensor2D) : z;
    },
    dispose: () => tf.dispose([e, wa, wb]),
  };
}

/** The same G in float64 from the closed form, over the pairs (a[j], b[j]). */
function expectedAgop(
  { E, Wa, Wb, square }: Quadratic,
  a: number[],
  b: number[],
  centre: boolean,
): Float64Array {
  const n = a.length;
  const dim = E[0]!.length;
  const w = seq(p, (c) => [
    ...seq(p, (u) => seq(dim, (k) => E[u]![k]! * Wa[k]![c]!).reduce((s, x) => s + x, 0)),
    ...seq(p, (u) => seq(dim, (k) => E[u]![k]! * Wb[k]![c]!).reduce((s, x) => s + x, 0)),
  ]);
  const G = new Float64Array(q * q);
  for (let c = 0; c < p; c++) {
    // ∇_x f_c(x_j) = s_jc w_c; centring subtracts the mean of s_jc over j.
    const s = a.map((aj, j) => (square ? w[c]![aj]! + w[c]![p + b[j]!]! : 1));
    const mean = centre ? s.reduce((t, x) => t + x, 0) / n : 0;
    const weight = s.reduce((t, x) => t + (x - mean) ** 2, 0) / n;
    for (let u = 0; u < q; u++) for (let v = 0; v < q; v++) G[u * q + v]! += weight * w[c]![u]! * w[c]![v]!;
  }
  return G;
}

function maxRelativeError(actual: Float64Array, expected: Float64Array): number {
  const scale = Math.max(...expected.map(Math.abs));
  return Math.max(...actual.map((x, i) => Math.abs(x - expected[i]!))) / scale;
}

describeEachBackend('input AGOP (networks)', () => {
  const rand = (i: number) => Math.sin(12.9898 * i + 78.233) * 1.7;
  const random: Quadratic = {
    E: seq(p, (u) => seq(d, (k) => rand(u * d + k))),
    Wa: seq(d, (k) => seq(p, (c) => rand(100 + k * p + c))),
    Wb: seq(d, (k) => seq(p, (c) => rand(300 + k * p + c))),
    square: true,
  };
  // Wa[i, c] = Wb[i, c] = u[(i − c) mod p] and E = I: f_c depends on (a − c, b − c) only, so over the full grid
  // G (and √G) is invariant under shifting both operands, i.e. its cross-block is circulant.
  const u = seq(p, (i) => rand(500 + i));
  const circ = seq(p, (i) => seq(p, (c) => u[(i - c + p) % p]!));
  const circulant: Quadratic = {
    E: seq(p, (i) => seq(p, (j) => (i === j ? 1 : 0))),
    Wa: circ,
    Wb: circ,
    square: true,
  };
  const pairs = allPairs(p);
  const trainIdx = seq(60, (i) => (i * 37) % (p * p));
  const a = trainIdx.map((i) => pairs.a[i]!);
  const b = trainIdx.map((i) => pairs.b[i]!);

  beforeAll(() => {
    registerGradients();
  });

  it('a linear model: the plain AGOP is W̃W̃ᵀ (W̃ = [E·Wa; E·Wb]) and the centred one is 0', () => {
    const linear = { ...random, square: false };
    const model = tfModel(linear);
    const [plain, centred] = scoped(() => {
      const ta = tf.tensor1d(a, 'int32');
      const tb = tf.tensor1d(b, 'int32');
      return [inputAgopMatrix(model, p, ta, tb, { centre: false }), inputAgopMatrix(model, p, ta, tb)];
    });
    expect(maxRelativeError(plain, expectedAgop(linear, a, b, false))).toBeLessThan(1e-5);
    expect(Math.max(...centred.map(Math.abs))).toBeLessThan(1e-6 * Math.max(...plain));
    model.dispose();
  });

  it('½z²: G = (1/n) Σ_c Σ_j (z_jc − z̄_c)² w_c w_cᵀ, centred and plain', () => {
    const model = tfModel(random);
    for (const centre of [true, false]) {
      const G = scoped(() =>
        inputAgopMatrix(model, p, tf.tensor1d(a, 'int32'), tf.tensor1d(b, 'int32'), { centre }),
      );
      expect(maxRelativeError(G, expectedAgop(random, a, b, centre))).toBeLessThan(1e-4);
    }
    model.dispose();
  });

  it('circulant first layers over all pairs give circulant features (deviation ≈ 0); random ones do not', () => {
    const deviation = (spec: Quadratic) => {
      const model = tfModel(spec);
      const G = scoped(() =>
        inputAgopMatrix(model, p, tf.tensor1d(pairs.a, 'int32'), tf.tensor1d(pairs.b, 'int32')),
      );
      model.dispose();
      return circulantDeviation(symmetricPower(G, q, 0.5), p);
    };
    expect(deviation(circulant)).toBeLessThan(1e-7);
    expect(deviation(random)).toBeGreaterThan(1e-3);
  });

  it('the registry measures read √G and F Fᵀ from the snapshot: known answers for both', async () => {
    // Alignment: with F = G^{1/4} (from the closed-form float64 G), F Fᵀ = √G exactly, so the cosine is 1.
    const quarter = symmetricPower(expectedAgop(random, a, b, true), q, 0.25);
    const F = tf.tensor2d(Array.from(quarter), [q, q]);
    const model = tfModel(random);
    const aligned = fakeSnapshot({
      config: { p },
      model: { ...model, inputFeatureMap: () => F },
      train: trainIdx,
    });
    const alignment = scoped(() => inputAgopAlignment.compute(aligned.snapshot).dataSync()[0]!);
    expect(alignment).toBeGreaterThan(0.999);
    expect(alignment).toBeLessThanOrEqual(1);
    aligned.dispose();
    model.dispose();
    F.dispose();

    // Deviation: circulant first layers over all pairs give a circulant √G (0); random ones do not.
    const deviationOf = (spec: Quadratic) => {
      const m = tfModel(spec);
      const { snapshot, dispose } = fakeSnapshot({
        config: { p },
        model: { ...m, inputFeatureMap: () => tf.eye(q) as tf.Tensor2D },
        train: seq(p * p, (i) => i),
      });
      const value = scoped(() => inputCirculantDeviation.compute(snapshot).dataSync()[0]!);
      dispose();
      m.dispose();
      return value;
    };
    expect(deviationOf(circulant)).toBeLessThan(1e-4);
    expect(deviationOf(random)).toBeGreaterThan(1e-3);
  });
});

it('the catalogue lists circulant_deviation and agop_alignment once, for RFMs and networks', () => {
  for (const id of ['circulant_deviation', 'agop_alignment']) {
    const entries = MEASURE_CATALOGUE.filter((m) => m.id === id);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.description).toMatch(/RFM/);
    expect(entries[0]!.description).toMatch(/input_agop/);
    expect(entries[0]!.defaultCadence).toBe(1000);
  }
  expect(new Set(MEASURE_CATALOGUE.map((m) => m.id)).size).toBe(MEASURE_CATALOGUE.length);
});

it('an MLP and a transformer report both series at the input_agop cadence and at the last step', {
  timeout: 120_000,
}, async () => {
  for (const model of [
    { kind: 'MLP', embedDim: 16, hiddenDim: 32 },
    { kind: 'TRANSFORMER', dModel: 16, heads: 2, dMlp: 32 },
  ] as const) {
    const config = parseRunConfig({ p: 13, steps: 5, backend: 'cpu', model, cadence: { input_agop: 2 } });
    const reports: StepReport[] = [];
    for await (const report of train(config)) reports.push(report);
    const at = reports.filter((r) => r.scalars.circulant_deviation !== undefined).map((r) => r.step);
    expect(at).toEqual([0, 2, 4, 5]);
    for (const r of reports.filter((x) => at.includes(x.step))) {
      expect(r.scalars.circulant_deviation).toBeGreaterThan(0);
      expect(r.scalars.circulant_deviation).toBeLessThanOrEqual(1 / 13 + 1e-9);
      expect(Math.abs(r.scalars.agop_alignment!)).toBeLessThanOrEqual(1);
      expect(r.scalars.agop_alignment).not.toBeNaN();
    }
  }
});
