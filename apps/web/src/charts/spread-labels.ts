/**
 * Positions for labels anchored at `ys` (pixels, any order) so that no two are closer than `gap`, staying within
 * [lo, hi] and as near their anchors as possible. Greedy: sort, push down, then pull back up from the bottom.
 * Used for the key-frequency labels, whose rows can be only a few pixels apart.
 */
export function spreadLabels(ys: readonly number[], gap: number, lo: number, hi: number): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  const placed = order.map((o) => Math.min(hi, Math.max(lo, o.y)));
  for (let j = 1; j < placed.length; j++) {
    placed[j] = Math.max(placed[j] as number, (placed[j - 1] as number) + gap);
  }
  const overflow = (placed.at(-1) ?? lo) - hi;
  if (overflow > 0) {
    placed[placed.length - 1] = hi;
    for (let j = placed.length - 2; j >= 0; j--) {
      placed[j] = Math.min(placed[j] as number, (placed[j + 1] as number) - gap);
    }
  }
  const out = new Array<number>(ys.length);
  order.forEach((o, j) => {
    out[o.i] = placed[j] as number;
  });
  return out;
}
