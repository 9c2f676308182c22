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
 * The cadence keys whose default cadence (500, 1000) is longer than the window we can afford for slow
 * configurations: the default-cadence run moves each to a probe cadence at steps where nothing else is due (97 and
 * 89 are prime, no multiple of either below 970 is a multiple of 10, and their first common multiple is 8633), and
 * `amortisedMs` scales each one's cost back to its default rate.
 */
export const PROBE_CADENCES = { gradient_symmetry: 97, input_agop: 89 } as const;
type ProbedKey = keyof typeof PROBE_CADENCES;
const PROBED_KEYS = Object.keys(PROBE_CADENCES) as ProbedKey[];

/**
 * Mean ms per step with every measure at its default cadence, amortised. A window holding a whole multiple of the
 * largest cadence is already that mean; a shorter one (a multiple of 100, run with PROBE_CADENCES) holds every
 * other measure at its default rate, and each probed key's extra cost — its steps minus the steps with only
 * per-step measures — is rescaled from its probe rate to its default rate.
 */
export function amortisedMs(window: StepWindow, probed: boolean): number {
  const { durations, firstStep } = window;
  const windowMean = mean(durations);
  if (!probed) return windowMean;
  const stepAt = (i: number) => firstStep + i;
  const probedAt = (i: number, key: ProbedKey) => stepAt(i) % PROBE_CADENCES[key] === 0;
  const plainSteps = durations.filter(
    (_, i) => stepAt(i) % 10 !== 0 && PROBED_KEYS.every((key) => !probedAt(i, key)),
  );
  let amortised = windowMean;
  for (const key of PROBED_KEYS) {
    const keySteps = durations.filter((_, i) => probedAt(i, key));
    if (keySteps.length === 0) continue;
    const keyMs = mean(keySteps) - median(plainSteps);
    amortised -= keyMs * (keySteps.length / durations.length - 1 / DEFAULT_CADENCES[key]);
  }
  return amortised;
}

/**
 * The measures' share of a default-cadence step inside its own window: the amortised mean against the mean of the
 * window's steps where no periodic measure is due (only the per-step weight norm, which the native graph computes
 * on every step anyway). Both halves come from the same minutes, so the machine's drift between windows (±20 %
 * on the development VM) does not enter it, as it does `overheadPct` (against separate measures-off windows).
 */
export function inWindowOverheadPct(window: StepWindow, probed: boolean): number {
  const { durations, firstStep } = window;
  const cadences = [
    ...Object.values(DEFAULT_CADENCES).filter((c) => c > 1),
    ...(probed ? Object.values(PROBE_CADENCES) : []),
  ];
  const plain = durations.filter((_, i) => cadences.every((c) => (firstStep + i) % c !== 0));
  const amortised = amortisedMs(window, probed);
  return ((amortised - mean(plain)) / amortised) * 100;
}

/** Whether a window covers whole cycles of every default cadence (then no probe is needed). */
export function coversAllCadences(window: number): boolean {
  return Object.values(DEFAULT_CADENCES).every((c) => window % c === 0);
}
