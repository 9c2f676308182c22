import type { Operation } from '../config.ts';

/** The full task grid: every (a, b) in Z_p × Z_p, a-major (pair index n = a·p + b), label (a op b) mod p. */
export interface PairGrid {
  p: number;
  a: Int32Array;
  b: Int32Array;
  label: Int32Array;
}

/**
 * The grid keeps all p² pairs for every operation so pair indices (and the split's permutation) do not depend on it.
 * Division by b = 0 is undefined: those p pairs get the placeholder label 0 and `splitPairs` leaves them out of
 * both train and test; only all-pairs measures (§4, which assume addition anyway) ever see them.
 */
export function allPairs(p: number, operation: Operation = 'add'): PairGrid {
  const size = p * p;
  const a = new Int32Array(size);
  const b = new Int32Array(size);
  const label = new Int32Array(size);
  const inverse = operation === 'div' ? inverses(p) : undefined;
  for (let n = 0; n < size; n++) {
    const x = Math.floor(n / p);
    const y = n - x * p;
    a[n] = x;
    b[n] = y;
    label[n] = applyOperation(operation, x, y, p, inverse);
  }
  return { p, a, b, label };
}

/** (x op y) mod p for x, y in Z_p; division uses the inverse table (y = 0 gives 0, see `allPairs`). */
export function applyOperation(
  operation: Operation,
  x: number,
  y: number,
  p: number,
  inverse?: Int32Array,
): number {
  switch (operation) {
    case 'add':
      return (x + y) % p;
    case 'sub':
      return (x - y + p) % p;
    case 'mul':
      return (x * y) % p;
    case 'div':
      // Only division needs the table; a default parameter built it for every pair of every operation.
      return y === 0 ? 0 : (x * (inverse ?? inverses(p))[y]!) % p;
  }
}

/** Multiplicative inverses mod the prime p (index 0 holds 0), by Fermat: y⁻¹ = y^(p−2). */
export function inverses(p: number): Int32Array {
  const out = new Int32Array(p);
  for (let y = 1; y < p; y++) {
    let result = 1;
    let base = y;
    for (let e = p - 2; e > 0; e = Math.floor(e / 2)) {
      if (e % 2 === 1) result = (result * base) % p;
      base = (base * base) % p;
    }
    out[y] = result;
  }
  return out;
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
