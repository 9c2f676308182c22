/**
 * Min/max decimation for drawing: splits `n` points into buckets and keeps, per bucket, the first point plus the
 * points holding the bucket's minimum and maximum of any channel, in order. Spikes (a loss blow-up, the grokking
 * cliff) survive, which plain striding would drop. Returns indices into the input, ascending.
 */
export function decimationIndices(
  n: number,
  channels: readonly (readonly (number | null)[])[],
  maxPoints: number,
): number[] {
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  // Each bucket contributes up to 1 + 2·channels points; size the buckets so the total stays near maxPoints.
  const perBucket = 1 + 2 * Math.max(1, channels.length);
  const buckets = Math.max(1, Math.floor(maxPoints / perBucket));
  const size = n / buckets;
  const keep = new Set<number>();
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(n, Math.floor((b + 1) * size));
    if (start >= end) continue;
    keep.add(start);
    for (const channel of channels) {
      let lo = -1;
      let hi = -1;
      for (let i = start; i < end; i++) {
        const v = channel[i];
        if (v === null || v === undefined || !Number.isFinite(v)) continue;
        if (lo < 0 || v < (channel[lo] as number)) lo = i;
        if (hi < 0 || v > (channel[hi] as number)) hi = i;
      }
      if (lo >= 0) keep.add(lo);
      if (hi >= 0) keep.add(hi);
    }
  }
  keep.add(n - 1); // the newest point is always drawn, so a live curve visibly reaches the present
  return [...keep].sort((a, b) => a - b);
}
