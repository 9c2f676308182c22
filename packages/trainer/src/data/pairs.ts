/** The full task grid: every (a, b) in Z_p × Z_p, a-major (pair index n = a·p + b), label (a + b) mod p. */
export interface PairGrid {
  p: number;
  a: Int32Array;
  b: Int32Array;
  label: Int32Array;
}

export function allPairs(p: number): PairGrid {
  const size = p * p;
  const a = new Int32Array(size);
  const b = new Int32Array(size);
  const label = new Int32Array(size);
  for (let n = 0; n < size; n++) {
    const x = Math.floor(n / p);
    const y = n - x * p;
    a[n] = x;
    b[n] = y;
    label[n] = (x + y) % p;
  }
  return { p, a, b, label };
}

/** The operands and labels of the given pair indices. */
export function selectPairs(
  grid: PairGrid,
  indices: Int32Array,
): { a: Int32Array; b: Int32Array; label: Int32Array } {
  const a = new Int32Array(indices.length);
  const b = new Int32Array(indices.length);
  const label = new Int32Array(indices.length);
  indices.forEach((n, i) => {
    a[i] = grid.a[n]!;
    b[i] = grid.b[n]!;
    label[i] = grid.label[n]!;
  });
  return { a, b, label };
}
