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
import { gradientSymmetry, gradientSymmetrySe } from './gradient-symmetry.ts';
import { inputAgopAlignment, inputCirculantDeviation } from './input-agop.ts';
import { keyFrequencies } from './key-frequencies.ts';
import { logitMapFourierNorms } from './logit-map-fourier-norms.ts';
import { ALL_KINDS, describeMeasure, type Measure, type MeasureInfo } from './measure.ts';
import { restrictedLoss } from './restricted-loss.ts';
import { rfmFeatureMatrixInfo } from './rfm-feature-matrix.ts';
import { survivingCircles } from './surviving-circles.ts';
import { weightNorm } from './weight-norm.ts';

export type { ChartHint, HostProvider, Measure, MeasureInfo, MeasureSnapshot } from './measure.ts';
export { MEASURE_PANELS, type MeasurePanel, type MeasurePanelId } from './panels.ts';

/**
 * Measures computed from parameters, in report order: the registry. A new measure is its module (exporting its
 * descriptor through defineMeasure) plus one entry here; its cadence setting, catalogue entry, test lists and
 * dashboard panel follow from the descriptor (docs/adding-a-measure.md).
 */
export const MEASURES = [
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
  gradientSymmetrySe,
  circularity,
  embedPrincipalComponents,
  inputCirculantDeviation,
  inputAgopAlignment,
] as const satisfies readonly Measure[];

/** Loss and accuracy: every step, computed by the loop from the step's own forward passes (square loss for RFMs). */
export const LOSS_MEASURES = [
  describeMeasure({
    id: 'train_loss',
    description:
      'Mean loss on the training pairs, before this step’s update (cross-entropy; RFM: square loss).',
    unit: 'loss',
    shape: 'scalar',
    defaultCadence: 1,
    cadenceKey: null,
    kinds: ALL_KINDS,
    chart: { panels: ['loss', 'progress_measures'], label: 'train', group: 'train' },
  }),
  describeMeasure({
    id: 'test_loss',
    description: 'Mean loss on the held-out pairs (cross-entropy; RFM: square loss).',
    unit: 'loss',
    shape: 'scalar',
    defaultCadence: 1,
    cadenceKey: null,
    kinds: ALL_KINDS,
    chart: { panels: ['loss', 'progress_measures'], label: 'test', group: 'test' },
  }),
  describeMeasure({
    id: 'train_acc',
    description: 'Fraction of training pairs whose top logit is the answer.',
    unit: 'fraction',
    shape: 'scalar',
    defaultCadence: 1,
    cadenceKey: null,
    kinds: ALL_KINDS,
    chart: { panels: ['accuracy'], label: 'train', group: 'train' },
  }),
  describeMeasure({
    id: 'test_acc',
    description: 'Fraction of held-out pairs whose top logit is the answer.',
    unit: 'fraction',
    shape: 'scalar',
    defaultCadence: 1,
    cadenceKey: null,
    kinds: ALL_KINDS,
    chart: { panels: ['accuracy'], label: 'test', group: 'test' },
  }),
] as const satisfies readonly MeasureInfo[];

/**
 * Measures an RFM reports every iteration, computed on the host by src/rfm/ (with the loss measures, whose losses
 * are then square loss — see src/rfm/train-rfm.ts).
 */
export const RFM_MEASURES = [
  { ...circulantDeviationInfo, cadenceKey: null },
  { ...agopAlignmentInfo, cadenceKey: null },
  rfmFeatureMatrixInfo,
] as const satisfies readonly MeasureInfo[];

/**
 * Timings: not computed from parameters but stored by the server from each report's `elapsedMs` (every step, a
 * network's or an RFM's), so charts can use wall time as their x axis. Runs stored before it have none.
 */
export const TIMING_MEASURES = [
  describeMeasure({
    id: 'wall_time',
    description:
      'Wall-clock time since training started, when this step was reported (stored by the server).',
    unit: 's',
    shape: 'scalar',
    defaultCadence: 1,
    cadenceKey: null,
    kinds: ALL_KINDS,
  }),
] as const satisfies readonly MeasureInfo[];

/** Measures an external run logs itself (logSteps): the loop's losses and accuracies. */
export const LOGGED_MEASURE_IDS: readonly string[] = LOSS_MEASURES.map((m) => m.id);

type Listed =
  | (typeof MEASURES)[number]
  | (typeof LOSS_MEASURES)[number]
  | (typeof RFM_MEASURES)[number]
  | (typeof TIMING_MEASURES)[number];

/** Every measure id a run can report: the registry's and the loop's, as a union of literals. */
export type MeasureId = Listed['id'];

/** A `config.cadence` key: the cadence a registry measure is computed at (its id, or the key it shares). */
export type CadenceKey = CadenceKeyOf<(typeof MEASURES)[number]>;
type CadenceKeyOf<M> =
  M extends Measure<infer Id, infer Key> ? (string extends Key ? Id : Extract<Key, string>) : never;

/** The descriptor fields the catalogue publishes (a measure's computation stays in the trainer). */
export type CatalogueEntry = Omit<MeasureInfo<MeasureId>, 'cadenceLabel'>;

/**
 * Everything a run reports (GraphQL's `measures` query, dashboards), one entry per id: `circulant_deviation` and
 * `agop_alignment` are both network measures and RFM measures, listed once with the network's cadence and every
 * kind that reports them.
 */
export const MEASURE_CATALOGUE: readonly CatalogueEntry[] = catalogue([
  ...LOSS_MEASURES,
  ...MEASURES,
  ...RFM_MEASURES,
  ...TIMING_MEASURES,
]);

function catalogue(listed: readonly Listed[]): CatalogueEntry[] {
  const byId = new Map<MeasureId, CatalogueEntry>();
  for (const m of listed) {
    const seen = byId.get(m.id);
    if (seen) {
      seen.kinds = [...new Set([...seen.kinds, ...m.kinds])];
      continue;
    }
    const { id, description, unit, shape, defaultCadence, kinds } = m;
    const entry: CatalogueEntry = {
      id,
      description,
      unit,
      shape,
      defaultCadence,
      kinds,
      version: m.version ?? 1,
    };
    if ('cadenceKey' in m && m.cadenceKey !== undefined) entry.cadenceKey = m.cadenceKey;
    if ('chart' in m && m.chart) entry.chart = m.chart;
    byId.set(id, entry);
  }
  return [...byId.values()];
}

/** A cadence setting: its key, default and what it governs, from the registry measures that use it. */
export interface CadenceSetting {
  key: CadenceKey;
  defaultCadence: number;
  label: string;
  measures: MeasureId[];
}

/** The `config.cadence` settings, derived from the registry (config.ts builds its schema from these). */
export const CADENCE_SETTINGS: readonly CadenceSetting[] = cadenceSettings();

function cadenceSettings(): CadenceSetting[] {
  const byKey = new Map<CadenceKey, CadenceSetting>();
  for (const m of MEASURES as readonly (Measure & { id: MeasureId })[]) {
    const key = cadenceKeyOf(m);
    const setting = byKey.get(key) ?? { key, defaultCadence: m.defaultCadence, label: '', measures: [] };
    if (setting.defaultCadence !== m.defaultCadence) {
      throw new Error(`measures sharing cadence '${key}' disagree on its default (${m.id})`);
    }
    setting.measures.push(m.id);
    if (m.cadenceLabel) setting.label = m.cadenceLabel;
    byKey.set(key, setting);
  }
  return [...byKey.values()].map((s) => ({ ...s, label: s.label || s.measures.join(', ') }));
}

function cadenceKeyOf(measure: Measure): CadenceKey {
  return (measure.cadenceKey ?? measure.id) as CadenceKey;
}

/** Steps between computations of `measure` in this run: the config's cadence if it names one, else the default. */
export function cadenceOf(measure: Measure, config: RunConfig): number {
  const cadences: Readonly<Record<string, number>> = config.cadence;
  return cadences[cadenceKeyOf(measure)] ?? measure.defaultCadence;
}

/** The measures due at `step` (every measure at the final step). */
export function measuresDue(step: number, config: RunConfig, final: boolean): Measure[] {
  return MEASURES.filter((m) => final || step % cadenceOf(m, config) === 0);
}
