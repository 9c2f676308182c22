import { type GraphBuilder, type Shape, sizeOf, type Value } from './graph.ts';
import type { AttributeValue } from './onnx-proto.ts';

/** numpy broadcasting of two static shapes. */
export function broadcastShape(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`cannot broadcast [${a}] with [${b}]`);
    out.push(Math.max(x, y));
  }
  return out;
}

const int = (value: number): AttributeValue => ({ kind: 'int', value });

/**
 * The differentiable op set of the native backend. Each op emits its forward ONNX nodes and records, in the same
 * function, its vector-Jacobian product written with the same ops: one source of truth per op, from which the
 * builder derives the backward of any graph composed of them (graph.ts, `gradients`). Backward-only helpers
 * (`sumTo`, `neg`) are emitted unrecorded: nothing here differentiates twice.
 */
export class Ops {
  /** gatherRows' zero-padded gradients, by the gradient's name. */
  private readonly paddedGrads = new Map<string, Value>();

  constructor(readonly g: GraphBuilder) {}

  /** Sums a broadcast gradient back to `shape` (the reverse of numpy broadcasting). */
  sumTo(x: Value, shape: Shape): Value {
    if (x.shape.join() === shape.join()) return x;
    const extra = x.shape.length - shape.length;
    const axes: number[] = [];
    x.shape.forEach((d, i) => {
      if (i < extra || (shape[i - extra] === 1 && d !== 1)) axes.push(i);
    });
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const summed = axes.length
      ? this.g.node('ReduceSum', [x, this.g.ints(axes)], kept, 'float', { keepdims: int(1) })
      : x;
    return sizeOf(summed.shape) === sizeOf(shape) && summed.shape.join() !== shape.join()
      ? this.g.node('Reshape', [summed, this.g.ints(shape)], shape)
      : summed;
  }

  neg(x: Value): Value {
    return this.g.node('Neg', [x], x.shape);
  }

  private binary(op: string, a: Value, b: Value): Value {
    return this.g.node(op, [a, b], broadcastShape(a.shape, b.shape));
  }

  add(a: Value, b: Value): Value {
    const out = this.binary('Add', a, b);
    return this.g.record([a, b], out, (g, needs) => [
      needs[0] ? this.sumTo(g, a.shape) : undefined,
      needs[1] ? this.sumTo(g, b.shape) : undefined,
    ]);
  }

  sub(a: Value, b: Value): Value {
    const out = this.binary('Sub', a, b);
    return this.g.record([a, b], out, (g, needs) => [
      needs[0] ? this.sumTo(g, a.shape) : undefined,
      needs[1] ? this.sumTo(this.neg(g), b.shape) : undefined,
    ]);
  }

  mul(a: Value, b: Value): Value {
    const out = this.binary('Mul', a, b);
    return this.g.record([a, b], out, (g, needs) => [
      needs[0] ? this.sumTo(this.binary('Mul', g, b), a.shape) : undefined,
      needs[1] ? this.sumTo(this.binary('Mul', g, a), b.shape) : undefined,
    ]);
  }

  div(a: Value, b: Value): Value {
    const out = this.binary('Div', a, b);
    return this.g.record([a, b], out, (g, needs) => [
      needs[0] ? this.sumTo(this.binary('Div', g, b), a.shape) : undefined,
      // d(a/b)/db = −(a/b)/b
      needs[1] ? this.sumTo(this.neg(this.binary('Div', this.binary('Mul', g, out), b)), b.shape) : undefined,
    ]);
  }

  /**
   * op(a)·op(b) for 2-D a, b (Gemm without C), op = transpose when the flag is set. With a leading run dimension
   * (either operand of rank 3, batched runs) it is a broadcasting MatMul instead: see `batchedMatmul`.
   */
  matmul(a: Value, b: Value, transA = false, transB = false): Value {
    if (a.shape.length !== 2 || b.shape.length !== 2) {
      if (transA || transB) throw new Error('matmul: a batched product takes no transpose flags');
      return this.batchedMatmul(a, b);
    }
    return this.g.record([a, b], this.gemm(a, b, transA, transB), (g, needs) => [
      needs[0] ? (transA ? this.gemm(b, g, transB, true) : this.gemm(g, b, false, !transB)) : undefined,
      needs[1] ? (transB ? this.gemm(g, a, true, transA) : this.gemm(a, g, !transA, false)) : undefined,
    ]);
  }

  /**
   * x·w + b, the bias inside the product (Gemm's C) for 2-D x: a separate Add over the [n, k] result cost as much as
   * a third of the product on the CPU runtime. Batched runs (3-D) are matmul and add.
   */
  affine(x: Value, w: Value, b: Value): Value {
    if (x.shape.length !== 2 || w.shape.length !== 2) return this.add(this.matmul(x, w), b);
    const [n = 0] = x.shape;
    const [, k = 0] = w.shape;
    const out = this.g.node('Gemm', [x, w, b], [n, k], 'float', { transA: int(0), transB: int(0) });
    return this.g.record([x, w, b], out, (g, needs) => [
      needs[0] ? this.gemm(g, w, false, true) : undefined,
      needs[1] ? this.gemm(x, g, true, false) : undefined,
      needs[2] ? this.sumTo(g, b.shape) : undefined,
    ]);
  }

  /**
   * a·b over the last two dimensions with numpy broadcasting of the leading ones (ONNX MatMul): [R, m, k]·[R, k, n],
   * or a shared 2-D operand against a per-run one. The VJP is g·bᵀ and aᵀ·g summed back over broadcast dimensions
   * (the runtime fuses the transposes into its MatMul).
   */
  private batchedMatmul(a: Value, b: Value): Value {
    const m = a.shape[a.shape.length - 2] ?? 0;
    const k = a.shape[a.shape.length - 1] ?? 0;
    const k2 = b.shape[b.shape.length - 2] ?? 0;
    const n = b.shape[b.shape.length - 1] ?? 0;
    if (a.shape.length < 2 || b.shape.length < 2 || k !== k2)
      throw new Error(`matmul: [${a.shape}] · [${b.shape}]`);
    const lead = broadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const out = this.g.node('MatMul', [a, b], [...lead, m, n]);
    return this.g.record([a, b], out, (g, needs) => [
      needs[0] ? this.sumTo(this.mm(g, this.transposeLast(b)), a.shape) : undefined,
      needs[1] ? this.sumTo(this.mm(this.transposeLast(a), g), b.shape) : undefined,
    ]);
  }

  private gemm(a: Value, b: Value, transA: boolean, transB: boolean): Value {
    const [ar = 0, ac = 0] = a.shape;
    const [br = 0, bc = 0] = b.shape;
    const [m, k] = transA ? [ac, ar] : [ar, ac];
    const [k2, n] = transB ? [bc, br] : [br, bc];
    if (a.shape.length !== 2 || b.shape.length !== 2 || k !== k2)
      throw new Error(`matmul: [${a.shape}]${transA ? 'ᵀ' : ''} · [${b.shape}]${transB ? 'ᵀ' : ''}`);
    return this.g.node('Gemm', [a, b], [m, n], 'float', {
      transA: int(transA ? 1 : 0),
      transB: int(transB ? 1 : 0),
    });
  }

  /** Unrecorded MatMul (backward use). */
  private mm(a: Value, b: Value): Value {
    const lead = broadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    return this.g.node(
      'MatMul',
      [a, b],
      [...lead, a.shape[a.shape.length - 2]!, b.shape[b.shape.length - 1]!],
    );
  }

  /** Swaps the last two dimensions (unrecorded). */
  private transposeLast(x: Value): Value {
    const r = x.shape.length;
    const perm = x.shape.map((_, i) => (i < r - 2 ? i : i === r - 2 ? r - 1 : r - 2));
    return this.g.node(
      'Transpose',
      [x],
      perm.map((i) => x.shape[i]!),
      'float',
      { perm: { kind: 'ints', value: perm } },
    );
  }

  relu(x: Value): Value {
    const out = this.g.node('Relu', [x], x.shape);
    // The step function [x > 0], the derivative tfjs uses too; as Greater and Cast it costs a quarter of Sign(out) on
    // the CPU runtime (whose Sign is not vectorised).
    return this.g.record([x], out, (g) => [this.binary('Mul', g, this.stepFunction(out))]);
  }

  /** [x > 0] as float (not differentiated). */
  private stepFunction(x: Value): Value {
    const positive = this.g.node('Greater', [x, this.g.scalar(0)], x.shape, 'bool');
    return this.g.node('Cast', [positive], x.shape, 'float', { to: int(1) });
  }

  sigmoid(x: Value): Value {
    const out = this.g.node('Sigmoid', [x], x.shape);
    return this.g.record([x], out, (g) => [
      this.binary('Mul', this.binary('Mul', g, out), this.binary('Sub', this.g.scalar(1), out)),
    ]);
  }

  exp(x: Value): Value {
    const out = this.g.node('Exp', [x], x.shape);
    return this.g.record([x], out, (g) => [this.binary('Mul', g, out)]);
  }

  reshape(x: Value, shape: Shape): Value {
    if (sizeOf(shape) !== sizeOf(x.shape)) throw new Error(`reshape [${x.shape}] → [${shape}]`);
    const out = this.g.node('Reshape', [x, this.g.ints(shape)], shape);
    return this.g.record([x], out, (g) => [this.g.node('Reshape', [g, this.g.ints(x.shape)], x.shape)]);
  }

  /** Sum over `axes`, keeping them as size-1 dimensions. */
  sumKeep(x: Value, axes: readonly number[]): Value {
    const shape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const out = this.g.node('ReduceSum', [x, this.g.ints(axes)], shape, 'float', { keepdims: int(1) });
    return this.g.record([x], out, (g) => [this.g.node('Expand', [g, this.g.ints(x.shape)], x.shape)]);
  }

  /**
   * table[indices] along axis 0. `rowPositions` gives, for each table row, the positions that read it, padded with
   * n (row-positions.ts); the backward appends a zero row to the gradient, gathers it by that map and sums over the
   * positions. A one-hot product did the same scatter-add with rows·n·width multiply-adds (a third of an mlp-59
   * step); ScatterElements with reduction 'add' costs several times more on the CPU runtime.
   *
   * Batched runs: a table [R, V, h] is gathered per run with flattened indices r·V + index ([R·n], so one Gather
   * serves every run), and the map's rows are the flattened r·V + row.
   */
  gatherRows(table: Value, indices: Value, rowPositions: () => Value): Value {
    if (table.shape.length !== 2 && table.shape.length !== 3)
      throw new Error('gatherRows: the table must be 2-D or 3-D');
    const [n = 0] = indices.shape;
    const width = table.shape[table.shape.length - 1] ?? 0;
    const rows = sizeOf(table.shape) / width;
    const flat =
      table.shape.length === 2
        ? table
        : this.g.node('Reshape', [table, this.g.ints([rows, width])], [rows, width]);
    const picked = this.g.node('Gather', [flat, indices], [n, width], 'float', { axis: int(0) });
    const out =
      table.shape.length === 2
        ? picked
        : this.g.node(
            'Reshape',
            [picked, this.g.ints([table.shape[0]!, n / table.shape[0]!, width])],
            [table.shape[0]!, n / table.shape[0]!, width],
          );
    return this.g.record([table], out, (g) => {
      const map = rowPositions();
      const most = map.shape[1] ?? 1;
      // Both operands' gathers receive the same gradient (their sum's): pad it once.
      let padded = this.paddedGrads.get(g.name);
      if (!padded) {
        const flatGrad =
          g.shape.length === 2 ? g : this.g.node('Reshape', [g, this.g.ints([n, width])], [n, width]);
        padded = this.g.node(
          'Concat',
          [flatGrad, this.g.constant(new Float32Array(width), [1, width], 'float')],
          [n + 1, width],
          'float',
          { axis: int(0) },
        );
        this.paddedGrads.set(g.name, padded);
      }
      const gathered = this.g.node('Gather', [padded, map], [rows, most, width], 'float', { axis: int(0) });
      const summed = this.g.node('ReduceSum', [gathered, this.g.ints([1])], [rows, width], 'float', {
        keepdims: int(0),
      });
      return [
        table.shape.length === 2
          ? summed
          : this.g.node('Reshape', [summed, this.g.ints([...table.shape])], table.shape),
      ];
    });
  }

  /** Elementwise maximum, not differentiated (used only where its gradient cancels, e.g. a softmax's shift). */
  maxNoGrad(a: Value, b: Value): Value {
    return this.binary('Max', a, b);
  }

  /** Σ over every element of each value, squared (not differentiated). */
  sumOfSquares(values: readonly Value[]): Value {
    const parts = values.map((v) => this.g.node('ReduceSumSquare', [v], [], 'float', { keepdims: int(0) }));
    return parts.reduce((a, b) => this.binary('Add', a, b));
  }

  /** Per run: Σ over every element but the leading run dimension, squared, [R] (not differentiated; opset 17 takes
   * its axes as an attribute). */
  sumOfSquaresPerRun(values: readonly Value[]): Value {
    const parts = values.map((v) =>
      this.g.node('ReduceSumSquare', [v], [v.shape[0]!], 'float', {
        keepdims: int(0),
        axes: { kind: 'ints', value: v.shape.slice(1).map((_, i) => i + 1) },
      }),
    );
    return parts.reduce((a, b) => this.binary('Add', a, b));
  }

  /**
   * Mean cross-entropy and accuracy of logits z [n, c] against one-hot targets y and int64 labels: the values of
   * loss/cross-entropy.ts (float32-safe for tiny losses, argmax first on ties), by a formula with fewer passes
   * over [n, c] on the runtime. With m = max_c z_c, d = z − m, e = exp(d), O = Σ_{c≠y} e_c and d_y = z_y − m:
   *
   *   loss = log Σ_c e_c − d_y = log1p((e^{d_y} − 1) + O) − d_y
   *
   * When y is the maximum, d_y = 0 exactly, so the argument is O alone and a loss of 1e-9 is not rounded away by
   * adding it to 1; otherwise O ≥ 1 and nothing cancels. The masks are the constant 1 − y, so no argmax one-hot is
   * built (the argmax serves the accuracy only). The gradient is written out, (P − y)/n, with P_y − 1 taken as
   * −Σ_{c≠y} P_c (loss/cross-entropy.ts says why).
   */
  crossEntropy(z: Value, targets: Value, labels: Value): { loss: Value; accuracy: Value } {
    const g = this.g;
    // Batched runs: z [R, n, c] gives a loss and an accuracy per run, [R]; everything reduces over the last axes.
    const lead = z.shape.slice(0, -2);
    const n = z.shape[z.shape.length - 2] ?? 0;
    const last = z.shape.length - 1;
    const column = [...lead, n, 1];
    const rowSum = (x: Value) =>
      g.node('ReduceSum', [x, g.ints([last])], column, 'float', { keepdims: int(1) });
    const top = g.node('ReduceMax', [z], column, 'float', {
      axes: { kind: 'ints', value: [last] },
      keepdims: int(1),
    });
    const shifted = this.binary('Sub', z, top);
    const exps = g.node('Exp', [shifted], z.shape);
    const offTargetMask = this.binary('Sub', g.scalar(1), targets);
    const others = rowSum(this.binary('Mul', exps, offTargetMask));
    const targetShift = rowSum(this.binary('Mul', shifted, targets));
    const targetExp = g.node('Exp', [targetShift], column);
    const perPair = this.binary(
      'Sub',
      this.log1p(this.binary('Add', this.binary('Sub', targetExp, g.scalar(1)), others)),
      targetShift,
    );
    const mean = (x: Value) =>
      g.node('ReduceMean', [x], lead, 'float', {
        keepdims: int(0),
        axes: { kind: 'ints', value: [last - 1, last] },
      });
    const loss = mean(perPair);
    const argMax = g.node('ArgMax', [z], [...lead, n], 'int64', { axis: int(last), keepdims: int(0) });
    const correct = g.node(
      'Cast',
      [g.node('Equal', [argMax, labels], [...lead, n], 'bool')],
      [...lead, n],
      'float',
      {
        to: int(1),
      },
    );
    const accuracy = g.node('ReduceMean', [correct], lead, 'float', {
      keepdims: int(0),
      axes: { kind: 'ints', value: [last - 1] },
    });
    g.record([z], loss, (dy) => {
      const perRun = lead.length ? g.node('Reshape', [dy, g.ints([...lead, 1, 1])], [...lead, 1, 1]) : dy;
      // The softmax kernel and the sums as before this loss formula, so training takes the same float32 path and
      // runs (the documented reproductions, the demo's grokking step) repeat to the bit.
      const probs = g.node('Softmax', [z], z.shape, 'float', { axis: int(last) });
      const offTarget = this.binary('Mul', probs, offTargetMask);
      const offTargetSum = rowSum(offTarget);
      const probsMinusTargets = this.binary('Sub', offTarget, this.binary('Mul', targets, offTargetSum));
      return [this.binary('Mul', probsMinusTargets, this.binary('Div', perRun, g.scalar(n)))];
    });
    return { loss, accuracy };
  }

  /** Σ of every element, a scalar (batched runs: the sum of the per-run losses, whose gradient is each run's). */
  sumAll(x: Value): Value {
    const out = this.g.node('ReduceSum', [x], [], 'float', { keepdims: int(0) });
    return this.g.record([x], out, (g) => [this.g.node('Expand', [g, this.g.ints(x.shape)], x.shape)]);
  }

  /** log(1 + x) keeping tiny x (loss/log1p.ts: Goldberg's trick; ONNX has no Log1p). */
  private log1p(x: Value): Value {
    const u = this.binary('Add', x, this.g.scalar(1));
    const d = this.binary('Sub', u, this.g.scalar(1));
    const ratio = this.binary('Div', this.binary('Mul', x, this.g.node('Log', [u], u.shape)), d);
    const isZero = this.g.node('Equal', [d, this.g.scalar(0)], d.shape, 'bool');
    return this.g.node('Where', [isZero, x, ratio], x.shape);
  }
}
