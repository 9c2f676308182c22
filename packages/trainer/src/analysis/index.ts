export {
  type FittestPrediction,
  type FittestScore,
  predictFittest,
  scoreFittestPrediction,
  spearman,
  survivingFrequencies,
} from './fittest.ts';
export {
  type ForecastBasis,
  type ForecastOptions,
  type ForecastSeries,
  forecastGrokStep,
  type GrokForecast,
} from './forecast.ts';
export {
  type FrequencyDynamicsFit,
  type FrequencyDynamicsOptions,
  type FrequencyTrajectories,
  fitFrequencyDynamics,
} from './frequency-dynamics.ts';
export {
  GROK_ACCURACY,
  GROKKING_INPUTS,
  type GrokkingState,
  GrokkingTracker,
  grokkingFromSeries,
  grokStep,
  type NamedSeries,
  NO_PHASES,
  nextGrokStep,
  type PhaseBoundaries,
  type PhaseSeries,
  phaseBoundaries,
  trackGrokking,
} from './grokking.ts';
export {
  ALGORITHMS,
  type AlgorithmLabel,
  type AlgorithmMeasures,
  classifyAlgorithm,
  DEFAULT_VERDICT,
  type VerdictThresholds,
} from './verdict.ts';
