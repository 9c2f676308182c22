// @grokscope/trainer's public API; everything else in src/ is internal.
export {
  ALGORITHMS,
  type AlgorithmLabel,
  type AlgorithmMeasures,
  classifyAlgorithm,
  type FittestPrediction,
  type FittestScore,
  type ForecastBasis,
  type ForecastSeries,
  type FrequencyDynamicsFit,
  type FrequencyDynamicsOptions,
  type FrequencyTrajectories,
  fitFrequencyDynamics,
  forecastGrokStep,
  GROK_ACCURACY,
  GROKKING_INPUTS,
  type GrokForecast,
  type GrokkingState,
  GrokkingTracker,
  grokkingFromSeries,
  grokStep,
  NO_PHASES,
  nextGrokStep,
  type PhaseBoundaries,
  type PhaseSeries,
  phaseBoundaries,
  predictFittest,
  scoreFittestPrediction,
  survivingFrequencies,
  trackGrokking,
  type VerdictThresholds,
} from './analysis/index.ts';
export { type BackendInfo, BackendUnavailableError } from './backends/provider.ts';
export { selectBackend } from './backends/select.ts';
export {
  ANALYSE_MEASURES,
  analyseCheckpoint,
  type CheckpointAnalysis,
} from './checkpoints/analyse-checkpoint.ts';
export { decodeSafetensors, encodeSafetensors, type SafetensorsFile } from './checkpoints/safetensors.ts';
export { CheckpointError, type NamedTensor, type StateDict } from './checkpoints/tensors.ts';
export { ANALYSE_USAGE, type AnalyseArgs, parseAnalyseArgs } from './cli/analyse-args.ts';
export { UsageError } from './cli/args.ts';
export { ProgressBar } from './cli/progress-bar.ts';
export { analyseFromArgs, analysisJson, formatAnalysis } from './cli/run-analyse.ts';
export * from './config.ts';
export { DEMO_CONFIG } from './demo.ts';
export {
  initialWeights,
  measureCheckpoint,
  measureWeights,
  WeightsMismatchError,
  weightShapes,
} from './external/measure-weights.ts';
export {
  type Ablation,
  AblationError,
  type AblationSpec,
  ablateFrequencies,
  type SplitScores,
} from './interventions/ablate.ts';
export { ablateCheckpoint } from './interventions/ablate-checkpoint.ts';
export { agopAlignment, alignmentWithFinal } from './measures/agop-alignment.ts';
export { circulantDeviation } from './measures/circulant-deviation.ts';
export {
  CADENCE_SETTINGS,
  type CadenceKey,
  type CatalogueEntry,
  type ChartHint,
  LOGGED_MEASURE_IDS,
  MEASURE_CATALOGUE,
  MEASURE_PANELS,
  type MeasureId,
  type MeasureInfo,
  type MeasurePanel,
  type MeasurePanelId,
} from './measures/index.ts';
export {
  type AnyModelKindStrategy,
  type DisplayFormat,
  type DisplayItem,
  type FieldGroup,
  type FieldLabel,
  MODEL_KIND_LIST,
  MODEL_KIND_STRATEGIES,
  type ModelKindStrategy,
  TASK_FIELDS,
  totalSteps,
} from './models/kinds/index.ts';
export { loadReferenceModel } from './models/reference-model.ts';
export { batchKey, batchSize, DEFAULT_BATCH_RUNS } from './native/batch-shapes.ts';
export { selectNativeBackend } from './native/select.ts';
export { type BatchStepReport, type TrainBatchOptions, trainBatch } from './native/train-batch.ts';
export type { StepReport } from './report.ts';
export {
  runSweepReproduction,
  type SweepReproduction,
  type SweepReproductionResult,
  type SweepRunOutcome,
} from './reproduce/index.ts';
export { createRfm, type RfmTimings } from './rfm/train-rfm.ts';
export { type RunSummary, runSummarySchema, StoredRunError } from './run-summary.ts';
export {
  MAX_SWEEP_RUNS,
  type PlannedRun,
  planSweep,
  type SweepAxis,
  type SweepIssue,
  type SweepIssueCode,
  type SweepMode,
  SweepPlanError,
} from './sweep/plan.ts';
export {
  decodeMessage,
  encodeMessage,
  encodeNumber,
  TelemetryDecodeError,
  type TelemetryMessage,
  telemetryMessageSchema,
} from './telemetry.ts';
export { type TrainOptions, train } from './train.ts';
export { type BatchMessage, type BatchMessagesOptions, trainBatchMessages } from './train-batch-messages.ts';
export { trainMessages } from './train-messages.ts';
export { decodeCheckpoint, encodeCheckpoint, type TrainingState } from './training/checkpoint.ts';
