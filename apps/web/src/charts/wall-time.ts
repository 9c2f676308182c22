/** Series id of the stored wall time: seconds since training started, one point per reported step. */
export const WALL_TIME = 'wall_time';

/** Which quantity a chart's x axis shows. */
export type XAxisKind = 'step' | 'wall';

/** A step → wall-time mapping for one run, with the axis unit its longest time reads best in. */
export interface WallTimeAxis {
  /** Seconds at `step`: exact where stored, linear between stored points, null outside them (never made up). */
  toX(step: number): number | null;
  /** Latest wall time (s). */
  max: number;
  unit: WallTimeUnit;
}

export interface WallTimeUnit {
  /** `s`, `min` or `h`. */
  name: string;
  /** Seconds per unit. */
  seconds: number;
}

/** s up to 2 minutes, min up to 2 hours, h beyond. */
export function wallTimeUnit(maxSeconds: number): WallTimeUnit {
  if (maxSeconds >= 7200) return { name: 'h', seconds: 3600 };
  if (maxSeconds >= 120) return { name: 'min', seconds: 60 };
  return { name: 's', seconds: 1 };
}

/** A tick in the axis unit: `90` s → `1.5` on a min axis. */
export function formatWallTick(seconds: number, unit: WallTimeUnit): string {
  const v = seconds / unit.seconds;
  if (v === 0) return '0';
  return Number(v.toPrecision(Math.abs(v) >= 100 ? 4 : 3)).toString();
}

/** A time for a tooltip: `42.1 s`, `3.5 min`, `2.25 h`. */
export function formatWallTime(seconds: number): string {
  const unit = wallTimeUnit(seconds);
  return `${formatWallTick(seconds, unit)} ${unit.name}`;
}

/**
 * Builds the mapping from a step column and its wall_time column (null where not stored). Downsampled history
 * keeps some steps only; a step between two stored points gets the straight line between them. Returns null when
 * the run has no wall-time record at all (runs stored before it was kept).
 */
export function wallTimeAxis(
  steps: readonly number[],
  wall: readonly (number | null)[] | undefined,
): WallTimeAxis | null {
  if (!wall) return null;
  const xs: number[] = [];
  const ts: number[] = [];
  for (let i = 0; i < steps.length; i++) {
    const t = wall[i];
    const step = steps[i];
    if (t === null || t === undefined || !Number.isFinite(t) || step === undefined) continue;
    if (xs.length > 0 && step <= (xs.at(-1) as number)) continue;
    xs.push(step);
    ts.push(t);
  }
  if (xs.length === 0) return null;
  const max = ts.reduce((a, b) => Math.max(a, b), 0);
  const toX = (step: number): number | null => {
    const first = xs[0] as number;
    const last = xs.at(-1) as number;
    if (step < first || step > last) return null;
    let lo = 0;
    let hi = xs.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((xs[mid] as number) <= step) lo = mid;
      else hi = mid;
    }
    const s0 = xs[lo] as number;
    const t0 = ts[lo] as number;
    if (step === s0) return t0;
    const s1 = xs[hi] as number;
    const t1 = ts[hi] as number;
    if (step === s1) return t1;
    return t0 + ((t1 - t0) * (step - s0)) / (s1 - s0);
  };
  return { toX, max, unit: wallTimeUnit(max) };
}
