/**
 * The most items a field returns for its (coerced) arguments, declared beside the field as
 * `extensions: { listSize }`. The server's cost limit multiplies a field's selection by it, so the caps a
 * resolver applies (a clamped `first`, names × points) are the ones the limit counts: one source for both.
 */
export type ListSize = (args: Readonly<Record<string, unknown>>) => number;

export const LIST_SIZE_EXTENSION = 'listSize';

/**
 * An optional Int argument as the resolver will use it: the default when absent, clamped to [min, max] (a
 * `first` above its cap is served capped). `refused`: a value the resolver refuses outright counts 1, so the
 * client gets that refusal naming the argument rather than a cost error.
 */
export function clampedInt(
  value: unknown,
  fallback: number,
  min: number,
  max: number,
  refused = false,
): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? value : fallback;
  if (refused && (n < min || n > max)) return 1;
  return Math.min(Math.max(n, min), max);
}

/** A list argument's length (0 when absent); above `max`, which the resolver refuses, 1. */
export function lengthOf(value: unknown, max = Number.POSITIVE_INFINITY): number {
  const n = Array.isArray(value) ? value.length : 0;
  return n > max ? 1 : n;
}
