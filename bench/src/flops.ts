import { type ModelConfig, type RunConfigInput, runConfigSchema } from '@grokscope/trainer';
import { trainSize } from './configs.ts';

/**
 * FLOPs of one full-batch training step, counted analytically (2 FLOPs per multiply-add, matrix products only:
 * elementwise ops, softmax and the optimiser are O(parameters) or O(activations) and small next to them). A
 * backward pass is counted as twice its forward (gradients with respect to inputs and weights), so a training
 * step is 3 × forward.
 *
 * - `model`: the dense model as written in the PyTorch peer (every position, per-pair products). The same number
 *   for both implementations, so model GFLOP/s and MFU compare them fairly.
 * - `executed`: what grokscope actually multiplies. The models fold the embedding into lookup tables (MLP: E·W1
 *   halves; transformer: keys/values from [V, D] tables, query and MLP at the last position only), and every step
 *   also runs a forward pass over the test pairs (test loss/accuracy), which the peer does not do.
 */
export interface StepFlops {
  model: number;
  executed: number;
  nTrain: number;
  nTest: number;
}

export function stepFlops(input: RunConfigInput): StepFlops {
  const config = runConfigSchema.parse(input);
  const nTrain = trainSize(config.p, config.trainFraction);
  const nTest = config.p * config.p - nTrain;
  const { model } = config;
  const { perPair, tables, perPairExecuted } = countsFor(config.p, model);
  return {
    model: 3 * nTrain * perPair,
    // Tables are rebuilt in the train forward (then backpropagated) and again in the test forward.
    executed: 3 * (tables + nTrain * perPairExecuted) + (tables + nTest * perPairExecuted),
    nTrain,
    nTest,
  };
}

interface Counts {
  /** Dense forward FLOPs per pair (the peer's model). */
  perPair: number;
  /** Per-step table products, independent of the number of pairs. */
  tables: number;
  /** grokscope's forward FLOPs per pair once the tables exist. */
  perPairExecuted: number;
}

/** The bench's configurations are an MLP and a transformer; other model kinds have no count here yet. */
function countsFor(p: number, model: ModelConfig): Counts {
  if (model.kind === 'MLP') return mlpCounts(p, model);
  if (model.kind === 'TRANSFORMER') return transformerCounts(p, model);
  throw new Error(`no FLOP count for model kind ${model.kind}`);
}

/**
 * Dense: first layer 2·(2d)·h (concat) or 2·d·h (sum), (depth−1)·2h², read-out 2·h·p.
 * Executed: tables E·W1a, E·W1b (2·p·d·h each; one for sum); per pair the same hidden and read-out products.
 */
function mlpCounts(p: number, model: Extract<ModelConfig, { kind: 'MLP' }>): Counts {
  const { embedDim: d, hiddenDim: h, combine, depth } = model;
  const rest = (depth - 1) * 2 * h * h + 2 * h * p;
  const tableCount = combine === 'concat' ? 2 : 1;
  return {
    perPair: 2 * (combine === 'concat' ? 2 * d : d) * h + rest,
    tables: tableCount * 2 * p * d * h,
    perPairExecuted: rest,
  };
}

/**
 * Dense, C positions, width D, MLP width F, vocabulary V: Q/K/V 3·2·C·D², scores and mixing 2·2·C²·D (all heads),
 * W_O 2·C·D², MLP 2·2·C·D·F, unembedding at the last position 2·D·p.
 * Executed (models/transformer.ts): tables (W_E + W_pos[i])·W_K and ·W_V for the two operand positions
 * (4 × 2·V·D²) plus the '=' row's k, v, q (3 × 2·D²; without '=', a fifth table for the query); the folded weights
 * W_O·W_in 2·D²·F, W_O·W_U 2·D²·p, W_out·W_U 2·F·D·p; with '=' its row's ·W_in and ·W_U (2·D·F + 2·D·p, per pair
 * without '='); per pair scores and mixing 2·2·C·D (one query row), mixed·(W_O·W_in) 2·D·F, mixed·(W_O·W_U) 2·D·p,
 * hidden·(W_out·W_U) 2·F·p.
 */
function transformerCounts(p: number, model: Extract<ModelConfig, { kind: 'TRANSFORMER' }>): Counts {
  const { dModel: D, dMlp: F, equalsToken } = model;
  const C = equalsToken ? 3 : 2;
  const V = equalsToken ? p + 1 : p;
  const readOut = 2 * D * p;
  const lastRow = 2 * D * F + 2 * D * p;
  const folded = 2 * D * D * F + 2 * D * D * p + 2 * F * D * p;
  return {
    perPair: 6 * C * D * D + 4 * C * C * D + 2 * C * D * D + 4 * C * D * F + readOut,
    // Without '=' the query comes from a fifth [V, D] table (position 1's) and the last row varies per pair.
    tables: (equalsToken ? 4 * 2 * V * D * D + 3 * 2 * D * D + lastRow : 5 * 2 * V * D * D) + folded,
    perPairExecuted: 4 * C * D + 2 * D * F + 2 * D * p + 2 * F * p + (equalsToken ? 0 : lastRow),
  };
}
