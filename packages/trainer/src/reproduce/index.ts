export { type CheckResult, GROK_CHECK_ACCURACY, LOSS_FALL_FRACTION } from './checks.ts';
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
