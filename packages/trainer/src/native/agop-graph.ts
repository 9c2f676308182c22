import type { RunConfig } from '../config.ts';
import { allPairs } from '../data/pairs.ts';
import type { Split } from '../data/split.ts';
import { AGOP_MAX_PAIRS } from '../measures/input-agop.ts';
import { GraphBuilder } from './graph.ts';
import { modelGraph } from './model-graphs.ts';
import { Ops } from './ops.ts';
import { stateNames } from './step-graph.ts';

export interface InputAgopGraph {
  model: Uint8Array;
  /** Training pairs the AGOP averages over (measures/input-agop.ts: the first AGOP_MAX_PAIRS of the split). */
  pairs: number;
}

/**
 * measures/input-agop.ts's device half as one graph on the runtime's parameter tensors (`param_i`, as the step
 * graph): for the sampled training pairs, every class c's input gradient g_jc = [E ∇_{e_a} f_c ; E ∇_{e_b} f_c]
 * — one backward pass over p·n rows (class c's block of n rows with the one-hot cotangent of c), derived by the
 * builder from the forward from embeddings —, centred over the pairs per (class, coordinate), and outputs
 * `agop_sum` = Σ_j Σ_c g_jc g_jcᵀ [2p, 2p] (n·G) and `feature_gram` = F Fᵀ. Undefined for kinds without a forward
 * from embeddings (the transformer keeps the tfjs AGOP).
 */
export function buildInputAgopGraph(config: RunConfig, split: Split): InputAgopGraph | undefined {
  if (config.model.kind === 'RFM') return undefined;
  const graph = modelGraph(config);
  const from = graph.fromEmbeddings;
  if (!from) return undefined;
  const { p } = config;
  const q = 2 * p;
  const g = new GraphBuilder();
  const ops = new Ops(g);
  const params = graph.params.map((spec, i) => g.input(stateNames(i).param, spec.shape));
  const E = params[0]!;
  const d = E.shape[1]!;
  const n = Math.min(AGOP_MAX_PAIRS, split.train.length);
  const grid = allPairs(p, config.operation);
  const rows = p * n;
  // Row c·n + j: pair j of the sample under class c's cotangent.
  const operand = (ids: Int32Array) =>
    g.constant(
      BigInt64Array.from({ length: rows }, (_, i) => BigInt(ids[split.train[i % n]!]!)),
      [rows],
      'int64',
    );
  const gather = (ids: Int32Array) =>
    g.node('Gather', [E, operand(ids)], [rows, d], 'float', { axis: { kind: 'int', value: 0 } });
  const ea = gather(grid.a);
  const eb = gather(grid.b);
  const cotangent = new Float32Array(rows * p);
  for (let i = 0; i < rows; i++) cotangent[i * p + Math.floor(i / n)] = 1;
  const logits = from.logits(ops, params, ea, eb);
  const selected = ops.sumAll(ops.mul(logits, g.constant(cotangent, [rows, p], 'float')));
  const [ga, gb] = g.gradients(selected, [ea, eb], (x, y) => g.node('Add', [x, y], x.shape));
  const toInput = (grad: typeof ea) =>
    g.node('Gemm', [grad, E], [rows, p], 'float', { transB: { kind: 'int', value: 1 } });
  const J = g.node('Concat', [toInput(ga!), toInput(gb!)], [rows, q], 'float', {
    axis: { kind: 'int', value: 1 },
  });
  const blocks = g.node('Reshape', [J, g.ints([p, n, q])], [p, n, q]);
  const mean = g.node('ReduceMean', [blocks], [p, 1, q], 'float', {
    axes: { kind: 'ints', value: [1] },
    keepdims: { kind: 'int', value: 1 },
  });
  const centred = g.node('Reshape', [g.node('Sub', [blocks, mean], [p, n, q]), g.ints([rows, q])], [rows, q]);
  g.output(
    'agop_sum',
    g.node('Gemm', [centred, centred], [q, q], 'float', { transA: { kind: 'int', value: 1 } }),
  );
  const F = from.featureMap(ops, params);
  g.output('feature_gram', g.node('Gemm', [F, F], [q, q], 'float', { transB: { kind: 'int', value: 1 } }));
  return { model: g.encode(`grokscope-input-agop-${config.model.kind.toLowerCase()}`), pairs: n };
}
