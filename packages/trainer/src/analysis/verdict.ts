/** Post-hoc analysis of a run's measures (pure functions on plain numbers; no TensorFlow.js). */

/** The verdicts (measures.md §5.4); the GraphQL `Algorithm` enum and the stored summary are typed from this list. */
export const ALGORITHMS = ['CLOCK', 'PIZZA', 'MIXED', 'NONCIRCULAR'] as const;
export type AlgorithmLabel = (typeof ALGORITHMS)[number];

export interface AlgorithmMeasures {
  gradientSymmetry: number;
  distanceIrrelevance: number;
  circularity: number;
}

/** config.analysis.verdict (measures.md §5.4; thresholds ours, from the released sweep CSV). */
export interface VerdictThresholds {
  pizzaSymmetry: number;
  clockSymmetry: number;
  distanceSplit: number;
  circularityMin: number;
}

export const DEFAULT_VERDICT: VerdictThresholds = {
  pizzaSymmetry: 0.98,
  clockSymmetry: 0.8,
  distanceSplit: 0.6,
  circularityMin: 0.99,
};

/**
 * measures.md §5.4: NONCIRCULAR if circularity < circularityMin (checked first: the other two measures describe
 * circles); else PIZZA if s_g ≥ pizzaSymmetry and q ≤ distanceSplit; CLOCK if s_g < clockSymmetry and
 * q ≥ distanceSplit; otherwise MIXED. A NaN circularity counts as NONCIRCULAR; any other NaN gives MIXED (every
 * comparison with NaN is false).
 */
export function classifyAlgorithm(
  { gradientSymmetry: sg, distanceIrrelevance: q, circularity }: AlgorithmMeasures,
  thresholds: VerdictThresholds = DEFAULT_VERDICT,
): AlgorithmLabel {
  if (!(circularity >= thresholds.circularityMin)) return 'NONCIRCULAR';
  if (sg >= thresholds.pizzaSymmetry && q <= thresholds.distanceSplit) return 'PIZZA';
  if (sg < thresholds.clockSymmetry && q >= thresholds.distanceSplit) return 'CLOCK';
  return 'MIXED';
}
