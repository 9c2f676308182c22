/**
 * For a gather of table rows by `ids` (ids[i] is the row that position i reads), each row's positions, padded to
 * the most any row has with `ids.length` (which the backward points at a zero row). The backward of the gather,
 * a scatter-add of the positions' gradients into their rows, becomes a Gather of this map and a ReduceSum over its
 * second axis: O(rows · width · most) work, where a one-hot product costs O(rows · positions · width) and the
 * runtime's ScatterElements with reduction 'add' is slower still (ops.gatherRows).
 */
export function rowPositions(ids: ArrayLike<number>, rows: number): { values: BigInt64Array; width: number } {
  const counts = new Int32Array(rows);
  for (let i = 0; i < ids.length; i++) counts[ids[i]!]! += 1;
  const width = Math.max(1, ...counts);
  const values = new BigInt64Array(rows * width).fill(BigInt(ids.length));
  counts.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const row = ids[i]!;
    values[row * width + counts[row]!] = BigInt(i);
    counts[row]! += 1;
  }
  return { values, width };
}
