import type { RunHeader } from './queries.ts';

export type Algorithm = NonNullable<RunHeader['algorithm']>;
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
