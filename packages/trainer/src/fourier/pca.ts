/**
 * PCA of a token embedding and the circle measures built on it (measures.md §5.3), on the host in float64.
 *
 * **Choice (why the host):** tfjs has no SVD or eigensolver. The embedding is small (p ≤ 257 rows), so the measure
 * reads it back once (an awaited read before the step, at the circularity cadence only), forms the smaller of the p×p Gram matrix
 * G = X_c X_cᵀ and the d×d scatter matrix X_cᵀ X_c of the column-centred rows and diagonalises it with cyclic
 * Jacobi in float64. Eigenvectors u_j of G with eigenvalues σ_j² give the PC scores z_j = X_c v_j = σ_j u_j.
 * Cost: O(p·d·min(p, d)) plus ~3n³ per Jacobi sweep, n = min(p, d) (6–10 sweeps): ~50 ms at p = 59 and ~80 ms at
 * p = 113 (d = 128), on the host; circularity and embed_principal_components share one decomposition (cache). Subspace iteration on the device would need a QR per iteration (also
 * missing in tfjs) and many small read-backs; Jacobi is exact, deterministic and simpler.
 */
import { frequencyCount } from './basis.ts';

/** Eigen-decomposition of a symmetric n×n matrix (row-major, float64) by cyclic Jacobi; values descending. */
export function symmetricEigen(
  matrix: ArrayLike<number>,
  n: number,
): { values: number[]; vectors: number[][] } {
  const A = Float64Array.from(matrix as ArrayLike<number>);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += A[i]! * A[i]!;
  const tolerance = 1e-30 * Math.max(scale, Number.MIN_VALUE);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += A[i * n + j]! * A[i * n + j]!;
    if (off <= tolerance) break;
    for (let i = 0; i < n - 1; i++) {
      for (let j = i + 1; j < n; j++) {
        const aij = A[i * n + j]!;
        if (aij === 0) continue;
        const aii = A[i * n + i]!;
        const ajj = A[j * n + j]!;
        const theta = (ajj - aii) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const aki = A[k * n + i]!;
          const akj = A[k * n + j]!;
          A[k * n + i] = c * aki - s * akj;
          A[k * n + j] = s * aki + c * akj;
        }
        for (let k = 0; k < n; k++) {
          const aik = A[i * n + k]!;
          const ajk = A[j * n + k]!;
          A[i * n + k] = c * aik - s * ajk;
          A[j * n + k] = s * aik + c * ajk;
        }
        for (let k = 0; k < n; k++) {
          const vki = V[k * n + i]!;
          const vkj = V[k * n + j]!;
          V[k * n + i] = c * vki - s * vkj;
          V[k * n + j] = s * vki + c * vkj;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => A[y * n + y]! - A[x * n + x]!);
  return {
    values: order.map((i) => A[i * n + i]!),
    vectors: order.map((i) => Array.from({ length: n }, (_, k) => V[k * n + i]!)),
  };
}

/** Eigen-decomposition of X Xᵀ [p, p], eigenvectors as unit score directions (scores = σ_j·u_j). */
function gramScores(X: Float64Array, p: number, d: number): { values: number[]; vectors: number[][] } {
  const G = new Float64Array(p * p);
  for (let x = 0; x < p; x++) {
    for (let y = x; y < p; y++) {
      let v = 0;
      for (let i = 0; i < d; i++) v += X[x * d + i]! * X[y * d + i]!;
      G[x * p + y] = v;
      G[y * p + x] = v;
    }
  }
  return symmetricEigen(G, p);
}

/** The same from Xᵀ X [d, d] (d < p): u_j = X v_j / σ_j, so the caller's σ_j·u_j is X v_j. */
function scatterScores(X: Float64Array, p: number, d: number): { values: number[]; vectors: number[][] } {
  const S = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let v = 0;
      for (let x = 0; x < p; x++) v += X[x * d + i]! * X[x * d + j]!;
      S[i * d + j] = v;
      S[j * d + i] = v;
    }
  }
  const { values, vectors } = symmetricEigen(S, d);
  return {
    values,
    vectors: vectors.map((v, j) => {
      const sigma = Math.sqrt(Math.max(values[j]!, 0));
      return Array.from({ length: p }, (_, x) => {
        let z = 0;
        for (let i = 0; i < d; i++) z += X[x * d + i]! * v[i]!;
        return sigma > 0 ? z / sigma : 0;
      });
    }),
  };
}

/**
 * PC scores z_j ∈ R^p (j < count) of a token-major embedding `rows` [p × d] (row-major, any float array): columns
 * centred, components by decreasing variance. Each score vector's sign is fixed so that its largest-magnitude
 * entry is positive (stable plots). Components with no variance (σ_j² ≤ 1e-12·σ_1², or beyond the rank) are zero.
 */
export function principalScores(rows: ArrayLike<number>, p: number, d: number, count: number): number[][] {
  const X = new Float64Array(p * d);
  for (let i = 0; i < d; i++) {
    let mean = 0;
    for (let x = 0; x < p; x++) mean += rows[x * d + i]!;
    mean /= p;
    for (let x = 0; x < p; x++) X[x * d + i] = rows[x * d + i]! - mean;
  }
  // Diagonalise the smaller of the Gram matrix X_c X_cᵀ [p, p] (eigenvectors u_j: scores σ_j u_j) and the scatter
  // matrix X_cᵀ X_c [d, d] (eigenvectors v_j: scores X_c v_j); both have the eigenvalues σ_j².
  const { values, vectors } = d < p ? scatterScores(X, p, d) : gramScores(X, p, d);
  const top = Math.max(values[0] ?? 0, 0);
  const scores: number[][] = [];
  for (let j = 0; j < count; j++) {
    const value = values[j] ?? 0;
    if (j >= p || value <= 1e-12 * top || value <= 0) {
      scores.push(new Array<number>(p).fill(0));
      continue;
    }
    const sigma = Math.sqrt(value);
    const u = vectors[j]!;
    let peak = 0;
    for (const v of u) if (Math.abs(v) > Math.abs(peak)) peak = v;
    const sign = peak < 0 ? -1 : 1;
    scores.push(u.map((v) => sign * sigma * v));
  }
  return scores;
}

/**
 * Energy share of each frequency k = 1..K in a score vector z (index 0 is k = 1):
 * (ẑ_{2k−1}² + ẑ_{2k}²)/‖z‖² = 2|Z(k)|²/(p‖z‖²), with Z the complex DFT. All zeros for a zero vector.
 */
export function frequencyShares(z: readonly number[]): number[] {
  const p = z.length;
  const K = frequencyCount(p);
  let norm = 0;
  for (const v of z) norm += v * v;
  const shares: number[] = [];
  for (let k = 1; k <= K; k++) {
    let re = 0;
    let im = 0;
    for (let x = 0; x < p; x++) {
      const angle = ((2 * Math.PI) / p) * ((k * x) % p);
      re += z[x]! * Math.cos(angle);
      im -= z[x]! * Math.sin(angle);
    }
    shares.push(norm > 0 ? Math.min(1, Math.max(0, (2 * (re * re + im * im)) / (p * norm))) : 0);
  }
  return shares;
}

let last: { rows: Float64Array; p: number; d: number; count: number; scores: number[][] } | undefined;

/**
 * principalScores with a one-entry cache on the exact input values: circularity and embed_principal_components
 * share a cadence and read the same embedding, so the second one reuses the decomposition (an O(p·d) compare
 * instead of an O(p³) solve).
 */
export function principalScoresCached(
  rows: ArrayLike<number>,
  p: number,
  d: number,
  count: number,
): number[][] {
  if (last && last.p === p && last.d === d && last.count >= count && last.rows.length === rows.length) {
    let same = true;
    for (let i = 0; i < rows.length && same; i++) same = last.rows[i] === rows[i];
    if (same) return last.scores.slice(0, count);
  }
  const scores = principalScores(rows, p, d, count);
  last = { rows: Float64Array.from(rows as ArrayLike<number>), p, d, count, scores };
  return scores;
}

/** Circularity (measures.md §5.3): mean over the first 4 PCs of their best single-frequency share ρ_j. */
export function circularityOf(rows: ArrayLike<number>, p: number, d: number, components = 4): number {
  const scores = principalScoresCached(rows, p, d, Math.max(8, components)).slice(0, components);
  let total = 0;
  for (const z of scores) total += Math.max(0, ...frequencyShares(z));
  return total / components;
}
