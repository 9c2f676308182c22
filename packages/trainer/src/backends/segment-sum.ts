/**
 * target[s·row .. (s+1)·row) += source[i·row .. (i+1)·row) for every i with ids[i] = s in [0, numSegments); ids out
 * of range are dropped, as in TensorFlow. `target` must start zeroed. The summation order is fixed (ascending i),
 * so results are deterministic.
 */
export function segmentSumRows(
  source: ArrayLike<number>,
  ids: ArrayLike<number>,
  numSegments: number,
  target: { [index: number]: number; length: number },
): void {
  const rowSize = ids.length === 0 ? 0 : source.length / ids.length;
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i]!;
    if (s < 0 || s >= numSegments) continue;
    const from = i * rowSize;
    const to = s * rowSize;
    for (let j = 0; j < rowSize; j++) target[to + j] = target[to + j]! + source[from + j]!;
  }
}
