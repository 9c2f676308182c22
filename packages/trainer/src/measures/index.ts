import type { RunConfig } from '../config.ts';
import { agopAlignmentInfo } from './agop-alignment.ts';
import { circulantDeviationInfo } from './circulant-deviation.ts';
import { circularity } from './circularity.ts';
import { distanceIrrelevance } from './distance-irrelevance.ts';
import { embedFourierNorms } from './embed-fourier-norms.ts';
import { embedPrincipalComponents } from './embed-principal-components.ts';
import { excludedLoss } from './excluded-loss.ts';
import { excludedLossPerFrequency } from './excluded-loss-per-frequency.ts';
import { frequencySignal } from './frequency-signal.ts';
import { giniEmbed } from './gini-embed.ts';
import { giniLogitMap } from './gini-logit-map.ts';
import { gradientSymmetry } from './gradient-symmetry.ts';
import { inputAgopAlignment, inputCirculantDeviation } from './input-agop.ts';
import { keyFrequencies } from './key-frequencies.ts';
import { logitMapFourierNorms } from './logit-map-fourier-norms.ts';
import type { Measure, MeasureInfo } from './measure.ts';
import { restrictedLoss } from './restricted-loss.ts';
import { rfmFeatureMatrixInfo } from './rfm-feature-matrix.ts';
import { survivingCircles } from './surviving-circles.ts';
import { weightNorm } from './weight-norm.ts';

export type { Measure, MeasureInfo, MeasureSnapshot } from './measure.ts';

/** Measures computed from parameters, in report order. A new measure is one module plus one entry here. */
export const MEASURES: readonly Measure[] = [
  weightNorm,
  embedFourierNorms,
  giniEmbed,
  frequencySignal,
  survivingCircles,
  logitMapFourierNorms,
  giniLogitMap,
  keyFrequencies,
  restrictedLoss,
  excludedLoss,
  excludedLossPerFrequency,
  distanceIrrelevance,
  gradientSymmetry,
  circularity,
  embedPrincipalComponents,
  inputCirculantDeviation,
  inputAgopAlignment,
];

/** Loss and accuracy: every step, computed by the loop from the step's own forward passes. */
export const LOSS_MEASURES: readonly MeasureInfo[] = [
  {
    id: 'train_loss',
    description: 'Mean cross-entropy on the training pairs, before this step’s update.',
    unit: 'nats',
    shape: 'scalar',
    defaultCadence: 1,
  },
  {
    id: 'test_loss',
    description: 'Mean cross-entropy on the held-out pairs.',
    unit: 'nats',
    shape: 'scalar',
    defaultCadence: 1,
  },
  {
    id: 'train_acc',
    description: 'Fraction of training pairs whose top logit is the answer.',
    unit: 'fraction',
    shape: 'scalar',
    defaultCadence: 1,
  },
  {
    id: 'test_acc',
    description: 'Fraction of held-out pairs whose top logit is the answer.',
    unit: 'fraction',
    shape: 'scalar',
    defaultCadence: 1,
  },
];

/**
 * Measures only RFM runs report, every iteration, computed on the host by src/rfm/ (an RFM run reports these and
 * the loss measures, whose losses are then square loss — see src/rfm/train-rfm.ts).
 */
export const RFM_MEASURES: readonly MeasureInfo[] = [
  circulantDeviationInfo,
  agopAlignmentInfo,
  rfmFeatureMatrixInfo,
];

/**
 * Timings: not computed from parameters but stored by the server from each report's `elapsedMs` (every step, a
 * network's or an RFM's), so charts can use wall time as their x axis. Runs stored before it have none.
 */
export const TIMING_MEASURES: readonly MeasureInfo[] = [
  {
    id: 'wall_time',
    description:
      'Wall-clock time since training started, when this step was reported (stored by the server).',
    unit: 's',
    shape: 'scalar',
    defaultCadence: 1,
  },
];

/**
 * Everything a run reports, with descriptions and units (for GraphQL's `measures` query and dashboards), one entry
 * per id: `circulant_deviation` and `agop_alignment` are both network measures and RFM measures, listed once with
 * the network's cadence (an RFM computes them every iteration).
 */
export const MEASURE_CATALOGUE: readonly MeasureInfo[] = [
  ...LOSS_MEASURES,
  ...MEASURES,
  ...RFM_MEASURES,
  ...TIMING_MEASURES,
]
  .filter((m, i, all) => all.findIndex((other) => other.id === m.id) === i)
  .map(({ id, description, unit, shape, defaultCadence }) => ({
    id,
    description,
    unit,
    shape,
    defaultCadence,
  }));

/** Steps between computations of `measure` in this run: the config's cadence if it names one, else the default. */
export function cadenceOf(measure: MeasureInfo, config: RunConfig): number {
  const cadences: Readonly<Record<string, number>> = config.cadence;
  return cadences[measure.cadenceKey ?? measure.id] ?? measure.defaultCadence;
}

/** The measures due at `step` (every measure at the final step). */
export function measuresDue(step: number, config: RunConfig, final: boolean): Measure[] {
  return MEASURES.filter((m) => final || step % cadenceOf(m, config) === 0);
}
