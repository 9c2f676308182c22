export {
  type FittestPrediction,
  type FittestScore,
  predictFittest,
  scoreFittestPrediction,
  spearman,
  survivingFrequencies,
} from './fittest.ts';
export {
  type FrequencyDynamicsFit,
  type FrequencyDynamicsOptions,
  type FrequencyTrajectories,
  fitFrequencyDynamics,
} from './frequency-dynamics.ts';
export { grokStep, type PhaseBoundaries, type PhaseSeries, phaseBoundaries } from './grokking.ts';
export {
  type AlgorithmLabel,
  type AlgorithmMeasures,
  classifyAlgorithm,
  DEFAULT_VERDICT,
  type VerdictThresholds,
} from './verdict.ts';
