/**
 * PCA of a token embedding and the circle measures built on it (measures.md §5.3), on the host in float64.
 *
 * **Choice (why the host):** tfjs has no SVD or eigensolver. The embedding is small (p ≤ 257 rows), so the measure
 * reads it back once (an awaited read before the step, at the circularity cadence only), forms the smaller of the p×p Gram matrix
 * G = X_c X_cᵀ and the d×d scatter matrix X_cᵀ X_c of the column-centred rows and diagonalises it in float64
 * (`symmetricEigen`). Eigenvectors u_j of G with eigenvalues σ_j² give the PC scores z_j = X_c v_j = σ_j u_j.
 * Cost: O(p·d·min(p, d)) plus ~10n³ for the decomposition, n = min(p, d): a few ms at p = 59 or 113 (d = 128);
 * circularity and embed_principal_components share one decomposition (cache). Subspace iteration on the device
 * would need a QR per iteration (also missing in tfjs) and many small read-backs.
 */
import { frequencyCount } from './basis.ts';

/**
 * Eigen-decomposition of a symmetric n×n matrix (row-major, float64); values descending, vectors unit length.
 * Householder reduction to tridiagonal form, then the implicit QL iteration with Wilkinson-type shifts, both
 * accumulating the orthogonal transformations (Wilkinson & Reinsch's tred2/tql2): about 10n³ flops, where the cyclic
 * Jacobi sweeps this replaced needed 6–10 sweeps of 6n³ (4–7 % of a default mlp-59 step on native went to them).
 */
export function symmetricEigen(
  matrix: ArrayLike<number>,
  n: number,
): { values: number[]; vectors: number[][] } {
  // V[i * n + j]: row i, column j; the eigenvectors end up as V's columns.
  const V = Float64Array.from(matrix as ArrayLike<number>);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalise(V, d, e, n);
  // The QL rotations combine pairs of V's columns: on Vᵀ they run along contiguous rows (about 2× faster).
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) W[i * n + k] = V[k * n + i]!;
  diagonaliseTridiagonal(W, d, e, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[y]! - d[x]!);
  return {
    values: order.map((i) => d[i]!),
    vectors: order.map((i) => Array.from(W.subarray(i * n, i * n + n))),
  };
}

/**
 * Householder reduction of the symmetric V to tridiagonal form: on return d holds the diagonal, e[1..n−1] the
 * subdiagonal (e[0] = 0) and V the orthogonal matrix of the reduction.
 */
function tridiagonalise(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  if (n === 0) return;
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      // The Householder vector of row i, scaled so that its squares neither overflow nor underflow.
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h);
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[j * n + i] = f;
        g = e[j]! + V[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j]! * d[k]!;
          e[k] = e[k]! + V[k * n + j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) V[k * n + j] = V[k * n + j]! - (f * e[k]! + g * d[k]!);
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i]!;
    V[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1]! * V[k * n + j]!;
        for (let k = 0; k <= i; k++) V[k * n + j] = V[k * n + j]! - g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j]!;
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL iteration on the tridiagonal (d, e), applying each rotation to the rows of W (eigenvectors as rows). */
function diagonaliseTridiagonal(W: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  if (n === 0) return;
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  const eps = 2 ** -52;
  let shift = 0;
  let norm = 0;
  for (let l = 0; l < n; l++) {
    norm = Math.max(norm, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n && Math.abs(e[m]!) > eps * norm) m++;
    // A non-finite input never converges: stop after a bound instead of looping (the values come out NaN).
    for (let iteration = 0; m > l && iteration < 60; iteration++) {
      const g0 = d[l]!;
      let p = (d[l + 1]! - g0) / (2 * e[l]!);
      let r = Math.hypot(p, 1);
      if (p < 0) r = -r;
      d[l] = e[l]! / (p + r);
      d[l + 1] = e[l]! * (p + r);
      const dl1 = d[l + 1]!;
      let h = g0 - d[l]!;
      for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
      shift += h;
      p = d[m]!;
      let c = 1;
      let c2 = c;
      let c3 = c;
      const el1 = e[l + 1]!;
      let s = 0;
      let s2 = 0;
      for (let i = m - 1; i >= l; i--) {
        c3 = c2;
        c2 = c;
        s2 = s;
        const g = c * e[i]!;
        h = c * p;
        r = Math.hypot(p, e[i]!);
        e[i + 1] = s * r;
        s = e[i]! / r;
        c = p / r;
        p = c * d[i]! - s * g;
        d[i + 1] = h + s * (c * g + s * d[i]!);
        const row = i * n;
        const next = row + n;
        for (let k = 0; k < n; k++) {
          const wk1 = W[next + k]!;
          const wk = W[row + k]!;
          W[next + k] = s * wk + c * wk1;
          W[row + k] = c * wk - s * wk1;
        }
      }
      p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
      e[l] = s * p;
      d[l] = c * p;
      if (!(Math.abs(e[l]!) > eps * norm)) break;
    }
    d[l] = d[l]! + shift;
    e[l] = 0;
  }
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
