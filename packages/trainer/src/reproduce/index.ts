export { type CheckResult, LOSS_FALL_FRACTION } from './checks.ts';
export { CLOCK_PIZZA_PHASE } from './clock-pizza-phase.ts';
export {
  isReproductionName,
  isReproductionSize,
  REPRODUCTION_NAMES,
  REPRODUCTION_SIZES,
  REPRODUCTIONS,
  type Reproduction,
  type ReproductionName,
  type ReproductionSize,
} from './presets.ts';
export {
  type ReproduceOptions,
  type ReproduceResult,
  reproductionConfig,
  runReproduction,
} from './run-reproduction.ts';
export {
  EMBEDDING_SWEEP,
  isSweepName,
  runEmbeddingSweep,
  SWEEP_NAMES,
  type SweepName,
  type SweepResult,
  type SweepRow,
} from './sweep.ts';
export type { SweepPlanInput, SweepRunOutcome } from './sweep-executors.ts';
export {
  runSweepReproduction,
  type SweepReproduction,
  type SweepReproductionResult,
} from './sweep-reproduction.ts';
export { TRAIN_FRACTION } from './train-fraction.ts';
