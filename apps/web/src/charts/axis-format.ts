/** Axis tick and readout formats shared by the charts (one definition, so every chart writes numbers alike). */

/** A value tick: 3 significant digits, exponent form outside [0.01, 10⁴). */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e4 || abs < 1e-2) return value.toExponential(0);
  return Number(value.toPrecision(3)).toString();
}

/** A step tick: thousands as `12.5k` from 10 000 on, the step itself below. */
export function formatStepTick(step: number): string {
  return Math.abs(step) >= 10_000 ? `${Number((step / 1000).toPrecision(3))}k` : String(step);
}

/** A step tick for an axis whose ticks may fall between steps (aligned or zoomed x): whole steps below 10 000. */
export function formatWholeStepTick(x: number): string {
  return formatStepTick(Math.abs(x) >= 10_000 ? x : Math.round(x));
}

/** The axis end: the longest time rounded up to a readable number of its unit. */
export function niceMax(seconds: number, unit: number): number {
  const v = Math.max(seconds / unit, 1e-3);
  const magnitude = 10 ** Math.floor(Math.log10(v));
  const nice = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * magnitude >= v) ?? 10;
  return nice * magnitude * unit;
}
