import type * as tf from '@tensorflow/tfjs-core';
import type { ModelKind, RunConfig } from '../config.ts';
import type { Model } from '../models/model.ts';
import type { MeasurePanelId } from './panels.ts';

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
  /** A host input the measure declared in `hostInputs`, read before the step (see HostProvider). */
  host<T>(provider: HostProvider<T>): T;
  /** Whether this is the run's final report: sampled measures use their larger final sample (the verdict reads it). */
  readonly final: boolean;
  /**
   * A tensor computed at most once per step under `key`, for measures that share work (e.g. gradient symmetry and
   * its standard error come from one backward pass). Created inside the step's tidy; dropped when the step ends.
   */
  shared<T extends tf.Tensor>(key: string, make: () => T): T;
}

/** A matrix read back to the host, row-major. */
export interface HostMatrix {
  values: Float32Array;
  rows: number;
  cols: number;
}

/** Where a scalar measure is drawn on a run page: the panel it joins and its legend label there. */
export interface ChartHint {
  /**
   * Panel ids of MEASURE_PANELS (panels.ts) it is drawn in: measures with the same panel share one chart. The first
   * is its home: a page draws a panel when the run reports a measure whose home it is (the losses also join the
   * progress-measures panel, but do not make an RFM's page draw it).
   */
  panels: readonly MeasurePanelId[];
  /** Legend label inside the panel (e.g. `train`, `restricted`). */
  label: string;
  /**
   * `train` / `test`: the split's colour, so every panel shows the two splits alike; otherwise the panel's next
   * colour in catalogue order.
   */
  group?: 'train' | 'test';
}

/**
 * A measure's descriptor: everything outside the measure's own computation needs of it (the cadence schema, the
 * GraphQL `measures` catalogue, the test lists, the dashboard's panels), written once, in the measure's module.
 */
export interface MeasureInfo<Id extends string = string, Key extends string | null = string | null> {
  /** Matches its heading in shared/reference/measures.md, e.g. `embed_fourier_norms`. */
  id: Id;
  description: string;
  unit: string;
  /**
   * `scalar`: one number per step; `vector`: `length(config)` numbers per step (one per frequency k = 1..K unless
   * the measure says otherwise, e.g. `embed_principal_components`); `matrix`: a square matrix per step, row-major.
   */
  shape: 'scalar' | 'vector' | 'matrix';
  /** Steps between computations unless the run's config says otherwise (1 = every step). */
  defaultCadence: number;
  /**
   * Version of the definition, raised whenever what the measure computes changes (a rule, a default sample size),
   * so stored values say which definition made them. 1 when absent. The changes are listed in docs/measures.md.
   */
  version?: number;
  /**
   * The `config.cadence` key that sets this measure's cadence, when it is not the id (measures computed from the
   * same inputs share one, e.g. `excluded_loss` uses `restricted_loss`). A measure computed by the loop every step
   * (losses, wall time, the RFM's) has none: `cadenceKey: null`.
   */
  cadenceKey?: Key;
  /** What the cadence setting is called in the config's documentation (the owner of a shared key says so). */
  cadenceLabel?: string;
  /** Model kinds whose runs report it. */
  kinds: readonly ModelKind[];
  /** Scalars only: the run page's panel; without one the measure is listed (compare page) but not drawn there. */
  chart?: ChartHint;
}

/**
 * A host input: something measures read on the host, read once per step (awaited, before the step's tidy) by the
 * loop when a due measure declares it, and handed to `compute` through `snapshot.host(provider)`. The generic
 * snapshot knows providers only by this interface, not by any measure's type.
 */
export interface HostProvider<T> {
  /** Names it in errors (a measure that reads a provider it did not declare). */
  name: string;
  read(snapshot: MeasureSnapshot): Promise<T>;
}

/** A measure computed from parameters. The loop calls it through the registry only, inside the step's tidy. */
export interface Measure<Id extends string = string, Key extends string | null = string | null>
  extends MeasureInfo<Id, Key> {
  /** Number of values it yields for this run (1 for scalars, K = (p−1)/2 for per-frequency vectors). */
  length(config: RunConfig): number;
  /** Host reads `compute` makes through `snapshot.host`; the loop prefetches them. */
  hostInputs?: readonly HostProvider<unknown>[];
  /**
   * Reads `snapshot.gridLogits()` (the all-pairs forward). An engine that can compute those logits faster than the
   * tfjs model (the native runtime, from its own weights) supplies them before the step; without the flag the pass
   * computes them on tfjs, so the flag is an optimisation, never needed for correct values.
   */
  readsGridLogits?: true;
  /** A 1-D tensor of `length(config)` values. Runs inside a tidy: intermediate tensors need no disposal. */
  compute(snapshot: MeasureSnapshot): tf.Tensor1D;
}

/** The kinds trained as networks, and every kind: what most descriptors' `kinds` say (a test keeps ALL_KINDS true). */
export const NETWORK_KINDS = ['MLP', 'TRANSFORMER'] as const satisfies readonly ModelKind[];
export const ALL_KINDS = [...NETWORK_KINDS, 'RFM'] as const satisfies readonly ModelKind[];

/** A descriptor of a measure computed outside the registry (losses, timings): checked, literal types kept. */
export function describeMeasure<const Id extends string, const Key extends string | null>(
  info: MeasureInfo<Id, Key>,
): MeasureInfo<Id, Key> {
  return info;
}
