import type { RunConfig } from '../config.ts';
import { allPairs, selectPairs } from '../data/pairs.ts';
import type { Split } from '../data/split.ts';
import { GraphBuilder, type Value } from './graph.ts';
import { type BatchValues, batchedParamShape, modelGraph, type SubsetValues } from './model-graphs.ts';
import { Ops } from './ops.ts';
import {
  adamwUpdate,
  HYPER_INPUTS,
  rowPositionsOnDemand,
  STEP_SCALARS,
  type StepGraph,
  stateNames,
  subsetValues,
} from './step-graph.ts';

/**
 * The per-run data of one subset (train or test) of R runs as graph constants: indices flattened as r·V + index
 * (one Gather serves every run), the flattened rows' positions for the gathers' backward (row-positions.ts), targets
 * [R, n, p] and labels [R, n]. Every run's subset has the same size n (the batch's shapes are checked equal).
 */
function batchedSubset(g: GraphBuilder, configs: readonly RunConfig[], vocab: number, indices: Int32Array[]) {
  const runs = configs.length;
  const { p } = configs[0]!;
  const n = indices[0]!.length;
  const picked = configs.map((config, r) => selectPairs(allPairs(p, config.operation), indices[r]!));
  const flat = (key: 'a' | 'b') =>
    BigInt64Array.from({ length: runs * n }, (_, i) =>
      BigInt(Math.floor(i / n) * vocab + picked[Math.floor(i / n)]![key][i % n]!),
    );
  const targets = new Float32Array(runs * n * p);
  const labels = new BigInt64Array(runs * n);
  picked.forEach((pairs, r) => {
    pairs.label.forEach((label, i) => {
      targets[(r * n + i) * p + label] = 1;
      labels[r * n + i] = BigInt(label);
    });
  });
  const flatA = flat('a');
  const flatB = flat('b');
  const values: SubsetValues = {
    size: n,
    a: g.constant(flatA, [runs * n], 'int64'),
    b: g.constant(flatB, [runs * n], 'int64'),
    rowsOfA: rowPositionsOnDemand(g, Array.from(flatA, Number), runs * vocab),
    rowsOfB: rowPositionsOnDemand(g, Array.from(flatB, Number), runs * vocab),
  };
  return {
    values,
    targets: g.constant(targets, [runs, n, p], 'float'),
    labels: g.constant(labels, [runs, n], 'int64'),
  };
}

/** A per-run constant [R, 1, 1, …] (rank `rank`) from a value per run, each rounded to float32 from the double. */
function perRun(g: GraphBuilder, values: readonly number[], rank: number): Value {
  return g.constant(
    Float32Array.from(values),
    [values.length, ...Array.from({ length: rank - 1 }, () => 1)],
    'float',
  );
}

/**
 * R runs' training steps as one graph with a leading run dimension: every parameter and moment is [R, …]
 * (`batchedParamShape`), the matrix products are batched MatMuls, each run trains on its own split (per-run
 * constants) with its own α (transformer), β1, β2, and AdamW coefficients (inputs `decay`, `step_size`, `eps_hat`
 * of shape [R, 1, 1], fed per update). The loss the builder differentiates is the sum of the runs' mean losses, so
 * run r's gradient is the gradient of its own loss. Outputs: the next parameters and moments, and `scalars`
 * [R, STEP_SCALARS] (per run: train loss and accuracy, test loss and accuracy, weight norm of θ_t).
 */
export function buildBatchedStepGraph(configs: readonly RunConfig[], splits: readonly Split[]): StepGraph {
  const first = configs[0];
  if (!first) throw new Error('a batched step needs at least one run');
  if (first.model.kind === 'RFM') throw new Error('an RFM has no step graph');
  const runs = configs.length;
  const g = new GraphBuilder();
  const ops = new Ops(g);
  const graph = modelGraph(first);
  const vocab = first.model.kind === 'TRANSFORMER' && first.model.equalsToken ? first.p + 1 : first.p;
  const params = graph.params.map((spec, i) =>
    g.input(stateNames(i).param, batchedParamShape(runs, spec.shape)),
  );
  const batch: BatchValues = { runs };
  if (first.model.kind === 'TRANSFORMER') {
    const alphas = configs.map((c) => (c.model.kind === 'TRANSFORMER' ? c.model.alpha : 1));
    batch.alpha = {
      alpha: perRun(g, alphas, 4),
      complement: perRun(
        g,
        alphas.map((a) => 1 - a),
        4,
      ),
    };
  }
  const train = batchedSubset(
    g,
    configs,
    vocab,
    splits.map((s) => s.train),
  );
  const test = batchedSubset(
    g,
    configs,
    vocab,
    splits.map((s) => s.test),
  );

  const trainResult = ops.crossEntropy(
    graph.logits(ops, params, train.values, batch),
    train.targets,
    train.labels,
  );
  const grads = g.gradients(ops.sumAll(trainResult.loss), params, (a, b) => g.node('Add', [a, b], a.shape));
  const testResult = ops.crossEntropy(
    graph.logits(ops, params, test.values, batch),
    test.targets,
    test.labels,
  );

  const [decay, stepSize, epsHat] = HYPER_INPUTS.map((name) => g.input(name, [runs, 1, 1]));
  const beta1 = configs.map((c) => c.optimizer.beta1);
  const beta2 = configs.map((c) => c.optimizer.beta2);
  const coefficients = {
    beta1: perRun(g, beta1, 3),
    oneMinusBeta1: perRun(
      g,
      beta1.map((b) => 1 - b),
      3,
    ),
    beta2: perRun(g, beta2, 3),
    oneMinusBeta2: perRun(
      g,
      beta2.map((b) => 1 - b),
      3,
    ),
    decay: decay!,
    stepSize: stepSize!,
    epsHat: epsHat!,
  };
  params.forEach((param, i) => {
    const names = stateNames(i);
    const m = g.input(names.m, param.shape);
    const v = g.input(names.v, param.shape);
    const next = adamwUpdate(g, { param, grad: grads[i]!, m, v }, coefficients);
    g.output(names.nextParam, next.param);
    g.output(names.nextM, next.m);
    g.output(names.nextV, next.v);
  });
  const scalars = [
    trainResult.loss,
    trainResult.accuracy,
    testResult.loss,
    testResult.accuracy,
    ops.sumOfSquaresPerRun(params),
  ];
  g.output(
    'scalars',
    g.node(
      'Concat',
      scalars.map((s) => g.node('Reshape', [s, g.ints([runs, 1])], [runs, 1])),
      [runs, STEP_SCALARS.length],
      'float',
      { axis: { kind: 'int', value: 1 } },
    ),
  );
  return {
    model: g.encode(`grokscope-batched-step-${first.model.kind.toLowerCase()}`),
    params: graph.params,
    nodeCount: g.nodeCount,
  };
}

/**
 * The same batched step (inputs, outputs and state layout as buildBatchedStepGraph, so BatchedNativeEngine runs
 * either) with the runs unrolled inside the graph: run r's parameters, moments and AdamW coefficients are sliced
 * out of the [R, …] inputs, its step is the single-run graph's (2-D Gemm, its own α and β as scalars), and the
 * results are concatenated back. One `run()` still steps every run, but each op works on one run's tensors, which
 * stay in the CPU's cache where a batched MatMul over R runs' tensors does not (the leading-dimension graph is the
 * layout a GPU wants); the numbers are those of separate runs.
 */
export function buildUnrolledStepGraph(configs: readonly RunConfig[], splits: readonly Split[]): StepGraph {
  const first = configs[0];
  if (!first) throw new Error('a batched step needs at least one run');
  if (first.model.kind === 'RFM') throw new Error('an RFM has no step graph');
  const runs = configs.length;
  const g = new GraphBuilder();
  const ops = new Ops(g);
  const specs = modelGraph(first).params;
  const batchedShapes = specs.map((spec) => batchedParamShape(runs, spec.shape));
  const inputs = specs.map((_, i) => {
    const names = stateNames(i);
    return {
      param: g.input(names.param, batchedShapes[i]!),
      m: g.input(names.m, batchedShapes[i]!),
      v: g.input(names.v, batchedShapes[i]!),
    };
  });
  const hyper = HYPER_INPUTS.map((name) => g.input(name, [runs, 1, 1]));
  const slice = (x: Value, r: number, shape: readonly number[]) =>
    g.node(
      'Reshape',
      [
        g.node(
          'Gather',
          [x, g.constant(new BigInt64Array([BigInt(r)]), [], 'int64')],
          x.shape.slice(1),
          'float',
          {
            axis: { kind: 'int', value: 0 },
          },
        ),
        g.ints(shape),
      ],
      shape,
    );
  const outs = specs.map(() => ({ param: [] as Value[], m: [] as Value[], v: [] as Value[] }));
  const scalars: Value[] = [];
  configs.forEach((config, r) => {
    const graph = modelGraph(config);
    const { p } = config;
    const vocab = config.model.kind === 'TRANSFORMER' && config.model.equalsToken ? p + 1 : p;
    const params = specs.map((spec, i) => slice(inputs[i]!.param, r, spec.shape));
    const train = subsetValues(g, p, vocab, splits[r]!.train, config);
    const test = subsetValues(g, p, vocab, splits[r]!.test, config);
    const trainResult = ops.crossEntropy(
      graph.logits(ops, params, train.values),
      train.targets,
      train.labels,
    );
    const grads = g.gradients(trainResult.loss, params, (a, b) => g.node('Add', [a, b], a.shape));
    const testResult = ops.crossEntropy(graph.logits(ops, params, test.values), test.targets, test.labels);
    const [decay, stepSize, epsHat] = hyper.map((h) => slice(h, r, []));
    const { beta1, beta2 } = config.optimizer;
    specs.forEach((spec, i) => {
      const next = adamwUpdate(
        g,
        {
          param: params[i]!,
          grad: grads[i]!,
          m: slice(inputs[i]!.m, r, spec.shape),
          v: slice(inputs[i]!.v, r, spec.shape),
        },
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
      const lift = (x: Value) => {
        const shape = [1, ...batchedShapes[i]!.slice(1)];
        return g.node('Reshape', [x, g.ints(shape)], shape);
      };
      outs[i]!.param.push(lift(next.param));
      outs[i]!.m.push(lift(next.m));
      outs[i]!.v.push(lift(next.v));
    });
    const row = [
      trainResult.loss,
      trainResult.accuracy,
      testResult.loss,
      testResult.accuracy,
      ops.sumOfSquares(params),
    ];
    scalars.push(
      g.node(
        'Concat',
        row.map((s) => g.node('Reshape', [s, g.ints([1, 1])], [1, 1])),
        [1, row.length],
        'float',
        {
          axis: { kind: 'int', value: 1 },
        },
      ),
    );
  });
  const concat = (parts: Value[], shape: number[]) =>
    g.node('Concat', parts, shape, 'float', { axis: { kind: 'int', value: 0 } });
  specs.forEach((_, i) => {
    const names = stateNames(i);
    g.output(names.nextParam, concat(outs[i]!.param, batchedShapes[i]!));
    g.output(names.nextM, concat(outs[i]!.m, batchedShapes[i]!));
    g.output(names.nextV, concat(outs[i]!.v, batchedShapes[i]!));
  });
  g.output('scalars', concat(scalars, [runs, STEP_SCALARS.length]));
  return {
    model: g.encode(`grokscope-unrolled-step-${first.model.kind.toLowerCase()}`),
    params: specs,
    nodeCount: g.nodeCount,
  };
}
