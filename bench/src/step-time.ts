import { cadenceSchema, type RunConfigInput, train } from '@grokscope/trainer';

type Cadences = Record<keyof typeof cadenceSchema.shape, number>;

/** Every periodic measure's cadence pushed past the run's end: a step does the training and the four scalars only. */
export const MEASURES_OFF: Cadences = Object.fromEntries(
  Object.keys(cadenceSchema.shape).map((id) => [id, 1_000_000]),
) as Cadences;

export const DEFAULT_CADENCES: Cadences = cadenceSchema.parse({});

export interface StepWindow {
  /** Step of durations[0]; durations[i] is step firstStep + i in ms (from one read-back to the next). */
  firstStep: number;
  durations: number[];
}

/**
 * Times steps warmup … warmup + window − 1 of one run, each step's report read back as the server's worker does.
 * Step 0 (every measure is due) and the final report (every measure again) are outside the window.
 */
export async function timeWindow(
  config: RunConfigInput,
  { warmup = 3, window = 500, cadence = DEFAULT_CADENCES as Partial<Cadences> } = {},
): Promise<StepWindow> {
  const first = Math.max(1, warmup);
  const steps = first + window;
  const stamps: number[] = [];
  for await (const report of train({ ...config, cadence, steps })) {
    // Stamp t is taken once step t's values are on the host, so stamp[t] − stamp[t−1] is all of step t.
    if (report.step >= first - 1 && report.step <= steps - 1) stamps.push(performance.now());
  }
  return { firstStep: first, durations: stamps.slice(1).map((s, i) => s - stamps[i]!) };
}
