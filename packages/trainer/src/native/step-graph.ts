import type { RunConfig } from '../config.ts';
import { allPairs, selectPairs } from '../data/pairs.ts';
import type { Split } from '../data/split.ts';
import { learningRateAt } from '../optim/adamw.ts';
import { GraphBuilder, type Value } from './graph.ts';
import { type ModelGraph, modelGraph, type SubsetValues } from './model-graphs.ts';
import { Ops } from './ops.ts';
import { rowPositions } from './row-positions.ts';

/** The step graph's scalar outputs, packed in this order into its `scalars` output. */
export const STEP_SCALARS = ['train_loss', 'train_acc', 'test_loss', 'test_acc', 'weight_norm'] as const;

/** Names of the step graph's inputs and outputs for parameter i (value, first and second moment, next values). */
export const stateNames = (i: number) => ({
  param: `param_${i}`,
  m: `m_${i}`,
  v: `v_${i}`,
  nextParam: `param_${i}_next`,
  nextM: `m_${i}_next`,
  nextV: `v_${i}_next`,
  grad: `grad_${i}`,
});

/** Per-update AdamW coefficients, fed as scalar inputs (optim/adamw.ts folds the bias corrections the same way). */
export const HYPER_INPUTS = ['decay', 'step_size', 'eps_hat'] as const;

export interface StepGraph {
  model: Uint8Array;
  params: ModelGraph['params'];
  nodeCount: number;
}

/** One subset of pairs (indices into the grid) as graph constants: operands, row positions on demand, targets, labels. */
export function subsetValues(
  g: GraphBuilder,
  p: number,
  vocab: number,
  indices: Int32Array,
  config: RunConfig,
) {
  const { a, b, label } = selectPairs(allPairs(p, config.operation), indices);
  const n = indices.length;
  const targets = new Float32Array(n * p);
  label.forEach((id, i) => {
    targets[i * p + id] = 1;
  });
  return {
    values: {
      size: n,
      a: g.constant(BigInt64Array.from(a, BigInt), [n], 'int64'),
      b: g.constant(BigInt64Array.from(b, BigInt), [n], 'int64'),
      rowsOfA: rowPositionsOnDemand(g, a, vocab),
      rowsOfB: rowPositionsOnDemand(g, b, vocab),
    } satisfies SubsetValues,
    targets: g.constant(targets, [n, p], 'float'),
    labels: g.constant(BigInt64Array.from(label, BigInt), [n], 'int64'),
  };
}

/** The row-positions constant of a gather by `ids` over `rows` table rows, added to the graph when first asked for. */
export function rowPositionsOnDemand(g: GraphBuilder, ids: ArrayLike<number>, rows: number): () => Value {
  let memo: Value | undefined;
  return () => {
    if (!memo) {
      const { values, width } = rowPositions(ids, rows);
      memo = g.constant(values, [rows, width], 'int64');
    }
    return memo;
  };
}

/** The AdamW coefficients of one update, as graph values (scalars, or per run [R, 1, …] in a batched graph). */
export interface AdamwCoefficients {
  beta1: Value;
  oneMinusBeta1: Value;
  beta2: Value;
  oneMinusBeta2: Value;
  /** 1 − rate·weightDecay (decoupled decay). */
  decay: Value;
  /** rate·√(1 − β2ᵗ)/(1 − β1ᵗ). */
  stepSize: Value;
  /** ε·√(1 − β2ᵗ). */
  epsHat: Value;
}

/** optim/adamw.ts's update of one parameter, in its order of operations; shared by the single and batched graphs. */
export function adamwUpdate(
  g: GraphBuilder,
  state: { param: Value; grad: Value; m: Value; v: Value },
  c: AdamwCoefficients,
): { param: Value; m: Value; v: Value } {
  const shape = state.param.shape;
  const f = (op: string, a: Value, b: Value) => g.node(op, [a, b], shape);
  const m = f('Add', f('Mul', state.m, c.beta1), f('Mul', state.grad, c.oneMinusBeta1));
  const v = f('Add', f('Mul', state.v, c.beta2), f('Mul', f('Mul', state.grad, state.grad), c.oneMinusBeta2));
  const update = f('Mul', f('Div', m, f('Add', g.node('Sqrt', [v], shape), c.epsHat)), c.stepSize);
  return { param: f('Sub', f('Mul', state.param, c.decay), update), m, v };
}

/** optim/adamw.ts's per-update coefficients (HYPER_INPUTS order) after `t` updates. */
export function adamwHyper(optimizer: RunConfig['optimizer'], t: number): [number, number, number] {
  const { lr, weightDecay, beta1, beta2, warmupSteps } = optimizer;
  // The rate of the update after t updates, bias corrections with the update's 1-based count.
  const rate = learningRateAt(lr, warmupSteps, t);
  const count = t + 1;
  const correction2 = Math.sqrt(1 - beta2 ** count);
  return [1 - rate * weightDecay, (rate * correction2) / (1 - beta1 ** count), 1e-8 * correction2];
}

/**
 * One whole training step as one ONNX graph: the train forward on θ_t, its loss and accuracy, the backward
 * (derived by the builder from the ops' VJPs), the AdamW update θ_t → θ_{t+1} with its moments, the test forward,
 * and the weight norm Σθ_t². Inputs: each parameter with its two moments and the update's coefficients; outputs:
 * the next parameters and moments and one `scalars` vector (STEP_SCALARS). `withGradients` also outputs the
 * gradients (for tests). The data (pairs, one-hots, targets) are constants of the graph.
 */
export function buildStepGraph(
  config: RunConfig,
  split: Split,
  options: { withGradients?: boolean } = {},
): StepGraph {
  const g = new GraphBuilder();
  const ops = new Ops(g);
  const graph = modelGraph(config);
  const { p } = config;
  const { vocab } = graph;
  const params = graph.params.map((spec, i) => g.input(stateNames(i).param, spec.shape));
  const train = subsetValues(g, p, vocab, split.train, config);
  const test = subsetValues(g, p, vocab, split.test, config);

  const trainResult = ops.crossEntropy(graph.logits(ops, params, train.values), train.targets, train.labels);
  const grads = g.gradients(trainResult.loss, params, (a, b) => g.node('Add', [a, b], a.shape));
  const testResult = ops.crossEntropy(graph.logits(ops, params, test.values), test.targets, test.labels);

  const [decay, stepSize, epsHat] = HYPER_INPUTS.map((name) => g.input(name, []));
  const { beta1, beta2 } = config.optimizer;
  params.forEach((param, i) => {
    const names = stateNames(i);
    const grad = grads[i]!;
    const m = g.input(names.m, param.shape);
    const v = g.input(names.v, param.shape);
    const next = adamwUpdate(
      g,
      { param, grad, m, v },
      {
        beta1: g.scalar(beta1),
        oneMinusBeta1: g.scalar(1 - beta1),
        beta2: g.scalar(beta2),
        oneMinusBeta2: g.scalar(1 - beta2),
        decay: decay!,
        stepSize: stepSize!,
        epsHat: epsHat!,
      },
    );
    g.output(names.nextParam, next.param);
    g.output(names.nextM, next.m);
    g.output(names.nextV, next.v);
    if (options.withGradients) g.output(names.grad, grad);
  });
  const scalars = [
    trainResult.loss,
    trainResult.accuracy,
    testResult.loss,
    testResult.accuracy,
    ops.sumOfSquares(params),
  ];
  g.output(
    'scalars',
    g.node(
      'Concat',
      scalars.map((s) => g.node('Reshape', [s, g.ints([1])], [1])),
      [scalars.length],
      'float',
      { axis: { kind: 'int', value: 0 } },
    ),
  );
  return {
    model: g.encode(`grokscope-step-${config.model.kind.toLowerCase()}`),
    params: graph.params,
    nodeCount: g.nodeCount,
  };
}
