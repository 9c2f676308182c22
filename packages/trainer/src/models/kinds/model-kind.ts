import type { ModelConfig, ModelKind, RunConfig } from '../../config.ts';
import type { StepReport } from '../../report.ts';
import type { TrainOptions } from '../../training/train-options.ts';

/** A run config whose model is of kind K. */
export type KindRunConfig<K extends ModelKind> = RunConfig & { model: Extract<ModelConfig, { kind: K }> };

/** How a displayed value is written: `int` grouped digits, `number` as stored, `text` as stored, `lower` lower case. */
export type DisplayFormat = 'int' | 'number' | 'text' | 'lower';

/**
 * One value the dashboard shows for a run of a kind (a header chip, a runs-table cell), as data: the web reads the
 * value at `path` from the run's stored config (`source: 'config'`) or its final scalars (`source: 'summary'`) and
 * writes it with `format`, after `label`. A value the run lacks is shown as missing, never guessed.
 */
export interface DisplayItem {
  label: string;
  source: 'config' | 'summary';
  path: string;
  format: DisplayFormat;
}

/** Where a form field sits on the new-run form. */
export type FieldGroup = 'task' | 'model' | 'optimizer' | 'run';

/**
 * A config field a kind's form edits: its dotted RunConfig path and the words to show. Type, range, default, enum
 * values and description are not here: they are read from the zod schema (`runConfigSchema` with this kind's model).
 */
export interface FieldLabel {
  path: string;
  label: string;
  group: FieldGroup;
  unit?: string;
}

/**
 * Everything that differs between model kinds, in one place (style: registries, not switches). The trainer, the
 * GraphQL `modelKinds` query and the dashboard read these; nothing else branches on a kind.
 */
export interface ModelKindStrategy<K extends ModelKind = ModelKind> {
  readonly kind: K;
  /** Full name, e.g. `Transformer`. */
  readonly label: string;
  /** Short name for dense tables, e.g. `TF`. */
  readonly shortLabel: string;
  /** What one reported step is, as the step axis says it: `step (updates)` (optimiser steps) or `iteration`. */
  readonly stepLabel: string;
  /** The loss the run reports, in words (cross-entropy for networks, square loss for the RFM). */
  readonly lossLabel: string;
  /**
   * Where the run computes when it uses no backend (the RFM solves on the host in float64); null: the run's
   * selected backend.
   */
  readonly hostEngine: string | null;
  /** The fields this kind's config uses beyond the task (p, operation, trainFraction, seed), in form order. */
  readonly fields: readonly FieldLabel[];
  /** The run page header's chips for this kind. */
  readonly chips: readonly DisplayItem[];
  /** The runs table's model cell for this kind (joined with ' / '). */
  readonly columns: readonly DisplayItem[];
  /** Steps a run reports after step 0. */
  totalSteps(run: KindRunConfig<K>): number;
  /** The training loop: one StepReport per step, ending quietly when `options.signal` aborts. */
  train(run: KindRunConfig<K>, options: TrainOptions): AsyncGenerator<StepReport, void, undefined>;
}

export const config = (label: string, path: string, format: DisplayFormat = 'number'): DisplayItem => ({
  label,
  source: 'config',
  path,
  format,
});

/** The task fields every kind's form starts with (the task does not depend on the model). */
export const TASK_FIELDS: readonly FieldLabel[] = [
  { path: 'p', label: 'Modulus p', group: 'task' },
  { path: 'operation', label: 'Operation', group: 'task' },
  { path: 'trainFraction', label: 'Train fraction', group: 'task', unit: 'of p² pairs' },
  { path: 'seed', label: 'Seed', group: 'task' },
];

/** The settings every gradient-trained network reads (an RFM reads none of them). */
export const NETWORK_RUN_FIELDS: readonly FieldLabel[] = [
  { path: 'optimizer.lr', label: 'Learning rate', group: 'optimizer' },
  { path: 'optimizer.weightDecay', label: 'Weight decay', group: 'optimizer' },
  { path: 'steps', label: 'Steps', group: 'run', unit: 'updates' },
  { path: 'backend', label: 'Backend', group: 'run' },
];

/** The AdamW chips every network shows. */
export const OPTIMIZER_CHIPS: readonly DisplayItem[] = [
  config('lr', 'optimizer.lr'),
  config('wd', 'optimizer.weightDecay'),
  config('β1', 'optimizer.beta1'),
  config('β2', 'optimizer.beta2'),
];
