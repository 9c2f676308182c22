import { grokStep } from './grokking.ts';

/** The records a forecast reads: parallel arrays in step order (NaN entries are ignored). */
export interface ForecastSeries {
  steps: readonly number[];
  testAcc: readonly number[];
  testLoss: readonly number[];
  /** Total weight norm W2 at the same steps (optional: a falling norm is the clean-up's signature, §4.6). */
  weightNorm?: readonly number[];
}

export type ForecastBasis = 'observed' | 'test_accuracy' | 'test_loss';

/** When test accuracy is expected to cross the grokking threshold for good, with a range. */
export interface GrokForecast {
  /** Point estimate of the grokking step. */
  step: number;
  /** Range of the estimate (low ≤ step ≤ high); equal to `step` when observed. */
  low: number;
  high: number;
  /**
   * What it extrapolates: `test_accuracy` (the logit of test accuracy, once it has left the floor), `test_loss`
   * (its fall, bracketed by a linear and an exponential extrapolation), or `observed` (already grokked).
   */
  basis: ForecastBasis;
}

export interface ForecastOptions {
  /** The grokking threshold on test accuracy (the product's rule: 0.99). */
  threshold?: number;
  /**
   * Test loss at which test accuracy reaches the threshold: the target of the test-loss basis. 0.07 is what p = 59
   * MLP runs show at 0.99 (measured: 0.066 at lr 1e-3 and 3e-3; docs/measures.md).
   */
  lossAtThreshold?: number;
  /** Fraction of the steps so far that the trend is fitted on (the latest ones). */
  window?: number;
}

interface Point {
  t: number;
  y: number;
}

/** Least-squares line y = a + b·t; null with fewer than 3 points or no spread in t. */
function fitLine(points: readonly Point[]): { a: number; b: number } | null {
  const n = points.length;
  if (n < 3) return null;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let stt = 0;
  let sty = 0;
  for (const p of points) {
    stt += (p.t - mt) ** 2;
    sty += (p.t - mt) * (p.y - my);
  }
  if (stt === 0) return null;
  const b = sty / stt;
  return { a: my - b * mt, b };
}

/** Step at which the line reaches `target` going the way it goes, if it gets there after `now`; else null. */
function crossing(line: { a: number; b: number } | null, target: number, now: number): number | null {
  if (line === null || line.b === 0) return null;
  const t = (target - line.a) / line.b;
  return Number.isFinite(t) && t > now ? t : null;
}

const logit = (x: number): number => {
  const c = Math.min(Math.max(x, 1e-4), 1 - 1e-4);
  return Math.log(c / (1 - c));
};

/**
 * Forecast of the grokking step (the first step from which test accuracy stays ≥ threshold) while a run trains.
 * Rule (ours), on the records of the latest `window` of the run:
 * - already grokked (grokStep) → that step, basis `observed`;
 * - test accuracy has left the floor (latest > 0.05, more than 3 records above 0.02 in the window) and rises: fit
 *   logit(test acc) against steps (a logistic rise is a line there) and extrapolate to logit(threshold); the range
 *   is the spread of the same fit over the half and the full window (late rises steepen: the half window is the
 *   early end);
 * - else, test loss falls (both its linear and its log-linear fit slope down): the fall's shape lies between
 *   linear (too early: it slows near 0) and exponential (too late: it accelerates in the clean-up), so low =
 *   the linear extrapolation to `lossAtThreshold`, high = the log-linear one, step = their geometric mean;
 * - else (memorisation plateau: test loss flat or rising) null — no trend to extrapolate. A falling weight norm
 *   alone does not say when the clean-up ends, so it does not make a forecast (see docs/measures.md).
 */
export function forecastGrokStep(series: ForecastSeries, options: ForecastOptions = {}): GrokForecast | null {
  const threshold = options.threshold ?? 0.99;
  const target = options.lossAtThreshold ?? 0.07;
  const window = options.window ?? 0.25;
  const { steps, testAcc, testLoss } = series;
  if (steps.length === 0) return null;
  const observed = grokStep(steps, testAcc, threshold);
  if (observed !== null) return { step: observed, low: observed, high: observed, basis: 'observed' };
  const now = steps[steps.length - 1]!;
  const since = (fraction: number) => now - Math.max(fraction * now, 1);
  const recent = (values: readonly number[], fraction: number, transform: (x: number) => number): Point[] =>
    steps.flatMap((t, i) => {
      const v = values[i]!;
      return t >= since(fraction) && Number.isFinite(v) ? [{ t, y: transform(v) }] : [];
    });

  const accPoints = recent(testAcc, window, (x) => x).filter((p) => p.y > 0.02);
  const latestAcc = [...testAcc].reverse().find((x) => Number.isFinite(x)) ?? 0;
  if (latestAcc > 0.05 && accPoints.length > 3) {
    const goal = logit(threshold);
    const estimates = [window / 2, window].flatMap((f) => {
      const points = recent(testAcc, f, logit).filter((p) => p.y > logit(0.02));
      const line = fitLine(points);
      const t = line !== null && line.b > 0 ? crossing(line, goal, now) : null;
      return t === null ? [] : [t];
    });
    if (estimates.length > 0) {
      const step = Math.sqrt(Math.min(...estimates) * Math.max(...estimates));
      // The range spans every basis that has an estimate: the two accuracy fits and the test-loss bracket.
      const all = [...estimates, ...(lossBracket() ?? [])];
      return rounded(step, Math.min(...all), Math.max(...all), 'test_accuracy');
    }
  }
  const bracket = lossBracket();
  if (bracket === null) return null;
  const [low, high] = bracket;
  return rounded(Math.sqrt(low * high), low, high, 'test_loss');

  /** [linear, log-linear] extrapolations of the falling test loss to `target`, or null if it does not fall. */
  function lossBracket(): [number, number] | null {
    const linear = fitLine(recent(testLoss, window, (x) => x));
    const logLinear = fitLine(recent(testLoss, window, (x) => Math.log(Math.max(x, 1e-12))));
    if (linear === null || logLinear === null || linear.b >= 0 || logLinear.b >= 0) return null;
    const early = crossing(linear, target, now);
    const late = crossing(logLinear, Math.log(target), now);
    return early === null || late === null ? null : [Math.min(early, late), Math.max(early, late)];
  }
}

function rounded(step: number, low: number, high: number, basis: ForecastBasis): GrokForecast {
  return {
    step: Math.round(step),
    low: Math.round(Math.min(low, step)),
    high: Math.round(Math.max(high, step)),
    basis,
  };
}
