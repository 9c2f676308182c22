/**
 * The RFM's feature measures (measures.md §7.1, §7.2) applied to networks, so an RFM run and a network run report
 * the same series ids (`circulant_deviation`, `agop_alignment`).
 *
 * A network is a function of the one-hot input x = e_a ⊕ e_b ∈ R^{2p}: its first operation is the lookup
 * (e_a, e_b) = (Eᵀx_a, Eᵀx_b), so for any real x the input gradient of logit c is
 * ∇_x f_c = [E ∇_{e_a} f_c ; E ∇_{e_b} f_c] (E the [p, d] token embedding). Input AGOP over the training pairs, with
 * the RFM's **Choice (code)** of centring the gradients over samples per (class, coordinate):
 * G = (1/n) Σ_j Σ_c (g_jc − ḡ_c)(g_jc − ḡ_c)ᵀ, g_jc = ∇_x f_c(x_j); the network's counterpart of the RFM's M is
 * √G (§7.2: "M_t = sqrt of the network's input AGOP").
 *
 * **Choice:** the AGOP is taken over at most AGOP_MAX_PAIRS training pairs, the first ones of the seeded split
 * (which is a random permutation, so they are a uniform sample, the same at every step). Cost: p backward passes
 * over those m pairs (batched: several classes per pass, each class a block of m rows with a one-hot cotangent),
 * measured ≈ 40 steps of the default p = 59 MLP (whose steps are cheap table lookups) and ≈ 17 of the p = 113
 * transformer, hence the default cadence of 1000 steps (≈ 4% and ≈ 2% overhead). The native engine computes the
 * same sums as a graph (native/agop-graph.ts: a closed form for one hidden layer, ≈ 1 ms at p = 59).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../models/model.ts';
import { symmetricPower } from '../rfm/linalg.ts';
import { agopAlignment, agopAlignmentInfo } from './agop-alignment.ts';
import { circulantDeviation, circulantDeviationInfo } from './circulant-deviation.ts';
import { type HostProvider, type Measure, type MeasureSnapshot, NETWORK_KINDS } from './measure.ts';

/**
 * G is accumulated in float32 (relative rounding ~1e-6 of its largest eigenvalue); eigenvalues below this fraction
 * of the largest are rounding, not signal, and are dropped before the square root (√ would lift them to ~1e-3).
 */
export const FLOAT32_EIGEN_FLOOR = 1e-5;

/** Training pairs the network AGOP averages over (the RFM uses all of them; a network pays p backward passes per pair). */
export const AGOP_MAX_PAIRS = 512;

/** Rows per batched backward pass (classes × pairs); bounds the pass's memory. */
const ROWS_PER_PASS = 8192;

/**
 * n·G [2p × 2p] on the device (float32): the sum over pairs and classes before the 1/n; `centre: false` gives the
 * plain AGOP's sum Σ_j Σ_c g_jc g_jcᵀ. Call it inside a tidy.
 */
function inputAgopSum(
  model: Pick<Model, 'embedding' | 'embeddingB' | 'logitsFromEmbeddings'>,
  p: number,
  a: tf.Tensor1D,
  b: tf.Tensor1D,
  centre: boolean,
): tf.Tensor2D {
  const n = a.shape[0];
  const q = 2 * p;
  const E = model.embedding();
  const ea = tf.gather(E, a) as tf.Tensor2D;
  const Eb = model.embeddingB?.() ?? E;
  const eb = tf.gather(Eb, b) as tf.Tensor2D;
  const perPass = Math.max(1, Math.floor(ROWS_PER_PASS / n));
  let sum: tf.Tensor2D = tf.zeros([q, q]);
  for (let c0 = 0; c0 < p; c0 += perPass) {
    const m = Math.min(perPass, p - c0);
    // A tidy per pass: the step's tidy would otherwise hold every pass's intermediates until the step ends.
    const next = tf.tidy(() => {
      const classes = Int32Array.from({ length: m * n }, (_, i) => c0 + Math.floor(i / n));
      const cotangent = tf.oneHot(tf.tensor1d(classes, 'int32'), p, 1, 0, 'float32');
      const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(tf.mul(model.logitsFromEmbeddings(x as tf.Tensor2D, y as tf.Tensor2D), cotangent)),
      )([tf.tile(ea, [m, 1]), tf.tile(eb, [m, 1])]) as [tf.Tensor2D, tf.Tensor2D];
      let J: tf.Tensor = tf.concat([tf.matMul(ga, E, false, true), tf.matMul(gb, Eb, false, true)], 1);
      if (centre) {
        const blocks = tf.reshape(J, [m, n, q]);
        J = tf.reshape(tf.sub(blocks, tf.mean(blocks, 1, true)), [m * n, q]);
      }
      return tf.add(sum, tf.matMul(J as tf.Tensor2D, J as tf.Tensor2D, true, false)) as tf.Tensor2D;
    });
    sum.dispose();
    sum = next;
  }
  return sum;
}

/** G from the device sum read back: divided by n and symmetrised (float32 accumulation leaves it uneven). */
function agopFromSum(sum: ArrayLike<number>, n: number, q: number): Float64Array {
  const G = Float64Array.from(sum, (v) => v / n);
  for (let u = 0; u < q; u++)
    for (let v = 0; v < u; v++) {
      const avg = (G[u * q + v]! + G[v * q + u]!) / 2;
      G[u * q + v] = avg;
      G[v * q + u] = avg;
    }
  return G;
}

/**
 * G [2p × 2p] (float64, row-major) of `model` over the pairs (a[j], b[j]). `centre: false` gives the plain AGOP
 * (1/n) Σ_j Σ_c g_jc g_jcᵀ. Reads synchronously: for tests and the cpu/wasm backends (the loop uses
 * computeInputAgopAsync).
 */
export function inputAgopMatrix(
  model: Pick<Model, 'embedding' | 'embeddingB' | 'logitsFromEmbeddings'>,
  p: number,
  a: tf.Tensor1D,
  b: tf.Tensor1D,
  options: { centre?: boolean } = {},
): Float64Array {
  const n = a.shape[0];
  const q = 2 * p;
  if (n === 0) return new Float64Array(q * q).fill(Number.NaN);
  const sum = tf.tidy(() => inputAgopSum(model, p, a, b, options.centre ?? true));
  const G = agopFromSum(sum.dataSync(), n, q);
  sum.dispose();
  return G;
}

/** Everything the network versions of the feature measures read at one step (memoised per step by the loop). */
export interface InputAgop {
  /** √G, the network's feature matrix [2p × 2p]. */
  sqrtAgop: Float64Array;
  /** The first layer's neural feature matrix F Fᵀ [2p × 2p] (F = model.inputFeatureMap()). */
  featureGram: Float64Array;
}

/** The device half of computeInputAgop: n·G over the sampled training pairs and F Fᵀ. */
function inputAgopTensors({ config, model, grid }: MeasureSnapshot): {
  sum: tf.Tensor2D;
  gram: tf.Tensor2D;
  n: number;
} {
  const n = Math.min(AGOP_MAX_PAIRS, grid.trainIndex.shape[0]);
  const tensors = tf.tidy(() => {
    const sample = tf.slice(grid.trainIndex, [0], [n]);
    const a = tf.gather(grid.a, sample) as tf.Tensor1D;
    const b = tf.gather(grid.b, sample) as tf.Tensor1D;
    const sum =
      n === 0 ? tf.fill([2 * config.p, 2 * config.p], Number.NaN) : inputAgopSum(model, config.p, a, b, true);
    const F = model.inputFeatureMap();
    return { sum: sum as tf.Tensor2D, gram: tf.matMul(F, F, false, true) as tf.Tensor2D };
  });
  return { ...tensors, n: Math.max(1, n) };
}

/** √G and F Fᵀ from the summed n·G and the Gram matrix read back (from tfjs here, or from the native engine's graph). */
export function finishInputAgop(
  sum: ArrayLike<number>,
  gram: ArrayLike<number>,
  n: number,
  p: number,
): InputAgop {
  const q = 2 * p;
  const G = agopFromSum(sum, n, q);
  return { sqrtAgop: symmetricPower(G, q, 0.5, FLOAT32_EIGEN_FLOOR), featureGram: Float64Array.from(gram) };
}

/** √ of the input AGOP over (a sample of) the training pairs and the first-layer feature Gram matrix of the snapshot's model. */
export function computeInputAgop(snapshot: MeasureSnapshot): InputAgop {
  const { sum, gram, n } = inputAgopTensors(snapshot);
  try {
    return finishInputAgop(sum.dataSync(), gram.dataSync(), n, snapshot.config.p);
  } finally {
    tf.dispose([sum, gram]);
  }
}

/** computeInputAgop with awaited reads (every backend, webgpu included); what the training loop prefetches. */
export async function computeInputAgopAsync(snapshot: MeasureSnapshot): Promise<InputAgop> {
  const { sum, gram, n } = inputAgopTensors(snapshot);
  try {
    const [sumValues, gramValues] = await Promise.all([sum.data(), gram.data()]);
    return finishInputAgop(sumValues, gramValues, n, snapshot.config.p);
  } finally {
    tf.dispose([sum, gram]);
  }
}

/** √G and F Fᵀ of the step, read on the host once however many measures use them. */
export const hostInputAgop: HostProvider<InputAgop> = { name: 'inputAgop', read: computeInputAgopAsync };

/** §7.1 on √G: 0 when the network's input features are circulant across the two operands. */
export const inputCirculantDeviation: Measure<'circulant_deviation', 'input_agop'> = {
  ...circulantDeviationInfo,
  defaultCadence: 1000,
  cadenceKey: 'input_agop',
  kinds: NETWORK_KINDS,
  cadenceLabel:
    'a network’s input AGOP (circulant deviation and AGOP alignment; p backward passes over up to 512 training pairs)',
  length: () => 1,
  hostInputs: [hostInputAgop],
  compute(snapshot) {
    const { sqrtAgop } = snapshot.host(hostInputAgop);
    return tf.tensor1d([circulantDeviation(sqrtAgop, snapshot.config.p, snapshot.config.operation)]);
  },
};

/**
 * §7.2 for networks: ρ(F Fᵀ, √G), the features the first layer uses against the square root of the AGOP of the
 * function it computes — the neural feature ansatz, and the counterpart of the RFM's ρ(M_t, M_{t+1}) (features in
 * use against √AGOP of the predictor they give).
 */
export const inputAgopAlignment: Measure<'agop_alignment', 'input_agop'> = {
  ...agopAlignmentInfo,
  defaultCadence: 1000,
  cadenceKey: 'input_agop',
  kinds: NETWORK_KINDS,
  length: () => 1,
  hostInputs: [hostInputAgop],
  compute(snapshot) {
    const { sqrtAgop, featureGram } = snapshot.host(hostInputAgop);
    return tf.tensor1d([agopAlignment(featureGram, sqrtAgop)]);
  },
};
