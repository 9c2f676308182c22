import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it } from 'vitest';
import { parseRunConfig, type RunConfig, type RunConfigInput } from '../src/config.ts';
import { createRng } from '../src/data/rng.ts';
import { registerGradients } from '../src/gradients/index.ts';
import { lossAndAccuracy } from '../src/loss/cross-entropy.ts';
import { createModel } from '../src/models/index.ts';
import type { Model } from '../src/models/model.ts';
import type { TransformerConfig } from '../src/models/transformer.ts';
import { describeEachBackend } from './helpers/backends.ts';

/**
 * The models compute only what the loss depends on (models/mlp.ts: the embedding folded into [p, h] tables;
 * models/transformer.ts: keys/values from [V, D] tables, the query, attention and MLP at the last position only,
 * the '=' row a constant). Here the plain forms — what the papers and the PyTorch peer compute, every position,
 * full attention matrix, embedding then linear layer — are written out from the same variables, and logits and
 * the loss gradient of every parameter must agree to relative error < 1e-4 (float32 on cpu: only the order of
 * summation differs).
 */

/** Plain MLP, concat, depth 1, ReLU, biases: ReLU([E[a]; E[b]]·[W1a; W1b] + b1)·W_out + b_out. */
function plainMlp(vars: readonly tf.Variable[], a: tf.Tensor1D, b: tf.Tensor1D): tf.Tensor2D {
  const [E, W1a, W1b, b1, Wout, bout] = vars as unknown as tf.Tensor2D[];
  const input = tf.concat([tf.gather(E!, a), tf.gather(E!, b)], 1) as tf.Tensor2D;
  const hidden = tf.relu(tf.add(tf.matMul(input, tf.concat([W1a!, W1b!], 0) as tf.Tensor2D), b1!));
  return tf.add(tf.matMul(hidden as tf.Tensor2D, Wout!), bout!) as tf.Tensor2D;
}

/**
 * Plain one-layer transformer: residual stream x [n, C, D] at every position, Q/K/V at every position, the full
 * [C, C] attention pattern per head (causal mask when asked, A = α·softmax + (1 − α)·J on the allowed keys), MLP at
 * every position, unembedding read at the last.
 */
function plainTransformer(
  m: TransformerConfig,
  p: number,
  vars: readonly tf.Variable[],
  a: tf.Tensor1D,
  b: tf.Tensor1D,
): tf.Tensor2D {
  const [W_E, W_pos, W_Q, W_K, W_V, W_O, W_in, b_in, W_out, b_out, W_U] = vars as unknown as tf.Tensor2D[];
  const n = a.shape[0];
  const D = m.dModel;
  const H = m.heads;
  const dh = D / H;
  const tokens = m.equalsToken ? [a, b, tf.fill([n], p, 'int32') as tf.Tensor1D] : [a, b];
  const C = tokens.length;
  // [n, C, D]; built with concat, as every op here needs a registered gradient (src/gradients: no Pack, no Slice).
  const rows = tokens.map((t) => tf.reshape(tf.gather(W_E!, t), [n, 1, D]));
  const x = tf.add(tf.concat(rows, 1), W_pos!) as tf.Tensor3D;
  const flat = (t: tf.Tensor) => tf.reshape(t, [n * C, -1]) as tf.Tensor2D;
  const heads = (W: tf.Tensor2D) =>
    tf.transpose(tf.reshape(tf.matMul(flat(x), W), [n, C, H, dh]), [0, 2, 1, 3]);
  const q = heads(W_Q!);
  const k = heads(W_K!);
  const v = heads(W_V!);
  const allowed = tf.tensor2d(
    Array.from({ length: C * C }, (_, ij) => (!m.causal || ij % C <= Math.floor(ij / C) ? 1 : 0)),
    [C, C],
  );
  const scores = tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(dh)), tf.mul(tf.sub(allowed, 1), 1e9));
  const pattern = tf.add(tf.mul(tf.mul(tf.softmax(scores), allowed), m.alpha), tf.mul(allowed, 1 - m.alpha));
  const mixed = tf.reshape(tf.transpose(tf.matMul(pattern, v), [0, 2, 1, 3]), [n, C, D]);
  const r = tf.add(x, tf.reshape(tf.matMul(flat(mixed), W_O!), [n, C, D]));
  const hidden = tf.relu(tf.add(tf.matMul(flat(r), W_in!), b_in!)) as tf.Tensor2D;
  const r2 = tf.add(r, tf.reshape(tf.add(tf.matMul(hidden, W_out!), b_out!), [n, C, D]));
  // The last position's row, as a masked sum.
  const lastMask = tf.tensor3d(
    Array.from({ length: C }, (_, i) => (i === C - 1 ? 1 : 0)),
    [1, C, 1],
  );
  const last = tf.sum(tf.mul(r2, lastMask), 1) as tf.Tensor2D;
  return tf.matMul(last, W_U!);
}

const CASES: { name: string; input: RunConfigInput }[] = [
  {
    name: 'MLP (the mlp-59 form)',
    input: { p: 13, model: { kind: 'MLP', embedDim: 8, hiddenDim: 24 } },
  },
  {
    name: "transformer, causal, α = 1, '=' token (the transformer-113 form)",
    input: { p: 11, model: { kind: 'TRANSFORMER', dModel: 16, heads: 2, dMlp: 24 } },
  },
  {
    name: 'transformer, no mask, α = 0.3, no equals token',
    input: {
      p: 11,
      model: {
        kind: 'TRANSFORMER',
        dModel: 16,
        heads: 4,
        dMlp: 24,
        alpha: 0.3,
        causal: false,
        equalsToken: false,
      },
    },
  },
];

const relativeError = (fast: Float32Array, plain: Float32Array): number => {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < plain.length; i++) {
    diff += (fast[i]! - plain[i]!) ** 2;
    norm += plain[i]! ** 2;
  }
  return Math.sqrt(diff / norm);
};

const models: Model[] = [];
afterAll(() => {
  for (const model of models) model.dispose();
});

describeEachBackend('fast forms against plain forms', () => {
  for (const { name, input } of CASES) {
    it(`${name}: same logits and loss gradients (relative error < 1e-4)`, async () => {
      registerGradients();
      const config: RunConfig = parseRunConfig({ seed: 7, ...input });
      const model = createModel(config, createRng(config.seed, 'init'));
      models.push(model);
      const { p } = config;
      // Every pair of the grid, so both forms see the whole table (and every row of the gathers' gradients).
      const a = tf.tensor1d(
        Array.from({ length: p * p }, (_, i) => Math.floor(i / p)),
        'int32',
      );
      const b = tf.tensor1d(
        Array.from({ length: p * p }, (_, i) => i % p),
        'int32',
      );
      const labels = tf.tensor1d(
        Array.from({ length: p * p }, (_, i) => (Math.floor(i / p) + (i % p)) % p),
        'int32',
      );
      const targets = tf.oneHot(labels, p, 1, 0, 'float32') as tf.Tensor2D;
      const plain = (x: tf.Tensor1D, y: tf.Tensor1D) =>
        config.model.kind === 'MLP'
          ? plainMlp(model.variables, x, y)
          : plainTransformer(config.model as TransformerConfig, p, model.variables, x, y);
      const run = (logits: (x: tf.Tensor1D, y: tf.Tensor1D) => tf.Tensor2D) =>
        tf.tidy(() => {
          const z = tf.keep(logits(a, b));
          const { grads } = tf.variableGrads(
            () => lossAndAccuracy(logits(a, b), targets, labels).loss,
            [...model.variables],
          );
          return { z, grads: model.variables.map((v) => grads[v.name]!) };
        });
      const fast = run((x, y) => model.logits(x, y));
      const slow = run(plain);
      const zFast = (await fast.z.data()) as Float32Array;
      const zPlain = (await slow.z.data()) as Float32Array;
      // The logits are not all zero and genuinely spread: a form that ignored its inputs could not match.
      expect(Math.max(...zPlain) - Math.min(...zPlain)).toBeGreaterThan(0.1);
      expect(relativeError(zFast, zPlain), 'logits').toBeLessThan(1e-4);
      for (const [i, v] of model.variables.entries()) {
        const gPlain = (await slow.grads[i]!.data()) as Float32Array;
        expect(Math.max(...gPlain.map(Math.abs)), `${v.name} has a gradient`).toBeGreaterThan(0);
        expect(relativeError((await fast.grads[i]!.data()) as Float32Array, gPlain), v.name).toBeLessThan(
          1e-4,
        );
      }
      tf.dispose([a, b, labels, targets, fast.z, slow.z, ...fast.grads, ...slow.grads]);
    });
  }
}, ['cpu']);
