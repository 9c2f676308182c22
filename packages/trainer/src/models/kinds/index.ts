import type { ModelKind, RunConfig } from '../../config.ts';
import type { StepReport } from '../../report.ts';
import type { TrainOptions } from '../../training/train-options.ts';
import { mlpKind } from './mlp-kind.ts';
import type { KindRunConfig, ModelKindStrategy } from './model-kind.ts';
import { rfmKind } from './rfm-kind.ts';
import { transformerKind } from './transformer-kind.ts';

export {
  type DisplayFormat,
  type DisplayItem,
  type FieldGroup,
  type FieldLabel,
  type ModelKindStrategy,
  TASK_FIELDS,
} from './model-kind.ts';

/** The model-kind registry: one strategy per kind of config's `modelSchema` (checked by the mapped type). */
export const MODEL_KIND_STRATEGIES: { readonly [K in ModelKind]: ModelKindStrategy<K> } = {
  MLP: mlpKind,
  TRANSFORMER: transformerKind,
  RFM: rfmKind,
};

/** A strategy of some kind (the union of the registry's entries). */
export type AnyModelKindStrategy = { [K in ModelKind]: ModelKindStrategy<K> }[ModelKind];

/** The strategies in the registry's order. */
export const MODEL_KIND_LIST: readonly AnyModelKindStrategy[] = Object.values(MODEL_KIND_STRATEGIES);

/**
 * The strategy of a run's kind, with the run typed for it: the one place a kind's strategy is looked up (the
 * registry's mapped type ties each kind to its strategy; TypeScript cannot follow that through a union).
 */
function strategyFor(run: RunConfig): ModelKindStrategy<ModelKind> & {
  totalSteps(run: RunConfig): number;
  train(run: RunConfig, options: TrainOptions): AsyncGenerator<StepReport, void, undefined>;
} {
  return MODEL_KIND_STRATEGIES[run.model.kind] as unknown as ReturnType<typeof strategyFor>;
}

/** Steps a run reports after step 0: `steps` optimiser updates, or an RFM's `model.iterations`. */
export function totalSteps(run: RunConfig): number {
  return strategyFor(run).totalSteps(run);
}

/** Runs the kind's training loop. */
export function trainKind(
  run: RunConfig,
  options: TrainOptions,
): AsyncGenerator<StepReport, void, undefined> {
  return strategyFor(run).train(run, options);
}

export type { KindRunConfig };
