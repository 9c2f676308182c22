/** Dense float64 linear algebra for the RFM (row-major n×n Float64Arrays). Plain TypeScript: n ≤ a few thousand. */
import { symmetricEigen } from '../fourier/pca.ts';

/**
 * Lower Cholesky factor of `matrix` + jitter·I, written into `out` (the lower triangle; the upper is left as is).
 * Returns false when a pivot is not positive: the matrix is not (numerically) positive definite with that jitter.
 */
export function choleskyInto(matrix: Float64Array, n: number, jitter: number, out: Float64Array): boolean {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = matrix[rowJ + j]! + jitter;
    for (let k = 0; k < j; k++) d -= out[rowJ + k]! * out[rowJ + k]!;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    out[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = matrix[rowI + j]!;
      for (let k = 0; k < j; k++) s -= out[rowI + k]! * out[rowJ + k]!;
      out[rowI + j] = s / ljj;
    }
  }
  return true;
}

/**
 * Factor of K + λI. When λ = 0 (ridgeless) or the factorisation fails, jitter grows from 1e-10·mean diag by ×100
 * until it succeeds (measures.md §7: "add 1e-10 jitter only if the solve fails"). Returns the jitter actually added.
 */
export function choleskyWithJitter(
  matrix: Float64Array,
  n: number,
  ridge: number,
  out: Float64Array,
): { jitter: number } {
  if (choleskyInto(matrix, n, ridge, out)) return { jitter: ridge };
  let trace = 0;
  for (let i = 0; i < n; i++) trace += matrix[i * n + i]!;
  const scale = Math.max(trace / n, Number.MIN_VALUE);
  for (let jitter = 1e-10 * scale; jitter <= scale; jitter *= 100) {
    if (choleskyInto(matrix, n, ridge + jitter, out)) return { jitter: ridge + jitter };
  }
  throw new Error('RFM: the kernel matrix is not positive definite even with jitter (bandwidth too small?)');
}

/** Solves L Lᵀ X = B in place for B [n × m] (row-major), L the lower factor from `choleskyInto`. */
export function choleskySolveInPlace(L: Float64Array, n: number, B: Float64Array, m: number): void {
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let k = 0; k < i; k++) {
      const lik = L[rowI + k]!;
      if (lik === 0) continue;
      for (let c = 0; c < m; c++) B[i * m + c]! -= lik * B[k * m + c]!;
    }
    const inv = 1 / L[rowI + i]!;
    for (let c = 0; c < m; c++) B[i * m + c]! *= inv;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const lki = L[k * n + i]!;
      if (lki === 0) continue;
      for (let c = 0; c < m; c++) B[i * m + c]! -= lki * B[k * m + c]!;
    }
    const inv = 1 / L[i * n + i]!;
    for (let c = 0; c < m; c++) B[i * m + c]! *= inv;
  }
}

/** C = A B for A [n × k], B [k × m]. */
export function matMul(A: Float64Array, B: Float64Array, n: number, k: number, m: number): Float64Array {
  const C = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < k; l++) {
      const a = A[i * k + l]!;
      if (a === 0) continue;
      for (let j = 0; j < m; j++) C[i * m + j]! += a * B[l * m + j]!;
    }
  }
  return C;
}

/**
 * G^s of a symmetric PSD matrix by eigendecomposition, negative eigenvalues (rounding) clipped to 0, the result
 * symmetrised exactly. `relativeFloor`: eigenvalues below it × the largest are clipped too (for a G accumulated in
 * float32, whose rounding-level eigenvalues a fractional power would otherwise amplify).
 */
export function symmetricPower(G: Float64Array, n: number, power: number, relativeFloor = 0): Float64Array {
  const { values, vectors } = symmetricEigen(G, n);
  const floor = relativeFloor * Math.max(0, ...values);
  const out = new Float64Array(n * n);
  values.forEach((value, j) => {
    if (!(value > 0) || value < floor) return;
    const w = value ** power;
    const v = vectors[j]!;
    for (let a = 0; a < n; a++) {
      const va = w * v[a]!;
      if (va === 0) continue;
      for (let b = a; b < n; b++) out[a * n + b]! += va * v[b]!;
    }
  });
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) out[a * n + b] = out[b * n + a]!;
  return out;
}
