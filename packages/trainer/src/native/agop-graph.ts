import type { RunConfig } from '../config.ts';
import { allPairs } from '../data/pairs.ts';
import type { Split } from '../data/split.ts';
import { AGOP_MAX_PAIRS } from '../measures/input-agop.ts';
import { GraphBuilder, type Value } from './graph.ts';
import { type ModelGraph, modelGraph } from './model-graphs.ts';
import { Ops } from './ops.ts';
import { stateNames } from './step-graph.ts';

export interface InputAgopGraph {
  model: Uint8Array;
  /** Training pairs the AGOP averages over (measures/input-agop.ts: the first AGOP_MAX_PAIRS of the split). */
  pairs: number;
  /**
   * With a backward pass: the first class of each run, fed as AGOP_CLASS_OFFSET; `agop_sum` is then that run's
   * classes' part of n·G, and the parts add up. Absent for the closed form (one run).
   */
  classOffsets?: number[];
}

/** The backward-pass graph's input: the first of the classes whose cotangents this run takes (int64 [1]). */
export const AGOP_CLASS_OFFSET = 'class_offset';

/** Rows (classes × pairs) per backward run, as measures/input-agop.ts's passes: bounds the run's memory. */
const ROWS_PER_RUN = 8192;

/**
 * measures/input-agop.ts's device half as a graph on the runtime's parameter tensors (`param_i`, as the step
 * graph): for the sampled training pairs, every class c's input gradient g_jc = [E ∇_{e_a} f_c ; E ∇_{e_b} f_c],
 * centred over the pairs per (class, coordinate), and outputs `agop_sum` = Σ_j Σ_c g_jc g_jcᵀ [2p, 2p] (n·G) and
 * `feature_gram` = F Fᵀ. Undefined for kinds without a forward from embeddings (the RFM).
 *
 * A one-hidden-layer network (logits = act(pre_j)·W_out + b_out, pre_j affine in the embeddings) has
 * g_jc = F·diag(s_j)·W_out[:, c] with F the input feature map [2p, h] and s_j = act′(pre_j), so
 * Σ_j Σ_c (g_jc − ḡ_c)(g_jc − ḡ_c)ᵀ = F·(W_out W_outᵀ ⊙ UᵀU)·Fᵀ with U the slopes centred over the pairs [n, h]:
 * O(n·h² + p·h²) instead of a backward pass over p·n rows (mlp-59: 87 ms → 1 ms, a thousand-step window's largest
 * measure cost). Other networks (deeper MLPs, the transformer) take that backward pass, derived by the builder from
 * the forward from embeddings, in runs of about ROWS_PER_RUN rows (`classOffsets`), as the tfjs AGOP does.
 */
export function buildInputAgopGraph(config: RunConfig, split: Split): InputAgopGraph | undefined {
  if (config.model.kind === 'RFM') return undefined;
  const graph = modelGraph(config);
  const from = graph.fromEmbeddings;
  if (!from) return undefined;
  const g = new GraphBuilder();
  const ops = new Ops(g);
  const params = graph.params.map((spec, i) => g.input(stateNames(i).param, spec.shape));
  const n = Math.min(AGOP_MAX_PAIRS, split.train.length);
  const F = from.featureMap(ops, params);
  const E = from.embedding(ops, params);
  const sample: Sample = { g, ops, config, split, params, E, n };
  let classOffsets: number[] | undefined;
  if (from.oneHiddenLayer) g.output('agop_sum', closedFormSum(sample, F, from.oneHiddenLayer));
  else {
    const classes = Math.max(1, Math.min(config.p, Math.floor(ROWS_PER_RUN / n)));
    classOffsets = Array.from({ length: Math.ceil(config.p / classes) }, (_, i) => i * classes);
    g.output('agop_sum', backwardSum(sample, classes, from.logits));
  }
  g.output('feature_gram', g.node('Gemm', [F, F], [F.shape[0]!, F.shape[0]!], 'float', { transB: int(1) }));
  const model = g.encode(`grokscope-input-agop-${config.model.kind.toLowerCase()}`);
  return { model, pairs: n, ...(classOffsets ? { classOffsets } : {}) };
}

type FromEmbeddings = NonNullable<ModelGraph['fromEmbeddings']>;

/** The graph under construction and the n sampled training pairs both forms of the AGOP read. */
interface Sample {
  g: GraphBuilder;
  ops: Ops;
  config: RunConfig;
  split: Split;
  params: readonly Value[];
  /** The operands' embedding [p, d]. */
  E: Value;
  n: number;
}

const int = (value: number) => ({ kind: 'int' as const, value });

/** Embedding rows [rows, d] of one operand of the sampled pairs, row i being pair i mod n. */
function operandRows({ g, E, config, split, n }: Sample, rows: number, operand: 'a' | 'b'): Value {
  const ids = allPairs(config.p, config.operation)[operand];
  const index = g.constant(
    BigInt64Array.from({ length: rows }, (_, i) => BigInt(ids[split.train[i % n]!]!)),
    [rows],
    'int64',
  );
  return g.node('Gather', [E, index], [rows, E.shape[1]!], 'float', { axis: int(0) });
}

/** n·G = F·(W_out W_outᵀ ⊙ UᵀU)·Fᵀ for a one-hidden-layer network (see buildInputAgopGraph). */
function closedFormSum(
  sample: Sample,
  F: Value,
  layer: NonNullable<FromEmbeddings['oneHiddenLayer']>,
): Value {
  const { g, ops, params, n } = sample;
  const pre = layer.pre(ops, params, operandRows(sample, n, 'a'), operandRows(sample, n, 'b'));
  const h = pre.shape[1]!;
  // act′(pre) from the activation's own recorded derivative, so the slopes are the step's backward's.
  const [slopes] = g.gradients(ops.sumAll(layer.activation(ops, pre)), [pre], (x, y) =>
    g.node('Add', [x, y], x.shape),
  );
  const mean = g.node('ReduceMean', [slopes!], [1, h], 'float', {
    axes: { kind: 'ints', value: [0] },
    keepdims: int(1),
  });
  const centred = g.node('Sub', [slopes!, mean], [n, h]);
  const slopeGram = g.node('Gemm', [centred, centred], [h, h], 'float', { transA: int(1) });
  const W = layer.readout(params);
  const readoutGram = g.node('Gemm', [W, W], [h, h], 'float', { transB: int(1) });
  const q = F.shape[0]!;
  const inner = g.node('Gemm', [F, g.node('Mul', [readoutGram, slopeGram], [h, h])], [q, h]);
  return g.node('Gemm', [inner, F], [q, q], 'float', { transB: int(1) });
}

/**
 * Classes offset … offset + classes − 1's part of n·G by one backward pass over classes·n rows, each class's block
 * under its one-hot cotangent (any depth); classes past p − 1 (the last run's) have a zero cotangent and add 0.
 */
function backwardSum(sample: Sample, classes: number, logitsOf: FromEmbeddings['logits']): Value {
  const { g, ops, config, params, E, n } = sample;
  const { p } = config;
  const q = 2 * p;
  const rows = classes * n;
  // Row k·n + j: pair j of the sample under the cotangent of class offset + k.
  const ea = operandRows(sample, rows, 'a');
  const eb = operandRows(sample, rows, 'b');
  const offset = g.input(AGOP_CLASS_OFFSET, [1], 'int64');
  const rowClass = g.node(
    'Add',
    [
      g.constant(
        BigInt64Array.from({ length: rows }, (_, i) => BigInt(Math.floor(i / n))),
        [rows, 1],
        'int64',
      ),
      offset,
    ],
    [rows, 1],
    'int64',
  );
  const cotangent = g.node(
    'Cast',
    [
      g.node(
        'Equal',
        [
          rowClass,
          g.constant(
            BigInt64Array.from({ length: p }, (_, c) => BigInt(c)),
            [p],
            'int64',
          ),
        ],
        [rows, p],
        'bool',
      ),
    ],
    [rows, p],
    'float',
    { to: int(1) },
  );
  const logits = logitsOf(ops, params, ea, eb);
  const selected = ops.sumAll(ops.mul(logits, cotangent));
  const [ga, gb] = g.gradients(selected, [ea, eb], (x, y) => g.node('Add', [x, y], x.shape));
  const toInput = (grad: Value) => g.node('Gemm', [grad, E], [rows, p], 'float', { transB: int(1) });
  const J = g.node('Concat', [toInput(ga!), toInput(gb!)], [rows, q], 'float', { axis: int(1) });
  const blocks = g.node('Reshape', [J, g.ints([classes, n, q])], [classes, n, q]);
  const mean = g.node('ReduceMean', [blocks], [classes, 1, q], 'float', {
    axes: { kind: 'ints', value: [1] },
    keepdims: int(1),
  });
  const centred = g.node(
    'Reshape',
    [g.node('Sub', [blocks, mean], [classes, n, q]), g.ints([rows, q])],
    [rows, q],
  );
  return g.node('Gemm', [centred, centred], [q, q], 'float', { transA: int(1) });
}
