/** A progress sample: the step reached and when, on one of two clocks. */
export interface ProgressSample {
  step: number;
  ms: number;
  /** `trainer`: the report's elapsedMs (true pace even for replayed steps); `arrival`: when the browser got it. */
  clock: 'trainer' | 'arrival';
}

/** Samples older than this (relative to the newest) do not count: the rate should follow the run's current pace. */
export const RATE_WINDOW_MS = 10_000;

/**
 * Adds a sample. Samples on different clocks cannot be compared (replayed reports may lack elapsedMs while live
 * ones carry it), so a change of clock starts the series afresh. Returns the pruned list.
 */
export function addSample(samples: ProgressSample[], sample: ProgressSample): ProgressSample[] {
  const last = samples.at(-1);
  const kept = last && last.clock !== sample.clock ? [] : samples;
  kept.push(sample);
  return pruneSamples(kept);
}

/** Keeps the samples within the window, plus one before it so a slow run still has a span to measure. */
export function pruneSamples(samples: ProgressSample[], windowMs = RATE_WINDOW_MS): ProgressSample[] {
  const newest = samples.at(-1);
  if (!newest) return samples;
  const firstInside = samples.findIndex((s) => newest.ms - s.ms <= windowMs);
  return samples.slice(Math.max(0, firstInside - 1));
}

/** Steps per second over the samples, or null when there is no time span yet. */
export function stepsPerSecond(samples: readonly ProgressSample[]): number | null {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last.ms <= first.ms || last.step <= first.step) return null;
  return ((last.step - first.step) * 1000) / (last.ms - first.ms);
}

/** Seconds left at `rate` steps/s, or null when unknown. */
export function etaSeconds(stepsDone: number, totalSteps: number, rate: number | null): number | null {
  if (rate === null || rate <= 0) return null;
  return Math.max(0, totalSteps - stepsDone) / rate;
}
