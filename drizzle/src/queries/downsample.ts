/**
 * Bucket arithmetic for server-side downsampling, kept pure so it is unit-tested apart from SQL; the queries in
 * series.ts evaluate exactly these formulas inside the database.
 */

/** Steps per row of the metric_blocks rollup (block = step / BLOCK_STEPS); migration 0002 repeats the number. */
export const BLOCK_STEPS = 16;

/**
 * Width in steps of each bucket when the steps firstStep..lastStep (inclusive) must fit in at most maxPoints
 * buckets: bucket(step) = floor((step - firstStep) / width), so there are ceil(span / width) <= maxPoints of them.
 * A width above BLOCK_STEPS is rounded up to a multiple of it, so that buckets starting at a block boundary are
 * whole blocks of the rollup (a few fewer buckets than maxPoints, never more).
 */
export function bucketWidth(firstStep: number, lastStep: number, maxPoints: number): number {
  assertPositiveInt('maxPoints', maxPoints);
  const span = lastStep - firstStep + 1;
  const width = Math.max(1, Math.ceil(span / maxPoints));
  return width > BLOCK_STEPS ? Math.ceil(width / BLOCK_STEPS) * BLOCK_STEPS : width;
}

export function bucketOf(step: number, firstStep: number, width: number): number {
  return Math.floor((step - firstStep) / width);
}

/**
 * Whether row `index` (0-based, in step order) of `count` rows is kept when at most `max` rows may be returned.
 * Scaling the index into 0..max-1, a row is kept when it is the first to reach a new integer, i.e. the rows
 * ceil(k * (count - 1) / (max - 1)) for k = 0..max-1: exactly `max` rows, always the first and the last, evenly
 * spread. With max = 1 every scaled index is 0, so only the first row is kept. The SQL in readSpectra mirrors
 * this with integer division.
 */
export function keepsIndex(index: number, count: number, max: number): boolean {
  if (count <= max) return true;
  if (index === 0) return true;
  const scaled = (i: number) => Math.floor((i * (max - 1)) / (count - 1));
  return scaled(index) > scaled(index - 1);
}

export function assertPositiveInt(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}
