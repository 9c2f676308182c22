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
  /**
   * Operand b's embedding [p, d] when b has tokens of its own (a released Clock/Pizza model with separate b
   * tokens); absent: b reads `embedding()` as a does. Call it inside a tidy.
   */
  embeddingB?(): tf.Tensor2D;
  /**
   * The neuron→logit map W_L [p, h]: row c says how the last hidden layer's activations move logit c
   * (measures.md §4; transformer: W_U[:, :p]ᵀ · W_out, MLP: the output layer's weight transposed). Inside a tidy.
   */
  logitMap(): tf.Tensor2D;
  /**
   * Logits [n, p] from the operand embeddings `ea`, `eb` [n, d] as fed at positions 0 and 1 (after the lookup,
   * before positional embeddings): differentiable in `ea` and `eb`, for gradient symmetry (measures.md §5.1).
   */
  logitsFromEmbeddings(ea: tf.Tensor2D, eb: tf.Tensor2D): tf.Tensor2D;
  /**
   * The first linear layer as a map of the one-hot input x = e_a ⊕ e_b: F [2p, h], row u the image of coordinate u
   * (biases excluded); its Gram matrix F Fᵀ is the first layer's neural feature matrix (measures.md §7.2). MLP:
   * [E·W1a; E·W1b]; transformer: the token embedding at each position, [[E, 0], [0, E]]. Inside a tidy.
   */
  inputFeatureMap(): tf.Tensor2D;
  /** Frees the parameters. */
  dispose(): void;
}

/** Builds a model of one kind from a run config, drawing every initial weight from `rng`. */
export interface ModelFactory<C extends ModelConfig = ModelConfig> {
  readonly kind: C['kind'];
  init(config: RunConfig & { model: C }, rng: Rng): Model;
}
