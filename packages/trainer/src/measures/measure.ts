import type * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../config.ts';
import type { Model } from '../models/model.ts';
import type { InputAgop } from './input-agop.ts';

/** What a measure may read at a step: the run's config, the model at θ_t, and run-long constants. */
export interface MeasureSnapshot {
  config: RunConfig;
  model: Model;
  /** The real Fourier basis B [p, p] of measures.md §3 (float32), built once per run. */
  fourierBasis: tf.Tensor2D;
  /** Operands and labels of all p² pairs, a-major (n = a·p + b), and which of them are training pairs. */
  grid: {
    a: tf.Tensor1D;
    b: tf.Tensor1D;
    labels: tf.Tensor1D;
    trainIndex: tf.Tensor1D;
    testIndex: tf.Tensor1D;
  };
  /** Logits Λ [p², p] of every pair at θ_t; computed at most once per step, shared by the measures that need it. */
  gridLogits(): tf.Tensor2D;
  /** Key frequencies as a 0/1 mask [K] (k = 1..K), per config.analysis; computed at most once per step. */
  keyFrequencyMask(): tf.Tensor1D;
  /** √ of the input AGOP over the training pairs and the first layer's feature Gram (input-agop.ts); once per step. */
  inputAgop(): InputAgop;
  /** The embedding [p, d] on the host (row-major); read once per step. */
  embeddingHost(): HostMatrix;
}

/** A matrix read back to the host, row-major. */
export interface HostMatrix {
  values: Float32Array;
  rows: number;
  cols: number;
}

/**
 * What a measure reads on the host. tfjs-backend-webgpu has no synchronous read in Node (its readSync needs an
 * OffscreenCanvas), so the loop reads these with an awaited `data()` before the step's tidy, and the snapshot hands
 * the copies to `compute`. A measure never calls dataSync itself.
 */
export type HostInput = 'embedding' | 'inputAgop';

/** The part of a measure that the catalogue (GraphQL, dashboards) shows. */
export interface MeasureInfo {
  /** Matches its heading in shared/reference/measures.md, e.g. `embed_fourier_norms`. */
  id: string;
  description: string;
  unit: string;
  /**
   * `scalar`: one number per step; `vector`: `length(config)` numbers per step (one per frequency k = 1..K unless
   * the measure says otherwise, e.g. `embed_principal_components`).
   */
  shape: 'scalar' | 'vector';
  /** Steps between computations unless the run's config says otherwise (1 = every step). */
  defaultCadence: number;
  /**
   * The `config.cadence` key that sets this measure's cadence, when it is not the id (measures computed from the
   * same inputs share one, e.g. `excluded_loss` uses `restricted_loss`).
   */
  cadenceKey?: keyof RunConfig['cadence'];
}

/** A measure computed from parameters. The loop calls it through the registry only, inside the step's tidy. */
export interface Measure extends MeasureInfo {
  /** Number of values it yields for this run (1 for scalars, K = (p−1)/2 for per-frequency vectors). */
  length(config: RunConfig): number;
  /** Host reads `compute` makes through the snapshot (`embeddingHost`, `inputAgop`); the loop prefetches them. */
  hostInputs?: readonly HostInput[];
  /** A 1-D tensor of `length(config)` values. Runs inside a tidy: intermediate tensors need no disposal. */
  compute(snapshot: MeasureSnapshot): tf.Tensor1D;
}
