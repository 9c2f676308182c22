import type { RunConfig } from '../config.ts';
import { allPairs, selectPairs } from '../data/pairs.ts';
import type { Split } from '../data/split.ts';
import { frequencyCount } from '../fourier/basis.ts';
import { sumFrequencyTable } from '../fourier/sum-directions.ts';
import { GraphBuilder, type Value } from './graph.ts';
import { modelGraph, type SubsetValues } from './model-graphs.ts';
import { Ops } from './ops.ts';
import { stateNames } from './step-graph.ts';

/**
 * The logits of every pair of the grid (all p², as data/pairs.ts lays it out), in grid order [p², p], as a small
 * graph of its own: the same parameter inputs as the step graph (`param_i`), so the runtime evaluates it on the
 * tensors the step graph wrote, with no copy of θ. Measures that read the all-pairs forward (restricted/excluded
 * losses, distance irrelevance) get it from here on the native engine instead of from a wasm forward. A second
 * output, `excluded_loss_per_frequency` [K], is that measure computed from these logits (the costliest measure on
 * wasm: K cross-entropies over the train pairs).
 */
export function buildGridLogitsGraph(config: RunConfig, split: Split): Uint8Array {
  if (config.model.kind === 'RFM') throw new Error('an RFM has no logits graph');
  const g = new GraphBuilder();
  const ops = new Ops(g);
  const graph = modelGraph(config);
  const params = graph.params.map((spec, i) => g.input(stateNames(i).param, spec.shape));
  const { a, b } = allPairs(config.p, config.operation);
  const n = a.length;
  const noBackward = (): never => {
    throw new Error('the grid logits graph has no backward');
  };
  // Operands only: no targets or row positions, which this forward never reads (the runtime warns of unused constants).
  const grid: SubsetValues = {
    size: n,
    a: g.constant(BigInt64Array.from(a, BigInt), [n], 'int64'),
    b: g.constant(BigInt64Array.from(b, BigInt), [n], 'int64'),
    rowsOfA: noBackward,
    rowsOfB: noBackward,
  };
  const logits = graph.logits(ops, params, grid);
  g.output('logits', logits);
  g.output('excluded_loss_per_frequency', excludedLossPerFrequency(g, ops, config, split, logits));
  return g.encode(`grokscope-grid-logits-${config.model.kind.toLowerCase()}`);
}

/**
 * measures/excluded-loss-per-frequency.ts as graph nodes: G = Σ of the logits per answer s, coefficients F·G [2K, p];
 * for each k the train logits minus A_k·B_k, A_k[n] = (2/p²)(cos, sin)(w_k s_n) (constants, they depend on the
 * split only) and B_k = (coefC_k; coefS_k); the cross-entropy of each k's logits, [K].
 */
function excludedLossPerFrequency(
  g: GraphBuilder,
  ops: Ops,
  config: RunConfig,
  split: Split,
  logits: Value,
): Value {
  const { p } = config;
  const K = frequencyCount(p);
  const grid = allPairs(p, config.operation);
  const rows = grid.label.length;
  const byAnswer = new Float32Array(p * rows);
  grid.label.forEach((s, i) => {
    byAnswer[s * rows + i] = 1;
  });
  const F = sumFrequencyTable(p);
  const G = g.node('MatMul', [g.constant(byAnswer, [p, rows], 'float'), logits], [p, p]);
  const coefficients = g.node('MatMul', [g.constant(F, [2 * K, p], 'float'), G], [2 * K, p]);
  const half = (start: number) =>
    g.node(
      'Reshape',
      [
        g.node('Slice', [coefficients, g.ints([start]), g.ints([start + K]), g.ints([0])], [K, p]),
        g.ints([K, 1, p]),
      ],
      [K, 1, p],
    );
  const train = selectPairs(grid, split.train);
  const n = split.train.length;
  const waves = (offset: number) => {
    const values = new Float32Array(K * n);
    for (let k = 0; k < K; k++)
      train.label.forEach((s, i) => {
        values[k * n + i] = (2 / (p * p)) * F[(offset + k) * p + s]!;
      });
    return g.constant(values, [K, n, 1], 'float');
  };
  const trainLogits = g.node(
    'Gather',
    [logits, g.constant(BigInt64Array.from(split.train, BigInt), [n], 'int64')],
    [n, p],
    'float',
    { axis: { kind: 'int', value: 0 } },
  );
  const removedPart = g.node(
    'Add',
    [g.node('Mul', [waves(0), half(0)], [K, n, p]), g.node('Mul', [waves(K), half(K)], [K, n, p])],
    [K, n, p],
  );
  const removed = g.node('Sub', [trainLogits, removedPart], [K, n, p]);
  const targets = new Float32Array(n * p);
  train.label.forEach((s, i) => {
    targets[i * p + s] = 1;
  });
  return ops.crossEntropy(
    removed,
    g.constant(targets, [n, p], 'float'),
    g.constant(BigInt64Array.from(train.label, BigInt), [n], 'int64'),
  ).loss;
}
