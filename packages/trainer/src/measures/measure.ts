import type * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../config.ts';
import type { Model } from '../models/model.ts';

/** What a measure may read at a step: the run's config, the model at θ_t, and run-long constants. */
export interface MeasureSnapshot {
  config: RunConfig;
  model: Model;
  /** The real Fourier basis B [p, p] of measures.md §3 (float32), built once per run. */
  fourierBasis: tf.Tensor2D;
}

/** The part of a measure that the catalogue (GraphQL, dashboards) shows. */
export interface MeasureInfo {
  /** Matches its heading in shared/reference/measures.md, e.g. `embed_fourier_norms`. */
  id: string;
  description: string;
  unit: string;
  /** `scalar`: one number per step; `vector`: one value per frequency k = 1..K. */
  shape: 'scalar' | 'vector';
  /** Steps between computations unless the run's config says otherwise (1 = every step). */
  defaultCadence: number;
}

/** A measure computed from parameters. The loop calls it through the registry only, inside the step's tidy. */
export interface Measure extends MeasureInfo {
  /** Number of values it yields for this run (1 for scalars, K = (p−1)/2 for per-frequency vectors). */
  length(config: RunConfig): number;
  /** A 1-D tensor of `length(config)` values. Runs inside a tidy: intermediate tensors need no disposal. */
  compute(snapshot: MeasureSnapshot): tf.Tensor1D;
}
