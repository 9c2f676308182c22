import { mean, median } from './stats.ts';
import { DEFAULT_CADENCES, type StepWindow } from './step-time.ts';

/** The peer's statistic: the median over `blocks` equal blocks of the mean ms per step. */
export function medianOfBlocks(window: StepWindow, blocks = 5): number {
  const { durations } = window;
  const perBlock = Math.max(1, Math.floor(durations.length / blocks));
  const blockMs: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const block = durations.slice(b * perBlock, (b + 1) * perBlock);
    if (block.length === perBlock) blockMs.push(mean(block));
  }
  return median(blockMs);
}

/**
 * gradient_symmetry's default cadence (500) is longer than the window we can afford for slow configurations, so
 * the default-cadence run moves it to a step where nothing else is due (this cadence: 97 is prime and no multiple
 * of 97 below 970 is a multiple of 10) and `amortisedMs` scales its cost back to 1 in 500.
 */
export const PROBE_SYMMETRY_CADENCE = 97;

/**
 * Mean ms per step with every measure at its default cadence, amortised. A window holding a whole multiple of the
 * largest cadence is already that mean; a shorter one (a multiple of 100, run with gradient_symmetry at
 * PROBE_SYMMETRY_CADENCE) holds every other measure at its default rate, and gradient symmetry's extra cost — its
 * steps minus the steps with only per-step measures — is rescaled from its probe rate to 1/500.
 */
export function amortisedMs(window: StepWindow, probed: boolean): number {
  const { durations, firstStep } = window;
  const windowMean = mean(durations);
  if (!probed) return windowMean;
  const stepAt = (i: number) => firstStep + i;
  const symmetrySteps = durations.filter((_, i) => stepAt(i) % PROBE_SYMMETRY_CADENCE === 0);
  const plainSteps = durations.filter(
    (_, i) => stepAt(i) % PROBE_SYMMETRY_CADENCE !== 0 && stepAt(i) % 10 !== 0,
  );
  const symmetryMs = mean(symmetrySteps) - median(plainSteps);
  const probeRate = symmetrySteps.length / durations.length;
  return windowMean - symmetryMs * (probeRate - 1 / DEFAULT_CADENCES.gradient_symmetry);
}

/** Whether a window covers whole cycles of every default cadence (then no probe is needed). */
export function coversAllCadences(window: number): boolean {
  return Object.values(DEFAULT_CADENCES).every((c) => window % c === 0);
}
