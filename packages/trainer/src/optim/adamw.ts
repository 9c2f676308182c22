import * as tf from '@tensorflow/tfjs-core';

export interface AdamWOptions {
  lr: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  /** Added to √v̂ (PyTorch's default). */
  eps?: number;
  /** Linear warm-up length (0 or absent: none). See `learningRateAt`. */
  warmupSteps?: number;
}

/**
 * The learning rate of the update that follows `t` updates: lr · min(t / warmupSteps, 1), as Nanda's
 * LambdaLR(lambda step: min(step / 10, 1)) (measures.md §1). With warm-up the first update (t = 0) has lr 0: its
 * moments accumulate but the parameters do not move (the decoupled decay, lr·wd, is 0 too, as in PyTorch).
 */
export function learningRateAt(lr: number, warmupSteps: number, t: number): number {
  return warmupSteps > 0 ? lr * Math.min(t / warmupSteps, 1) : lr;
}

/**
 * AdamW (Loshchilov & Hutter), as torch.optim.AdamW computes it: with t the number of this update (1-based),
 *   θ ← θ·(1 − lr·wd)                       decoupled weight decay, applied to every parameter (biases included,
 *                                            as PyTorch does when given model.parameters())
 *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²
 *   θ ← θ − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 * tfjs's built-in Adam has no decoupled decay, hence this.
 *
 * The moments of all parameters live in two flat vectors, so an update is ~15 kernels plus 3 per parameter rather
 * than ~15 per parameter: kernel launches, not flops, dominate small updates (and each is a dispatch on a GPU).
 * The bias corrections are folded into two scalars: lr/(1−β1^t)·m/(√(v/(1−β2^t)) + ε) = s·m/(√v + ε̂) with
 * s = lr·√(1−β2^t)/(1−β1^t) and ε̂ = ε·√(1−β2^t).
 */
export class AdamW {
  private readonly eps: number;
  private state:
    | { variables: readonly tf.Variable[]; m: tf.Variable; v: tf.Variable; sizes: number[] }
    | undefined;
  private t = 0;

  constructor(private readonly options: AdamWOptions) {
    this.eps = options.eps ?? 1e-8;
  }

  /** Number of updates applied so far. */
  get updates(): number {
    return this.t;
  }

  /**
   * Applies one update from `grads` (by variable name, as tf.variableGrads returns them). Every call must pass the
   * same variables in the same order.
   */
  apply(variables: readonly tf.Variable[], grads: tf.NamedTensorMap): void {
    const { weightDecay, beta1, beta2 } = this.options;
    const lr = learningRateAt(this.options.lr, this.options.warmupSteps ?? 0, this.t);
    tf.tidy(() => {
      const flat = variables.map((variable) => {
        const g = grads[variable.name];
        if (!g) throw new Error(`AdamW: no gradient for ${variable.name}`);
        return tf.reshape(g, [-1]);
      });
      const state = this.stateFor(variables);
      this.t += 1;
      const correction2 = Math.sqrt(1 - beta2 ** this.t);
      const g = tf.concat(flat);
      const m = tf.add(tf.mul(state.m, beta1), tf.mul(g, 1 - beta1));
      const v = tf.add(tf.mul(state.v, beta2), tf.mul(tf.square(g), 1 - beta2));
      state.m.assign(m);
      state.v.assign(v);
      const stepSize = (lr * correction2) / (1 - beta1 ** this.t);
      const update = tf.mul(tf.div(m, tf.add(tf.sqrt(v), this.eps * correction2)), stepSize);
      const parts = tf.split(update, state.sizes);
      const decay = 1 - lr * weightDecay;
      variables.forEach((variable, i) => {
        variable.assign(tf.sub(tf.mul(variable, decay), tf.reshape(parts[i]!, variable.shape)));
      });
    });
  }

  /**
   * The moments of `variables` (one array per variable, zero before the first update) and the update count, for
   * a checkpoint.
   */
  exportMoments(variables: readonly tf.Variable[]): {
    m: Float32Array[];
    v: Float32Array[];
    updates: number;
  } {
    const sizes = variables.map((v) => v.size);
    const split = (flat: Float32Array | undefined) => {
      let at = 0;
      return sizes.map((size) => {
        const part = flat ? flat.slice(at, at + size) : new Float32Array(size);
        at += size;
        return part;
      });
    };
    const state = this.state && this.stateFor(variables);
    return {
      m: split(state?.m.dataSync() as Float32Array | undefined),
      v: split(state?.v.dataSync() as Float32Array | undefined),
      updates: this.t,
    };
  }

  /** Continues from a checkpoint: the moments of `variables` after `updates` updates. */
  importMoments(
    variables: readonly tf.Variable[],
    m: readonly Float32Array[],
    v: readonly Float32Array[],
    updates: number,
  ): void {
    const state = this.stateFor(variables);
    const flat = (parts: readonly Float32Array[]) => {
      const out = new Float32Array(state.sizes.reduce((a, b) => a + b, 0));
      let at = 0;
      parts.forEach((part, i) => {
        if (part.length !== state.sizes[i])
          throw new Error(`AdamW: moment ${i} has ${part.length} values, the variable ${state.sizes[i]}`);
        out.set(part, at);
        at += part.length;
      });
      return out;
    };
    tf.tidy(() => {
      state.m.assign(tf.tensor1d(flat(m)));
      state.v.assign(tf.tensor1d(flat(v)));
    });
    this.t = updates;
  }

  private stateFor(variables: readonly tf.Variable[]) {
    if (this.state) {
      const same =
        this.state.variables.length === variables.length &&
        this.state.variables.every((v, i) => v === variables[i]);
      if (!same)
        throw new Error('AdamW: apply() must be given the same variables, in the same order, every time');
      return this.state;
    }
    const sizes = variables.map((v) => v.size);
    const total = sizes.reduce((a, b) => a + b, 0);
    this.state = {
      variables: [...variables],
      m: tf.variable(tf.zeros([total]), false),
      v: tf.variable(tf.zeros([total]), false),
      sizes,
    };
    return this.state;
  }

  dispose(): void {
    this.state?.m.dispose();
    this.state?.v.dispose();
    this.state = undefined;
  }
}
