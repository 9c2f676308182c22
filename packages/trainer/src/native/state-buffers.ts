import type * as ort from 'onnxruntime-node';

/**
 * A step graph's state (parameters and AdamW moments) in two sets of runtime tensors: a step reads one set, the
 * runtime writes the step's next-state outputs into the other (pre-allocated fetches), and the two swap. Letting
 * the runtime allocate its outputs instead makes each one a fresh JavaScript buffer every step, which cost more CPU
 * than an mlp-59 step's arithmetic (onnxruntime-node 1.31.1: 3.4 ms for a 1.8 MB output, 1.1 ms pre-allocated).
 * The set step t reads is the one step t + 1 writes: views of θ_t stay valid until the next step only.
 */
export class StateBuffers {
  private readonly sets: [Record<string, ort.Tensor>, Record<string, ort.Tensor>];
  private index = 0;

  /** `pairs` maps each state input to the graph output holding its next value. */
  constructor(
    ortModule: typeof import('onnxruntime-node'),
    initial: Record<string, ort.Tensor>,
    private readonly pairs: readonly (readonly [input: string, output: string])[],
  ) {
    const spare: Record<string, ort.Tensor> = {};
    for (const [input] of pairs) {
      const tensor = initial[input]!;
      spare[input] = new ortModule.Tensor('float32', new Float32Array(tensor.size), tensor.dims);
    }
    this.sets = [initial, spare];
  }

  /** The state the next step reads. */
  get current(): Record<string, ort.Tensor> {
    return this.sets[this.index]!;
  }

  /** Fetches for a step: each next-state output bound to the other set's tensor, `others` left to the runtime. */
  fetches(others: readonly string[]): Record<string, ort.Tensor | null> {
    const target = this.sets[1 - this.index]!;
    const fetches: Record<string, ort.Tensor | null> = {};
    for (const [input, output] of this.pairs) fetches[output] = target[input]!;
    for (const name of others) fetches[name] = null;
    return fetches;
  }

  /** After a step: its outputs become the current state. */
  swap(): void {
    this.index = 1 - this.index;
  }

  /** Continues from other values (a checkpoint): they become the current state. */
  replace(state: Record<string, ort.Tensor>): void {
    this.sets[this.index] = state;
  }
}
