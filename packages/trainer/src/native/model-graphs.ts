import type { ModelConfig, ModelKind, RunConfig } from '../config.ts';
import { TRANSFORMER_PARAMS, transformerShapes } from '../models/transformer.ts';
import type { Value } from './graph.ts';
import type { Ops } from './ops.ts';

/**
 * One subset of pairs as graph constants: operand indices, and for each vocabulary row the positions that read it
 * (row-positions.ts), built only if a backward needs them.
 */
export interface SubsetValues {
  size: number;
  a: Value;
  b: Value;
  rowsOfA: () => Value;
  rowsOfB: () => Value;
}

/**
 * A model kind as a graph: its parameters, in the order and layout of the tfjs model's `variables` (so weights move
 * between the two by position), and its logits for a subset. The graphs compute what src/models/*.ts compute, with
 * the same table-lookup shortcuts; the step graph differentiates them.
 */
export interface ModelGraph {
  params: { name: string; shape: number[] }[];
  /** Token vocabulary of the inputs: p, or p + 1 with the transformer's '=' token. */
  vocab: number;
  /**
   * Logits [n, p] of a subset. With `batch` (batched runs) every parameter carries a leading run dimension (see
   * `batchedParamShape`), the subset's indices are per run (ops.gatherRows) and the logits are [R, n, p].
   */
  logits(ops: Ops, params: readonly Value[], subset: SubsetValues, batch?: BatchValues): Value;
  /**
   * The logits from the two operands' embedding rows ea, eb [n, d] (models' `logitsFromEmbeddings`), and the
   * first layer's input feature map F [2p, h] (`inputFeatureMap`): what the input AGOP differentiates.
   */
  fromEmbeddings?: {
    /** The operands' embedding rows E [p, d] (without the transformer's '=' row). */
    embedding(ops: Ops, params: readonly Value[]): Value;
    logits(ops: Ops, params: readonly Value[], ea: Value, eb: Value): Value;
    featureMap(ops: Ops, params: readonly Value[]): Value;
    /**
     * Present when the logits are act(pre)·W_out + b_out with pre [n, h] affine in (ea, eb) (the one-hidden-layer
     * MLP): pre, the activation and W_out [h, p], from which the input AGOP has a closed form (agop-graph.ts).
     */
    oneHiddenLayer?: {
      pre(ops: Ops, params: readonly Value[], ea: Value, eb: Value): Value;
      activation(ops: Ops, x: Value): Value;
      readout(params: readonly Value[]): Value;
    };
  };
}

/** What differs per run inside a batched graph's forward, beyond the parameters. */
export interface BatchValues {
  runs: number;
  /**
   * The transformer's attention rate per run and 1 − α (each rounded to float32 from the double, as the scalar
   * constants of a single run's graph are), shaped [R, 1, 1, 1] to broadcast over [R, n, heads, 1].
   */
  alpha?: { alpha: Value; complement: Value };
}

/**
 * A parameter's shape in a batched graph: the run dimension first, and a vector (a bias) as [R, 1, h] so that it
 * broadcasts over [R, n, h] exactly as [h] does over [n, h]. The memory layout is [R, ...shape] either way, so run
 * r's parameter is the r-th contiguous slice.
 */
export function batchedParamShape(runs: number, shape: readonly number[]): number[] {
  return shape.length === 1 ? [runs, 1, ...shape] : [runs, ...shape];
}

type MlpConfig = Extract<ModelConfig, { kind: 'MLP' }>;
type TransformerConfig = Extract<ModelConfig, { kind: 'TRANSFORMER' }>;

/** The graph builder of each kind the native engine trains (a registry by kind, like models/index.ts). */
const MODEL_GRAPHS: {
  readonly [K in ModelKind]?: (p: number, model: Extract<ModelConfig, { kind: K }>) => ModelGraph;
} = {
  MLP: mlpGraph,
  TRANSFORMER: transformerGraph,
};

export function modelGraph(config: RunConfig): ModelGraph {
  const build = MODEL_GRAPHS[config.model.kind] as
    | ((p: number, model: ModelConfig) => ModelGraph)
    | undefined;
  if (!build) throw new Error(`the native backend has no graph for model kind ${config.model.kind}`);
  return build(config.p, config.model);
}

/** models/mlp.ts as a graph: T_a = E·W1a + b1, T_b = E·W1b gathered per pair, then the hidden layers. */
function mlpGraph(p: number, m: MlpConfig): ModelGraph {
  const { embedDim: d, hiddenDim: h, combine, depth, activation, bias } = m;
  const params: { name: string; shape: number[] }[] = [{ name: 'embed', shape: [p, d] }];
  if (combine === 'concat') params.push({ name: 'w1a', shape: [d, h] }, { name: 'w1b', shape: [d, h] });
  else params.push({ name: 'w1', shape: [d, h] });
  if (bias) params.push({ name: 'b1', shape: [h] });
  for (let k = 1; k < depth; k++) {
    params.push({ name: `w${k + 1}`, shape: [h, h] });
    if (bias) params.push({ name: `b${k + 1}`, shape: [h] });
  }
  params.push({ name: 'w_out', shape: [h, p] });
  if (bias) params.push({ name: 'b_out', shape: [p] });
  const getter = (values: readonly Value[]) => {
    const byName = new Map(params.map((spec, i) => [spec.name, values[i]!]));
    return (name: string) => byName.get(name)!;
  };
  const act = (ops: Ops, x: Value) => (activation === 'relu' ? ops.relu(x) : ops.mul(x, ops.sigmoid(x)));
  /** The first layer's activation and the layers after it, from its pre-activation (models/mlp.ts `rest`). */
  const rest = (ops: Ops, get: (name: string) => Value, pre: Value): Value => {
    let hidden = act(ops, pre);
    const layer = (x: Value, w: string, b: string) =>
      bias ? ops.affine(x, get(w), get(b)) : ops.matmul(x, get(w));
    for (let k = 1; k < depth; k++) hidden = act(ops, layer(hidden, `w${k + 1}`, `b${k + 1}`));
    return layer(hidden, 'w_out', 'b_out');
  };
  const preFromEmbeddings = (ops: Ops, values: readonly Value[], ea: Value, eb: Value): Value => {
    const get = getter(values);
    const pre =
      combine === 'concat'
        ? ops.add(ops.matmul(ea, get('w1a')), ops.matmul(eb, get('w1b')))
        : ops.matmul(ops.add(ea, eb), get('w1'));
    return bias ? ops.add(pre, get('b1')) : pre;
  };
  return {
    vocab: p,
    params,
    logits(ops, values, subset) {
      // Batched runs need no change here: matmul, add and gatherRows broadcast over the leading run dimension.
      const get = getter(values);
      const tableB = ops.matmul(get('embed'), get(combine === 'concat' ? 'w1b' : 'w1'));
      const tableA1 =
        combine === 'concat'
          ? bias
            ? ops.affine(get('embed'), get('w1a'), get('b1'))
            : ops.matmul(get('embed'), get('w1a'))
          : bias
            ? ops.add(tableB, get('b1'))
            : tableB;
      return rest(
        ops,
        get,
        ops.add(
          ops.gatherRows(tableA1, subset.a, subset.rowsOfA),
          ops.gatherRows(tableB, subset.b, subset.rowsOfB),
        ),
      );
    },
    fromEmbeddings: {
      embedding: (_ops, values) => getter(values)('embed'),
      logits(ops, values, ea, eb) {
        return rest(ops, getter(values), preFromEmbeddings(ops, values, ea, eb));
      },
      featureMap(ops, values) {
        const get = getter(values);
        const E = get('embed');
        const [wa, wb] = combine === 'concat' ? [get('w1a'), get('w1b')] : [get('w1'), get('w1')];
        const parts = [ops.matmul(E, wa), ops.matmul(E, wb)];
        return ops.g.node('Concat', parts, [2 * p, h], 'float', { axis: { kind: 'int', value: 0 } });
      },
      ...(depth === 1
        ? {
            oneHiddenLayer: {
              pre: preFromEmbeddings,
              activation: act,
              readout: (values: readonly Value[]) => getter(values)('w_out'),
            },
          }
        : {}),
    },
  };
}

/**
 * models/transformer.ts as a graph (one layer, attention rate α, only the last position's query; W_O folded into
 * W_in and W_U, W_out into W_U, exactly as there). `causal` does not change the last row, hence the logits.
 */
function transformerGraph(p: number, m: TransformerConfig): ModelGraph {
  const shapes = transformerShapes(p, m);
  const params = TRANSFORMER_PARAMS.map((name) => ({ name, shape: shapes[name] }));
  const D = m.dModel;
  const H = m.heads;
  const dHead = D / H;
  const V = shapes.W_E[0]!;
  type Weights = Record<(typeof TRANSFORMER_PARAMS)[number], Value>;
  const weights = (values: readonly Value[]) =>
    Object.fromEntries(params.map((spec, i) => [spec.name, values[i]!])) as Weights;
  const row = (ops: Ops, table: Value, index: number, rows: number): Value => {
    const onehot = new Float32Array(rows);
    onehot[index] = 1;
    // A constant one-row product: [1, rows]·table, differentiable without a gather.
    return ops.matmul(ops.g.constant(onehot, [1, rows], 'float'), table);
  };
  const pos = (ops: Ops, w: Weights, i: number) => row(ops, w.W_pos, i, shapes.W_pos[0]!);
  /** The '=' position's residual, key, value and query (one row each, broadcast over the pairs). */
  const equalsRow = (ops: Ops, w: Weights) => {
    const x = ops.add(row(ops, w.W_E, p, V), pos(ops, w, 2));
    return { x, k: ops.matmul(x, w.W_K), v: ops.matmul(x, w.W_V), q: ops.matmul(x, w.W_Q) };
  };
  /** The last position's logits from the positions' keys and values, its query and its residual. */
  const head = (
    ops: Ops,
    w: Weights,
    n: number,
    parts: { keys: Value[]; vals: Value[]; q: Value; xLast: Value },
    batch?: BatchValues,
  ): Value => {
    const g = ops.g;
    // Batched runs put the run dimension first; reshapes and reductions name their axes from the end.
    const lead = batch ? [batch.runs] : [];
    const { keys, vals, q, xLast } = parts;
    const rows = (x: Value) => x.shape[x.shape.length - 2]!;
    const heads = (x: Value) => ops.reshape(x, [...lead, rows(x), H, dHead]);
    const q3 = heads(ops.mul(q, g.scalar(1 / Math.sqrt(dHead))));
    const scores = keys.map((k) => ops.sumKeep(ops.mul(q3, heads(k)), [lead.length + 2]));
    const top = scores.reduce((a, b) => ops.maxNoGrad(a, b));
    const exps = scores.map((s) => ops.exp(ops.sub(s, top)));
    const total = exps.reduce((a, b) => ops.add(a, b));
    let mixed: Value | undefined;
    vals.forEach((v, i) => {
      const softmax = ops.div(exps[i]!, total);
      const weight = batch?.alpha
        ? ops.add(ops.mul(softmax, batch.alpha.alpha), batch.alpha.complement)
        : m.alpha === 1
          ? softmax
          : ops.add(ops.mul(softmax, g.scalar(m.alpha)), g.scalar(1 - m.alpha));
      const term = ops.mul(weight, heads(v));
      mixed = mixed ? ops.add(mixed, term) : term;
    });
    const mixed2 = ops.reshape(mixed!, [...lead, n, D]);
    // Sums of products as Gemm's C (ops.affine): mixed·(W_O·W_in) + xLast·W_in + b_in, and the logits
    // mixed·(W_O·W_U) + hidden·(W_out·W_U) + (xLast + b_out)·W_U.
    const lastIn = ops.affine(xLast, w.W_in, w.b_in);
    const hidden = ops.relu(ops.affine(mixed2, ops.matmul(w.W_O, w.W_in), lastIn));
    const lastU = ops.matmul(ops.add(xLast, w.b_out), w.W_U);
    return ops.affine(
      mixed2,
      ops.matmul(w.W_O, w.W_U),
      ops.affine(hidden, ops.matmul(w.W_out, w.W_U), lastU),
    );
  };
  const embedding = (ops: Ops, values: readonly Value[]): Value => {
    const { W_E } = weights(values);
    return V === p
      ? W_E
      : ops.g.node('Slice', [W_E, ops.g.ints([0]), ops.g.ints([p]), ops.g.ints([0])], [p, D]);
  };
  return {
    vocab: V,
    params,
    logits(ops, values, subset, batch) {
      const w = weights(values);
      const x0 = ops.add(w.W_E, pos(ops, w, 0));
      const x1 = ops.add(w.W_E, pos(ops, w, 1));
      const keys = [
        ops.gatherRows(ops.matmul(x0, w.W_K), subset.a, subset.rowsOfA),
        ops.gatherRows(ops.matmul(x1, w.W_K), subset.b, subset.rowsOfB),
      ];
      const vals = [
        ops.gatherRows(ops.matmul(x0, w.W_V), subset.a, subset.rowsOfA),
        ops.gatherRows(ops.matmul(x1, w.W_V), subset.b, subset.rowsOfB),
      ];
      if (m.equalsToken) {
        const eq = equalsRow(ops, w);
        return head(
          ops,
          w,
          subset.size,
          { keys: [...keys, eq.k], vals: [...vals, eq.v], q: eq.q, xLast: eq.x },
          batch,
        );
      }
      const q = ops.gatherRows(ops.matmul(x1, w.W_Q), subset.b, subset.rowsOfB);
      const xLast = ops.gatherRows(x1, subset.b, subset.rowsOfB);
      return head(ops, w, subset.size, { keys, vals, q, xLast }, batch);
    },
    fromEmbeddings: {
      embedding,
      logits(ops, values, ea, eb) {
        const w = weights(values);
        const x0 = ops.add(ea, pos(ops, w, 0));
        const x1 = ops.add(eb, pos(ops, w, 1));
        const keys = [ops.matmul(x0, w.W_K), ops.matmul(x1, w.W_K)];
        const vals = [ops.matmul(x0, w.W_V), ops.matmul(x1, w.W_V)];
        const n = ea.shape[0]!;
        if (m.equalsToken) {
          const eq = equalsRow(ops, w);
          return head(ops, w, n, { keys: [...keys, eq.k], vals: [...vals, eq.v], q: eq.q, xLast: eq.x });
        }
        return head(ops, w, n, { keys, vals, q: ops.matmul(x1, w.W_Q), xLast: x1 });
      },
      featureMap(ops, values) {
        // models/transformer.ts inputFeatureMap: [[E, 0], [0, E]], each operand's rows feeding its own position.
        const g = ops.g;
        const E = embedding(ops, values);
        const zero = g.constant(new Float32Array(p * D), [p, D], 'float');
        const axis = (value: number) => ({ axis: { kind: 'int' as const, value } });
        return g.node(
          'Concat',
          [
            g.node('Concat', [E, zero], [p, 2 * D], 'float', axis(1)),
            g.node('Concat', [zero, E], [p, 2 * D], 'float', axis(1)),
          ],
          [2 * p, 2 * D],
          'float',
          axis(0),
        );
      },
    },
  };
}
