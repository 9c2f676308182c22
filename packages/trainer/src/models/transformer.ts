import * as tf from '@tensorflow/tfjs-core';
import type { ModelConfig, RunConfig } from '../config.ts';
import type { Rng } from '../data/rng.ts';
import { uniqueModelId, valuesVariable } from './init.ts';
import type { Model, ModelFactory } from './model.ts';

export type TransformerConfig = Extract<ModelConfig, { kind: 'TRANSFORMER' }>;

/** Parameter names, in draw order; each holds its values in the layout below (input-major, tfjs style). */
export const TRANSFORMER_PARAMS = [
  'W_E',
  'W_pos',
  'W_Q',
  'W_K',
  'W_V',
  'W_O',
  'W_in',
  'b_in',
  'W_out',
  'b_out',
  'W_U',
] as const;
export type TransformerParamName = (typeof TRANSFORMER_PARAMS)[number];
export type TransformerWeights = Record<TransformerParamName, Float32Array>;

/**
 * What a released checkpoint may differ in from the trainer's own transformer, none of it trainable here (so not
 * in the RunConfig): the Clock/Pizza code's head size dModel // 4 whatever dModel (W_O [H·dHead, D], not square
 * when 4 ∤ dModel), its GeLU MLP (PyTorch's exact erf form), separate tokens p … 2p − 1 for b (`diff_vocab`) and the
 * '=' token's index (the vocabulary's last). `defaultLayout` is the trainer's own.
 */
export interface TransformerLayout {
  dHead: number;
  activation: 'relu' | 'gelu';
  /** Token of operand b is b + bOffset (0, or p with separate b tokens). */
  bOffset: number;
  /** Rows of W_E: p (a, b), p + 1 (with '='), 2p or 2p + 1 with separate b tokens. */
  vocab: number;
  /** The '=' token's row, when the model has one. */
  equalsIndex: number;
}

export function defaultLayout(p: number, m: TransformerConfig): TransformerLayout {
  return {
    dHead: m.dModel / m.heads,
    activation: 'relu',
    bOffset: 0,
    vocab: m.equalsToken ? p + 1 : p,
    equalsIndex: p,
  };
}

/**
 * Shapes, with V the vocabulary (p + 1 with the '=' token, else p), C the context (3 or 2), D = dModel, F = dMlp.
 * Every weight is stored input-major (x·W), i.e. transposed from the papers' W·x:
 *   W_E [V, D] (token rows), W_pos [C, D], W_Q/W_K/W_V [D, D] (output columns head-major: head h is columns
 *   h·dHead … (h+1)·dHead − 1), W_O [D, D] (rows head-major), W_in [D, F], b_in [F], W_out [F, D], b_out [D],
 *   W_U [D, p] (only the p answer classes: Nanda's unembedding also has an '=' output, which no measure reads and
 *   the loss never targets; we leave it out).
 */
export function transformerShapes(
  p: number,
  m: TransformerConfig,
  layout: TransformerLayout = defaultLayout(p, m),
): Record<TransformerParamName, number[]> {
  const V = layout.vocab;
  const C = m.equalsToken ? 3 : 2;
  const D = m.dModel;
  const F = m.dMlp;
  const A = m.heads * layout.dHead;
  return {
    W_E: [V, D],
    W_pos: [C, D],
    W_Q: [D, A],
    W_K: [D, A],
    W_V: [D, A],
    W_O: [A, D],
    W_in: [D, F],
    b_in: [F],
    W_out: [F, D],
    b_out: [D],
    W_U: [D, p],
  };
}

/**
 * Initialisation of Nanda's code (measures.md §1), drawn from the run's Rng in TRANSFORMER_PARAMS order (so a
 * seed gives the same weights on every backend): W_E, W_pos, W_Q, W_K, W_V, W_O, W_in, W_out ~ N(0, 1/dModel);
 * W_U ~ N(0, 1/V) (V = the input vocabulary, p + 1 with '=', as Nanda's d_vocab); biases 0.
 */
export function initTransformerWeights(p: number, m: TransformerConfig, rng: Rng): TransformerWeights {
  const shapes = transformerShapes(p, m);
  const V = shapes.W_E[0]!;
  const out = {} as TransformerWeights;
  for (const name of TRANSFORMER_PARAMS) {
    const size = shapes[name].reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (name !== 'b_in' && name !== 'b_out') {
      const std = name === 'W_U' ? 1 / Math.sqrt(V) : 1 / Math.sqrt(m.dModel);
      for (let i = 0; i < size; i++) values[i] = rng.normal() * std;
    }
    out[name] = values;
  }
  return out;
}

/**
 * One-layer transformer for a + b mod p (Nanda et al.; Zhong et al.'s Clock/Pizza with attention rate α).
 * Tokens a, b (and '=' when `equalsToken`) at positions 0, 1 (, 2); residual x_i = W_E[tok_i] + W_pos[i];
 * no LayerNorm; attention without biases, scores s = q·k/√dHead, A_α = α·softmax(s) + (1 − α)·J (not
 * renormalised: a row with m allowed keys sums to α + (1 − α)·m, 2 − α for n_ctx = 2); x ← x + W_O·heads;
 * x ← x + W_out·ReLU(W_in·x + b_in) + b_out; logits = W_Uᵀ·x at the last position.
 *
 * Causal mask and J: under a causal mask row i may attend to keys 0..i only; the softmax runs over those keys and
 * **J is restricted to the allowed positions** too (J_ij = 1 for j ≤ i, 0 otherwise), so masked keys stay at 0
 * whatever α. The logits are read at the last position, whose row allows every key, and with one layer no other
 * row reaches the logits: so `causal` does not change the model's output (it is kept for fidelity of the
 * description) and only the last row of attention is computed.
 *
 * Speed: only the last position reaches the logits, so q is computed there only. Keys/values/queries are linear in
 * the residual x_i = W_E[tok] + W_pos[i], so for `logits(a, b)` they are gathered from [V, D] tables
 * (W_E + W_pos[i])·W_K etc. (tiny products) instead of per-pair products; the '=' position is a constant row,
 * broadcast over the batch.
 */
export function buildTransformer(
  config: RunConfig,
  m: TransformerConfig,
  weights: TransformerWeights,
  layout: TransformerLayout = defaultLayout(config.p, m),
): Model {
  const { p } = config;
  const shapes = transformerShapes(p, m, layout);
  const id = uniqueModelId('TRANSFORMER');
  const vars = {} as Record<TransformerParamName, tf.Variable>;
  for (const name of TRANSFORMER_PARAMS)
    vars[name] = valuesVariable(weights[name], shapes[name], `${id}/${name}`);
  const variables = TRANSFORMER_PARAMS.map((name) => vars[name]);
  const D = m.dModel;
  const H = m.heads;
  const { dHead, bOffset } = layout;
  const scale = 1 / Math.sqrt(dHead);
  const alpha = m.alpha;
  const W_E = vars.W_E as tf.Tensor2D;
  const W_Q = vars.W_Q as tf.Tensor2D;
  const W_K = vars.W_K as tf.Tensor2D;
  const W_V = vars.W_V as tf.Tensor2D;
  const W_O = vars.W_O as tf.Tensor2D;
  const W_in = vars.W_in as tf.Tensor2D;
  const W_out = vars.W_out as tf.Tensor2D;
  const W_U = vars.W_U as tf.Tensor2D;

  /** W_pos[i] as [1, D]. */
  const pos = (i: number): tf.Tensor2D =>
    tf.reshape(tf.gather(vars.W_pos, tf.tensor1d([i], 'int32')), [1, D]);

  /**
   * The last position's logits from per-position keys/values ([n, D] or [1, D]), its query and its residual
   * ([n, D] or [1, D]; at least one of all these has n rows). n is the batch size.
   */
  const head = (
    n: number,
    keys: tf.Tensor[],
    values: tf.Tensor[],
    q: tf.Tensor,
    xLast: tf.Tensor,
  ): tf.Tensor2D => {
    const q3 = tf.reshape(tf.mul(q, scale), [q.shape[0]!, H, dHead]);
    // Scores per key position, [n, H, 1] (or [1, H, 1] for '=' with '=', broadcast by the ops below).
    const scores = keys.map((k) => tf.sum(tf.mul(q3, tf.reshape(k, [k.shape[0]!, H, dHead])), 2, true));
    // Softmax over the C ≤ 3 positions, elementwise: a concat/softmax/split round trip costs ~40 ms on wasm at
    // n = 3830. Subtracting the running maximum only guards exp; its gradient cancels exactly.
    const top = scores.reduce((m, s) => tf.maximum(m, s));
    const exps = scores.map((s) => tf.exp(tf.sub(s, top)));
    const total = exps.reduce((u, e) => tf.add(u, e));
    let mixed: tf.Tensor | undefined;
    values.forEach((v, i) => {
      const softmax = tf.div(exps[i]!, total);
      const weight = alpha === 1 ? softmax : tf.add(tf.mul(softmax, alpha), 1 - alpha);
      const term = tf.mul(weight, tf.reshape(v, [v.shape[0]!, H, dHead]));
      mixed = mixed ? tf.add(mixed, term) : term;
    });
    // The residual x = xLast + mixed·W_O reaches the output only through linear maps (W_in before the ReLU; W_U,
    // directly and after W_out), so W_O is folded into them and W_out into W_U: per pair the products are
    // mixed·(W_O·W_in), mixed·(W_O·W_U) and hidden·(W_out·W_U), 15 % fewer multiply-adds than x·W_O, x·W_in,
    // hidden·W_out, x2·W_U (forward and backward alike), and no [n, D] residual sums. The weight products are
    // [D, F]-sized, once per call; xLast's own terms are one row when it is the '=' position.
    const mixed2 = tf.reshape(mixed!, [n, H * dHead]) as tf.Tensor2D;
    const hidden = affine(
      mixed2,
      tf.matMul(W_O, W_in),
      tf.add(tf.matMul(xLast as tf.Tensor2D, W_in), vars.b_in),
      true,
    );
    const lastU = tf.matMul(tf.add(xLast, vars.b_out) as tf.Tensor2D, W_U); // (xLast + b_out)·W_U
    return tf.add(
      affine(hidden, tf.matMul(W_out, W_U), lastU, false),
      tf.matMul(mixed2, tf.matMul(W_O, W_U)),
    ) as tf.Tensor2D;
  };

  /**
   * a·b + shift (then ReLU): a one-row shift rides in the fused product as its bias, an [n, ·] one is added. The
   * wasm kernel takes rank-1 biases only and checks the rank its data was made with, which a reshape keeps, so the
   * row is summed into a tensor of its own.
   */
  const affine = (a: tf.Tensor2D, b: tf.Tensor2D, shift: tf.Tensor, activate: boolean): tf.Tensor2D => {
    if (activate && layout.activation === 'gelu') return gelu(tf.add(tf.matMul(a, b), shift));
    const relu = activate;
    if (shift.shape[0] === 1) {
      const bias = tf.sum(shift, 0);
      return tf.fused.matMul({ a, b, bias, activation: relu ? 'relu' : 'linear' }) as tf.Tensor2D;
    }
    const sum = tf.add(tf.matMul(a, b), shift) as tf.Tensor2D;
    return relu ? tf.relu(sum) : sum;
  };

  /** The '=' position's residual, key, value and query (constants over the batch, [1, D]). */
  const equalsRow = () => {
    const x = tf.add(
      tf.reshape(tf.gather(W_E, tf.tensor1d([layout.equalsIndex], 'int32')), [1, D]),
      pos(2),
    ) as tf.Tensor2D;
    return { x, k: tf.matMul(x, W_K), v: tf.matMul(x, W_V), q: tf.matMul(x, W_Q) };
  };

  return {
    kind: 'TRANSFORMER',
    variables,
    logits(a, bOperand) {
      const n = a.shape[0];
      const b = bOffset === 0 ? bOperand : tf.add(bOperand, tf.scalar(bOffset, 'int32'));
      const x0 = tf.add(W_E, pos(0)) as tf.Tensor2D; // [V, D]: position-0 residual of every token
      const x1 = tf.add(W_E, pos(1)) as tf.Tensor2D;
      const keys = [tf.gather(tf.matMul(x0, W_K), a), tf.gather(tf.matMul(x1, W_K), b)];
      const values = [tf.gather(tf.matMul(x0, W_V), a), tf.gather(tf.matMul(x1, W_V), b)];
      if (m.equalsToken) {
        const eq = equalsRow();
        return head(n, [...keys, eq.k], [...values, eq.v], eq.q, eq.x);
      }
      return head(n, keys, values, tf.gather(tf.matMul(x1, W_Q), b), tf.gather(x1, b));
    },
    logitsFromEmbeddings(ea, eb) {
      const n = ea.shape[0];
      const x0 = tf.add(ea, pos(0)) as tf.Tensor2D;
      const x1 = tf.add(eb, pos(1)) as tf.Tensor2D;
      const keys = [tf.matMul(x0, W_K), tf.matMul(x1, W_K)];
      const values = [tf.matMul(x0, W_V), tf.matMul(x1, W_V)];
      if (m.equalsToken) {
        const eq = equalsRow();
        return head(n, [...keys, eq.k], [...values, eq.v], eq.q, eq.x);
      }
      return head(n, keys, values, tf.matMul(x1, W_Q), x1);
    },
    embedding() {
      return layout.vocab === p ? W_E : (tf.slice(W_E, [0, 0], [p, D]) as tf.Tensor2D);
    },
    ...(bOffset === 0 ? {} : { embeddingB: () => tf.slice(W_E, [bOffset, 0], [p, D]) as tf.Tensor2D }),
    inputFeatureMap() {
      const E = layout.vocab === p ? W_E : (tf.slice(W_E, [0, 0], [p, D]) as tf.Tensor2D);
      const Eb = bOffset === 0 ? E : (tf.slice(W_E, [bOffset, 0], [p, D]) as tf.Tensor2D);
      const zero = tf.zeros([p, D]);
      return tf.concat([tf.concat([E, zero], 1), tf.concat([zero, Eb], 1)], 0) as tf.Tensor2D;
    },
    logitMap() {
      // (W_out · W_U)ᵀ = W_Uᵀ · W_outᵀ: [p, dMlp], row c maps MLP activations to logit c.
      return tf.matMul(W_U, W_out, true, true);
    },
    dispose() {
      for (const v of variables) v.dispose();
    },
  };
}

/**
 * PyTorch's F.gelu (exact): x·Φ(x) = ½x(1 + erf(x/√2)). tfjs has erf but no gradient for it, so the derivative
 * Φ(x) + x·φ(x) is given here (gradient symmetry differentiates the model).
 */
const gelu = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  (args[1] as tf.GradSaveFunc)([x]);
  return {
    value: tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [input] = saved as [tf.Tensor];
      const cdf = tf.mul(tf.add(tf.erf(tf.mul(input, Math.SQRT1_2)), 1), 0.5);
      const pdf = tf.mul(tf.exp(tf.mul(tf.square(input), -0.5)), 1 / Math.sqrt(2 * Math.PI));
      return tf.mul(dy, tf.add(cdf, tf.mul(input, pdf)));
    },
  };
}) as (x: tf.Tensor) => tf.Tensor2D;

export const transformerFactory: ModelFactory<TransformerConfig> = {
  kind: 'TRANSFORMER',
  init(config, rng) {
    return buildTransformer(config, config.model, initTransformerWeights(config.p, config.model, rng));
  },
};
