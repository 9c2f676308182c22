import {
  type AttributeValue,
  DataType,
  type DataTypeCode,
  encodeModel,
  type NodeSpec,
  type TensorValue,
  type ValueInfoSpec,
} from './onnx-proto.ts';

export type Shape = readonly number[];
export type ElementType = 'float' | 'int64' | 'bool';

/** A tensor in the graph under construction: its ONNX value name and its static shape. */
export interface Value {
  readonly name: string;
  readonly shape: Shape;
  readonly type: ElementType;
}

/**
 * The vector-Jacobian product of one recorded op: given the gradient of the loss with respect to the op's output,
 * the gradients with respect to the inputs flagged in `needs` (undefined elsewhere). It emits its nodes through
 * the same builder, so a derivative is written once, next to the op's forward (ops.ts).
 */
export type Vjp = (grad: Value, needs: readonly boolean[]) => (Value | undefined)[];

interface TapeEntry {
  inputs: readonly Value[];
  output: Value;
  vjp: Vjp;
}

const TYPE_CODES: Record<ElementType, DataTypeCode> = {
  float: DataType.FLOAT,
  int64: DataType.INT64,
  bool: DataType.BOOL,
};

export function sizeOf(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Builds one ONNX graph with static shapes, and differentiates it: every differentiable op records its inputs,
 * output and VJP on a tape as it is emitted, and `gradients` walks the tape backwards from a scalar (reverse-mode
 * autodiff), emitting the backward nodes into the same graph. The result is a single graph that runs forward,
 * backward and whatever follows (the optimiser) in one `run()`.
 */
export class GraphBuilder {
  private readonly nodes: NodeSpec[] = [];
  private readonly initializers: TensorValue[] = [];
  private readonly inputs: ValueInfoSpec[] = [];
  private readonly outputs: ValueInfoSpec[] = [];
  private readonly tape: TapeEntry[] = [];
  private readonly scalars = new Map<number, Value>();
  private readonly axesConstants = new Map<string, Value>();
  private counter = 0;

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, shape: Shape, type: ElementType = 'float'): Value {
    this.inputs.push({ name, dataType: TYPE_CODES[type], dims: shape });
    return { name, shape, type };
  }

  constant(values: Float32Array | BigInt64Array | Uint8Array, shape: Shape, type: ElementType): Value {
    const name = this.fresh('const');
    this.initializers.push({ name, dataType: TYPE_CODES[type], dims: shape, values });
    return { name, shape, type };
  }

  /** A float32 scalar constant (shared per value). */
  scalar(x: number): Value {
    const key = Math.fround(x);
    let v = this.scalars.get(key);
    if (!v) {
      v = this.constant(new Float32Array([x]), [], 'float');
      this.scalars.set(key, v);
    }
    return v;
  }

  /** An int64 vector constant (axes, shapes), shared per content. */
  ints(values: readonly number[]): Value {
    const key = values.join(',');
    let v = this.axesConstants.get(key);
    if (!v) {
      v = this.constant(BigInt64Array.from(values.map(BigInt)), [values.length], 'int64');
      this.axesConstants.set(key, v);
    }
    return v;
  }

  /** Emits one node with one output; not recorded for differentiation (see `record`). */
  node(
    opType: string,
    inputs: readonly Value[],
    shape: Shape,
    type: ElementType = 'float',
    attributes?: Record<string, AttributeValue>,
  ): Value {
    const name = this.fresh(opType);
    this.nodes.push({
      opType,
      inputs: inputs.map((i) => i.name),
      outputs: [name],
      ...(attributes ? { attributes } : {}),
    });
    return { name, shape, type };
  }

  /** Registers `output` as a differentiable function of `inputs` with the given VJP. */
  record(inputs: readonly Value[], output: Value, vjp: Vjp): Value {
    this.tape.push({ inputs, output, vjp });
    return output;
  }

  /** Exposes `value` as the graph output `name`. */
  output(name: string, value: Value): void {
    this.nodes.push({ opType: 'Identity', inputs: [value.name], outputs: [name] });
    this.outputs.push({ name, dataType: TYPE_CODES[value.type], dims: value.shape });
  }

  /**
   * d loss / d each of `wrt` (reverse mode). Only ops on a path from `wrt` to `loss` are differentiated: an op's
   * VJP is asked for the inputs that depend on `wrt` only, so no gradient of a constant is ever emitted. Fan-out is
   * summed with Add in tape order, so the graph (and its numbers) is the same for the same forward.
   */
  gradients(loss: Value, wrt: readonly Value[], add: (a: Value, b: Value) => Value): Value[] {
    if (loss.shape.length !== 0) throw new Error(`gradients: the loss must be a scalar, not [${loss.shape}]`);
    const active = new Set(wrt.map((v) => v.name));
    for (const entry of this.tape)
      if (entry.inputs.some((i) => active.has(i.name))) active.add(entry.output.name);
    const grads = new Map<string, Value>([[loss.name, this.scalar(1)]]);
    for (let i = this.tape.length - 1; i >= 0; i--) {
      const entry = this.tape[i]!;
      const g = grads.get(entry.output.name);
      if (!g || !active.has(entry.output.name)) continue;
      const needs = entry.inputs.map((input) => active.has(input.name));
      const inputGrads = entry.vjp(g, needs);
      entry.inputs.forEach((input, k) => {
        const ig = inputGrads[k];
        if (!needs[k] || !ig) return;
        if (ig.shape.join() !== input.shape.join())
          throw new Error(`gradient of ${input.name} has shape [${ig.shape}], expected [${input.shape}]`);
        const prev = grads.get(input.name);
        grads.set(input.name, prev ? add(prev, ig) : ig);
      });
    }
    return wrt.map((v) => {
      const g = grads.get(v.name);
      if (!g) throw new Error(`gradients: ${v.name} does not reach the loss`);
      return g;
    });
  }

  /**
   * The serialised ONNX model, holding only the nodes and constants the outputs depend on: an op emits values its
   * caller may not use (the accuracy beside a loss), and the runtime executes every node it is given (an unused
   * argmax over the grid graph's per-frequency logits was a seventh of that graph's time).
   */
  encode(name: string): Uint8Array {
    const nodes = this.liveNodes();
    const used = new Set(nodes.flatMap((node) => node.inputs));
    return encodeModel({
      name,
      nodes,
      initializers: this.initializers.filter((c) => c.name !== undefined && used.has(c.name)),
      inputs: this.inputs,
      outputs: this.outputs,
    });
  }

  /** The nodes an output depends on, in emission order (a topological order). */
  private liveNodes(): NodeSpec[] {
    const needed = new Set(this.outputs.map((o) => o.name));
    const live: boolean[] = new Array(this.nodes.length).fill(false);
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i]!;
      if (!node.outputs.some((o) => needed.has(o))) continue;
      live[i] = true;
      for (const input of node.inputs) needed.add(input);
    }
    return this.nodes.filter((_, i) => live[i]);
  }

  /** Nodes the encoded graph holds. */
  get nodeCount(): number {
    return this.liveNodes().length;
  }
}
