/**
 * Bucket arithmetic for server-side downsampling, kept pure so it is unit-tested apart from SQL; the queries in
 * series.ts evaluate exactly these formulas inside the database.
 */

/** Block sizes (steps) of the metric_blocks rollup, smallest first; migration 0002 repeats them. */
export const BLOCK_SIZES = [16, 64] as const;

/**
 * Width in steps of each bucket when the steps firstStep..lastStep (inclusive) must fit in at most maxPoints
 * buckets: bucket(step) = floor((step - firstStep) / width), so there are ceil(span / width) <= maxPoints of them.
 * A width above 16 is rounded up to a multiple of 16, and one of 128 or more to a multiple of 64, so that buckets
 * starting at a block boundary are whole blocks of the rollup (fewer buckets than maxPoints, never more; at
 * worst a third fewer, at widths just above 128).
 */
export function bucketWidth(firstStep: number, lastStep: number, maxPoints: number): number {
  assertPositiveInt('maxPoints', maxPoints);
  const span = lastStep - firstStep + 1;
  const width = Math.max(1, Math.ceil(span / maxPoints));
  const [small, large] = BLOCK_SIZES;
  if (width >= 2 * large) return Math.ceil(width / large) * large;
  if (width > small) return Math.ceil(width / small) * small;
  return width;
}

/**
 * The largest rollup block size whose blocks tile the buckets: it divides `width` and `firstStep`, and a range
 * ending at `toStep` does not end inside one of its blocks. Undefined: aggregate the points.
 */
export function blockSizeFor(firstStep: number, width: number, toStep?: number): number | undefined {
  return [...BLOCK_SIZES]
    .reverse()
    .find(
      (size) =>
        width % size === 0 && firstStep % size === 0 && (toStep === undefined || (toStep + 1) % size === 0),
    );
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
