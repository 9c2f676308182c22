/**
 * Mahalanobis kernels on one-hot pair inputs x = e_a ⊕ e_b ∈ R^{2p} (measures.md §7). Each input has exactly two
 * ones (coordinates a and p + b), so xᵀ M z is a sum of four entries of M: kernel matrices cost O(n·m), never the
 * O(n·m·p²) of dense feature vectors.
 */
import type { RfmModelConfig } from '../config.ts';

/** Operands of a set of pairs; coordinates of x are a (first block) and p + b (second block). */
export interface PairInputs {
  a: Int32Array;
  b: Int32Array;
}

/** xᵀ M z for the one-hot pairs x = (a1, b1), z = (a2, b2); M is symmetric [2p × 2p] row-major. */
function bilinear(M: Float64Array, p: number, a1: number, b1: number, a2: number, b2: number): number {
  const q = 2 * p;
  const r1 = a1 * q;
  const r2 = (p + b1) * q;
  return M[r1 + a2]! + M[r1 + p + b2]! + M[r2 + a2]! + M[r2 + p + b2]!;
}

/** xᵀ M x for every pair. */
function selfForms(M: Float64Array, p: number, x: PairInputs): Float64Array {
  const out = new Float64Array(x.a.length);
  for (let i = 0; i < out.length; i++) out[i] = bilinear(M, p, x.a[i]!, x.b[i]!, x.a[i]!, x.b[i]!);
  return out;
}

/**
 * Linear Mahalanobis kernel xᵀ M z [rows × cols] (the inner product the quadratic kernel squares and its gradient
 * reuses).
 */
export function linearKernel(M: Float64Array, p: number, rows: PairInputs, cols: PairInputs): Float64Array {
  const n = rows.a.length;
  const m = cols.a.length;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const ai = rows.a[i]!;
    const bi = rows.b[i]!;
    for (let j = 0; j < m; j++) out[i * m + j] = bilinear(M, p, ai, bi, cols.a[j]!, cols.b[j]!);
  }
  return out;
}

/**
 * k(x, z) for every row × column pair: Gaussian exp(−‖x − z‖²_M / D) with ‖x − z‖²_M = xᵀMx + zᵀMz − 2xᵀMz clamped
 * at 0 (rounding), or quadratic (xᵀMz)² (the released code's factor 3 is dropped: it rescales α only).
 */
export function kernelMatrix(
  model: RfmModelConfig,
  M: Float64Array,
  p: number,
  rows: PairInputs,
  cols: PairInputs,
): Float64Array {
  const out = linearKernel(M, p, rows, cols);
  if (model.kernel === 'QUADRATIC') {
    for (let i = 0; i < out.length; i++) out[i] = out[i]! * out[i]!;
    return out;
  }
  const rowSelf = selfForms(M, p, rows);
  const colSelf = selfForms(M, p, cols);
  const m = cols.a.length;
  const inv = 1 / model.bandwidth;
  for (let i = 0; i < rows.a.length; i++) {
    for (let j = 0; j < m; j++) {
      const d2 = Math.max(0, rowSelf[i]! + colSelf[j]! - 2 * out[i * m + j]!);
      out[i * m + j] = Math.exp(-d2 * inv);
    }
  }
  return out;
}
