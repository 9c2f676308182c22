// @grokscope/trainer's public API; everything else in src/ is internal.
export {
  type AlgorithmLabel,
  type AlgorithmMeasures,
  classifyAlgorithm,
  type FittestPrediction,
  type FittestScore,
  type FrequencyDynamicsFit,
  type FrequencyDynamicsOptions,
  type FrequencyTrajectories,
  fitFrequencyDynamics,
  grokStep,
  type PhaseBoundaries,
  type PhaseSeries,
  phaseBoundaries,
  predictFittest,
  scoreFittestPrediction,
  survivingFrequencies,
  type VerdictThresholds,
} from './analysis/index.ts';
export { type BackendInfo, BackendUnavailableError } from './backends/provider.ts';
export { selectBackend } from './backends/select.ts';
export * from './config.ts';
export { agopAlignment, alignmentWithFinal } from './measures/agop-alignment.ts';
export { circulantDeviation } from './measures/circulant-deviation.ts';
export { MEASURE_CATALOGUE, type MeasureInfo } from './measures/index.ts';
export { loadReferenceModel } from './models/reference-model.ts';
export type { StepReport } from './report.ts';
export { createRfm, type RfmTimings } from './rfm/train-rfm.ts';
export {
  decodeMessage,
  encodeMessage,
  TelemetryDecodeError,
  type TelemetryMessage,
  telemetryMessageSchema,
} from './telemetry.ts';
export { type TrainOptions, train } from './train.ts';
export { trainMessages } from './train-messages.ts';
