import type { RunHeader } from './queries.ts';

export type Algorithm = NonNullable<RunHeader['algorithm']>;
export type ModelConfig = RunHeader['config']['model'];
export type VerdictThresholds = RunHeader['config']['analysis']['verdict'];

export const ALGORITHM_LABEL: Record<Algorithm, string> = {
  CLOCK: 'Clock',
  PIZZA: 'Pizza',
  MIXED: 'Mixed',
  NONCIRCULAR: 'Non-circular',
};

/** The verdict rule (measures.md §5.4) in words, with this run's thresholds: the badge's tooltip. */
export function verdictExplanation(algorithm: Algorithm | null, t: VerdictThresholds): string {
  const rule = [
    `Non-circular: circularity < ${t.circularityMin}.`,
    `Pizza: gradient symmetry ≥ ${t.pizzaSymmetry} and distance irrelevance ≤ ${t.distanceSplit}.`,
    `Clock: gradient symmetry < ${t.clockSymmetry} and distance irrelevance ≥ ${t.distanceSplit}.`,
    'Mixed: circular, but neither rule holds.',
  ].join('\n');
  const head =
    algorithm === null
      ? 'Algorithm verdict: known when the run ends (from the final measures).'
      : `Algorithm verdict: ${ALGORITHM_LABEL[algorithm]} (from the final measures).`;
  return `${head}\n${rule}`;
}

/** The header's model chips, by model kind: only the fields that apply to that kind. */
export function modelChips(model: ModelConfig): { label: string; value: string }[] {
  if (model.kind === 'RFM') {
    const kernel = model.kernel === 'QUADRATIC' ? 'quadratic' : `Gaussian D ${model.bandwidth ?? '?'}`;
    return [
      {
        label: 'model',
        value: `RFM · ${kernel} · λ ${model.ridge ?? '?'} · ${model.iterations ?? '?'} iterations`,
      },
    ];
  }
  if (model.kind === 'TRANSFORMER') {
    const chips = [
      {
        label: 'model',
        value: `Transformer · d ${model.dModel ?? '?'} · ${model.heads ?? '?'} head${model.heads === 1 ? '' : 's'} · MLP ${model.dMlp ?? '?'}`,
      },
    ];
    if (model.alpha !== null && model.alpha !== undefined)
      chips.push({ label: 'α', value: String(model.alpha) });
    return chips;
  }
  const depth = model.depth ?? 1;
  const parts = [
    `MLP · embed ${model.embedDim ?? '?'} · hidden ${model.hiddenDim ?? '?'}${depth > 1 ? ` ×${depth}` : ''}`,
  ];
  if (model.activation) parts.push(model.activation);
  if (model.combine) parts.push(model.combine);
  return [{ label: 'model', value: parts.join(' · ') }];
}
