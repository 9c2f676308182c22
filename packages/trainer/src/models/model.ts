import type * as tf from '@tensorflow/tfjs-core';
import type { ModelConfig, ModelKind, RunConfig } from '../config.ts';
import type { Rng } from '../data/rng.ts';

/** A trainable network for a + b mod p. The loop sees only this interface; it never branches on the kind. */
export interface Model {
  readonly kind: ModelKind;
  /** Trainable parameters; names are unique in the process (tfjs requires it) and start with the model's id. */
  readonly variables: readonly tf.Variable[];
  /**
   * Logits [n, p] for operand index vectors `a`, `b` (int32, length n). Differentiable with respect to
   * `variables`; call it inside a tidy.
   */
  logits(a: tf.Tensor1D, b: tf.Tensor1D): tf.Tensor2D;
  /** The token-embedding matrix [p, d] (tokens as rows) that measures read. Call it inside a tidy. */
  embedding(): tf.Tensor2D;
  /** Frees the parameters. */
  dispose(): void;
}

/** Builds a model of one kind from a run config, drawing every initial weight from `rng`. */
export interface ModelFactory<C extends ModelConfig = ModelConfig> {
  readonly kind: C['kind'];
  init(config: RunConfig & { model: C }, rng: Rng): Model;
}
