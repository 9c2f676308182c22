import type { RunConfig } from '../config.ts';
import { allPairs, selectPairs } from '../data/pairs.ts';
import type { Split } from '../data/split.ts';
import { frequencyCount } from '../fourier/basis.ts';
import { sumFrequencyTable } from '../fourier/sum-directions.ts';
import { GraphBuilder, type Value } from './graph.ts';
import { modelGraph, type SubsetValues } from './model-graphs.ts';
import { Ops } from './ops.ts';
import { stateNames } from './step-graph.ts';

/** The grid graph's input: the key-frequency mask [K] (0/1) of the step, from the measure pass. */
export const GRID_KEY_MASK = 'key_mask';

/** Logits per chunk of the per-frequency excluded losses ([k, n_train, p]). */
const FREQUENCY_CHUNK_ELEMENTS = 1_000_000;

/**
 * The logits of every pair of the grid (all p², as data/pairs.ts lays it out), in grid order [p², p], as a small
 * graph of its own: the same parameter inputs as the step graph (`param_i`), so the runtime evaluates it on the
 * tensors the step graph wrote, with no copy of θ. Measures that read the all-pairs forward (restricted/excluded
 * losses, distance irrelevance) get it from here on the native engine instead of from a wasm forward. The losses
 * that need only these logits are outputs too (their cross-entropies over thousands of pairs were most of a due
 * step's cost on wasm): `excluded_loss_per_frequency` [K], and `restricted_loss` and `excluded_loss` [] for the
 * key set fed as `key_mask` [K].
 */
export function buildGridLogitsGraph(
  config: RunConfig,
  split: Split,
  { chunkElements = FREQUENCY_CHUNK_ELEMENTS } = {},
): Uint8Array {
  if (config.model.kind === 'RFM') throw new Error('an RFM has no logits graph');
  const g = new GraphBuilder();
  const ops = new Ops(g);
  const graph = modelGraph(config);
  const params = graph.params.map((spec, i) => g.input(stateNames(i).param, spec.shape));
  const keyMask = g.input(GRID_KEY_MASK, [frequencyCount(config.p)]);
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
  const losses = new GridLosses(g, ops, config, split, logits, chunkElements);
  g.output('logits', logits);
  g.output('excluded_loss_per_frequency', losses.excludedPerFrequency());
  const { restricted, excluded } = losses.keyLosses(keyMask);
  g.output('restricted_loss', restricted);
  g.output('excluded_loss', excluded);
  return g.encode(`grokscope-grid-logits-${config.model.kind.toLowerCase()}`);
}

/**
 * The Fourier losses of measures/restricted-loss.ts, excluded-loss.ts and excluded-loss-per-frequency.ts as graph
 * nodes, sharing G = Σ of the logits per answer s [p, p] and its coefficients F·G [2K, p] on the sum directions.
 */
class GridLosses {
  private readonly p: number;
  private readonly K: number;
  private readonly F: Float32Array;
  private readonly gridLabels: Int32Array;
  private readonly trainLabels: Int32Array;
  private readonly coefficients: Value;
  private readonly trainLogits: Value;
  private readonly trainTargets: Value;
  private readonly trainLabelValues: Value;

  constructor(
    private readonly g: GraphBuilder,
    private readonly ops: Ops,
    config: RunConfig,
    split: Split,
    private readonly logits: Value,
    private readonly chunkElements: number,
  ) {
    const { p } = config;
    this.p = p;
    this.K = frequencyCount(p);
    this.F = sumFrequencyTable(p);
    const grid = allPairs(p, config.operation);
    this.gridLabels = grid.label;
    this.trainLabels = selectPairs(grid, split.train).label;
    const rows = grid.label.length;
    const byAnswer = new Float32Array(p * rows);
    grid.label.forEach((s, i) => {
      byAnswer[s * rows + i] = 1;
    });
    const G = g.node('MatMul', [g.constant(byAnswer, [p, rows], 'float'), logits], [p, p]);
    this.coefficients = g.node('MatMul', [g.constant(this.F, [2 * this.K, p], 'float'), G], [2 * this.K, p]);
    const n = split.train.length;
    this.trainLogits = this.gatherRows(logits, split.train);
    this.trainTargets = this.oneHot(this.trainLabels);
    this.trainLabelValues = g.constant(BigInt64Array.from(this.trainLabels, BigInt), [n], 'int64');
  }

  /**
   * For each k the train logits minus A_k·B_k, A_k[n] = (2/p²)(cos, sin)(w_k s_n) (constants, they depend on the
   * split only) and B_k = (coefC_k; coefS_k); the cross-entropy of each k's logits, [K]. In chunks of frequencies
   * whose [k, n, p] logits stay near a million elements: one [K, n, p] tensor (24M elements on transformer-113) made
   * every pass of the cross-entropy stream memory, and its arena took a second to grow.
   */
  excludedPerFrequency(): Value {
    const { g, p, K } = this;
    const n = this.trainLabels.length;
    const chunk = Math.max(1, Math.min(K, Math.floor(this.chunkElements / Math.max(1, n * p))));
    const parts: Value[] = [];
    for (let start = 0; start < K; start += chunk)
      parts.push(this.excludedForFrequencies(start, Math.min(chunk, K - start)));
    return parts.length === 1
      ? parts[0]!
      : g.node('Concat', parts, [K], 'float', { axis: { kind: 'int', value: 0 } });
  }

  /** excludedPerFrequency for frequencies start + 1 … start + size, [size]. */
  private excludedForFrequencies(start: number, size: number): Value {
    const { g, p, K, F } = this;
    const n = this.trainLabels.length;
    const half = (offset: number) =>
      g.node(
        'Reshape',
        [
          g.node(
            'Slice',
            [this.coefficients, g.ints([offset + start]), g.ints([offset + start + size]), g.ints([0])],
            [size, p],
          ),
          g.ints([size, 1, p]),
        ],
        [size, 1, p],
      );
    // A_k [n, 2] (the constant waves of the train answers) times B_k [2, p], for the chunk's k at once.
    const waves = new Float32Array(size * n * 2);
    for (let k = 0; k < size; k++)
      this.trainLabels.forEach((s, i) => {
        waves[(k * n + i) * 2] = (2 / (p * p)) * F[(start + k) * p + s]!;
        waves[(k * n + i) * 2 + 1] = (2 / (p * p)) * F[(K + start + k) * p + s]!;
      });
    const removedPart = g.node(
      'MatMul',
      [
        g.constant(waves, [size, n, 2], 'float'),
        g.node('Concat', [half(0), half(K)], [size, 2, p], 'float', { axis: { kind: 'int', value: 1 } }),
      ],
      [size, n, p],
    );
    const removed = g.node('Sub', [this.trainLogits, removedPart], [size, n, p]);
    return this.ops.crossEntropy(removed, this.trainTargets, this.trainLabelValues).loss;
  }

  /**
   * The restricted loss (all p² pairs: the per-class mean logit plus the key directions' part R[s, c]) and the
   * excluded loss (train pairs: the logits minus R) for the key set `mask` [K], with
   * R = (2/p²)·Fᵀ·diag(mask, mask)·F·G (measures/fourier-ops.ts, sumDirectionProjection).
   */
  keyLosses(mask: Value): { restricted: Value; excluded: Value } {
    const { g, ops, p, K, F } = this;
    const twice = g.node('Concat', [mask, mask], [2 * K], 'float', { axis: { kind: 'int', value: 0 } });
    const kept = g.node(
      'Mul',
      [this.coefficients, g.node('Unsqueeze', [twice, g.ints([1])], [2 * K, 1])],
      [2 * K, p],
    );
    const FT = new Float32Array(p * 2 * K);
    for (let j = 0; j < 2 * K; j++)
      for (let s = 0; s < p; s++) FT[s * 2 * K + j] = (2 / (p * p)) * F[j * p + s]!;
    const R = g.node('MatMul', [g.constant(FT, [p, 2 * K], 'float'), kept], [p, p]);
    const rows = this.gridLabels.length;
    const meanLogits = g.node('ReduceMean', [this.logits], [1, p], 'float', {
      keepdims: { kind: 'int', value: 1 },
      axes: { kind: 'ints', value: [0] },
    });
    const restrictedLogits = g.node('Add', [meanLogits, this.gatherRows(R, this.gridLabels)], [rows, p]);
    const restricted = ops.crossEntropy(
      restrictedLogits,
      this.oneHot(this.gridLabels),
      g.constant(BigInt64Array.from(this.gridLabels, BigInt), [rows], 'int64'),
    ).loss;
    const n = this.trainLabels.length;
    const excludedLogits = g.node('Sub', [this.trainLogits, this.gatherRows(R, this.trainLabels)], [n, p]);
    const excluded = ops.crossEntropy(excludedLogits, this.trainTargets, this.trainLabelValues).loss;
    return { restricted, excluded };
  }

  /** Rows `indices` of x [m, p], [indices.length, p]. */
  private gatherRows(x: Value, indices: ArrayLike<number>): Value {
    const n = indices.length;
    return this.g.node(
      'Gather',
      [x, this.g.constant(BigInt64Array.from(Array.from(indices), BigInt), [n], 'int64')],
      [n, this.p],
      'float',
      { axis: { kind: 'int', value: 0 } },
    );
  }

  /** One-hot rows [labels.length, p] (a constant). */
  private oneHot(labels: Int32Array): Value {
    const values = new Float32Array(labels.length * this.p);
    labels.forEach((s, i) => {
      values[i * this.p + s] = 1;
    });
    return this.g.constant(values, [labels.length, this.p], 'float');
  }
}
