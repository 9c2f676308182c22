/**
 * The linear (Lotka–Volterra-inspired) dynamics of the per-frequency circle signals, measures.md §6.4:
 * Δx_t = x_{t+1} − x_t ≈ A x_t + b, x_t = (s_1(t), …, s_K(t)), fitted by least squares on finite differences.
 *
 * **Choices** (documented in docs/measures.md):
 * - Records need not be every step (the `frequency_signal` cadence defaults to 10): a difference over a gap of
 *   Δ steps is divided by Δ, so A and b are always per training step. With Δ = 1 this is exactly the paper's fit;
 *   with Δ > 1 it is a finite-difference approximation whose bias is O(Δ·‖A‖) relative.
 * - One factorisation serves every output: all K regressions share the design matrix. Features are centred (the
 *   unpenalised intercept is then ȳ − A x̄) and scaled to unit column norm, which makes `ridge` dimensionless, and
 *   solved by Householder QR (conditioning κ, not the normal equations' κ²).
 * - Plain OLS by default. When the window has fewer differences than K + 1 unknowns, or the design matrix
 *   is rank-deficient (a constant frequency, collinear trajectories), a tiny ridge (1e-10 relative) is used instead and
 *   reported in `ridge`, so the result stays finite.
 */

export interface FrequencyTrajectories {
  /** Steps at which the signal was recorded (strictly ascending). */
  steps: readonly number[];
  /** values[i][k−1] = s_k at steps[i] (the `frequency_signal` vector measure). */
  values: readonly (readonly number[])[];
}

export interface FrequencyDynamicsOptions {
  /** First step of the window (inclusive); default the first record. */
  from?: number;
  /** Last step of the window (inclusive); default the last record. */
  to?: number;
  /** Ridge penalty on A (relative: features are scaled to unit norm); default 0 = OLS. */
  ridge?: number;
}

export interface FrequencyDynamicsFit {
  /** The frequencies k (1..K) of the rows and columns below. */
  frequencies: number[];
  /** The window's recorded steps (the rows of `simulated`). */
  steps: number[];
  /** A[i][j]: how frequency j's signal moves frequency i's per step (> 0 helps, < 0 competes). */
  interaction: number[][];
  /** b: the constant drive per step (the intercept; the brief's “growth”). */
  intercept: number[];
  /** R² of Δx_i per frequency on the fitted differences. */
  r2: number[];
  /** Uniform mean of `r2` (the paper's fit quality). */
  r2Overall: number;
  /**
   * The fitted map iterated one training step at a time from the window's first record, x̂_{t+1} = x̂_t + A x̂_t + b,
   * sampled at `steps` (simulated[i][k−1]). Cut short, never NaN: when the rollout overflows it ends at the last
   * finite record, so `simulated.length ≤ steps.length`.
   */
  simulated: number[][];
  /** The ridge actually used (0: ordinary least squares). */
  ridge: number;
}

/** Relative ridge used when OLS is ill-posed. */
const FALLBACK_RIDGE = 1e-10;

export function fitFrequencyDynamics(
  data: FrequencyTrajectories,
  options: FrequencyDynamicsOptions = {},
): FrequencyDynamicsFit {
  if (data.steps.length !== data.values.length) {
    throw new RangeError('fitFrequencyDynamics: steps and values differ in length');
  }
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  const to = options.to ?? Number.POSITIVE_INFINITY;
  const rows: number[] = [];
  data.steps.forEach((step, i) => {
    if (step >= from && step <= to) rows.push(i);
  });
  if (rows.length < 3) {
    throw new RangeError(
      `fitFrequencyDynamics: the window [${options.from ?? 'start'}, ${options.to ?? 'end'}] holds ${rows.length} records; at least 3 are needed`,
    );
  }
  const K = data.values[rows[0]!]!.length;
  if (K < 1) throw new RangeError('fitFrequencyDynamics: the signal vectors are empty');
  const steps = rows.map((i) => data.steps[i]!);
  const xs = rows.map((i) => {
    const v = data.values[i]!;
    if (v.length !== K) throw new RangeError('fitFrequencyDynamics: signal vectors differ in length');
    if (!v.every(Number.isFinite))
      throw new RangeError(`fitFrequencyDynamics: non-finite signal at step ${data.steps[i]}`);
    return Float64Array.from(v);
  });
  for (let i = 1; i < steps.length; i++) {
    if (!(steps[i]! > steps[i - 1]!))
      throw new RangeError('fitFrequencyDynamics: steps must be strictly ascending');
  }

  // Regression rows: features x_t, targets (x_{t+1} − x_t)/Δ.
  const T = xs.length - 1;
  const X = xs.slice(0, T);
  const Y = X.map((x, t) => {
    const gap = steps[t + 1]! - steps[t]!;
    const next = xs[t + 1]!;
    return x.map((v, k) => (next[k]! - v) / gap);
  });
  const xMean = columnMeans(X, K);
  const yMean = columnMeans(Y, K);
  const scale = new Float64Array(K);
  for (const x of X) for (let k = 0; k < K; k++) scale[k]! += (x[k]! - xMean[k]!) ** 2;
  for (let k = 0; k < K; k++) scale[k] = scale[k]! > 0 ? Math.sqrt(scale[k]!) : 1;

  // Least squares in scaled, centred features by Householder QR of [Z; √λ·I] (κ(Z), not κ(Z)² as the normal
  // equations would have: trajectories that relax to a fixed point make the features nearly collinear).
  const Z = X.map((x) => x.map((v, k) => (v - xMean[k]!) / scale[k]!));
  const Yc = Y.map((y) => y.map((v, i) => v - yMean[i]!));
  const requested = options.ridge ?? 0;
  if (!(requested >= 0)) throw new RangeError('fitFrequencyDynamics: ridge must be ≥ 0');
  let ridge = T < K + 1 ? Math.max(requested, FALLBACK_RIDGE) : requested;
  let W = ridgeLeastSquares(Z, Yc, K, ridge);
  if (!W) {
    ridge = Math.max(ridge, FALLBACK_RIDGE);
    W = ridgeLeastSquares(Z, Yc, K, ridge);
  }
  if (!W) throw new Error('fitFrequencyDynamics: the least-squares problem could not be solved');

  const interaction = Array.from({ length: K }, (_, i) =>
    Array.from({ length: K }, (_, j) => W[j * K + i]! / scale[j]!),
  );
  const intercept = interaction.map((row, i) => yMean[i]! - row.reduce((s, a, j) => s + a * xMean[j]!, 0));

  const r2 = Array.from({ length: K }, (_, i) => {
    let ssRes = 0;
    let ssTot = 0;
    let sumSq = 0;
    for (let t = 0; t < T; t++) {
      const y = Y[t]![i]!;
      const pred = intercept[i]! + interaction[i]!.reduce((s, a, j) => s + a * X[t]![j]!, 0);
      ssRes += (y - pred) ** 2;
      ssTot += (y - yMean[i]!) ** 2;
      sumSq += y * y;
    }
    // Differences with no variance (a constant or steadily drifting signal): R² is 1 if the fit reproduces them.
    if (ssTot <= 1e-24 * sumSq) return ssRes <= 1e-24 * sumSq ? 1 : 0;
    return 1 - ssRes / ssTot;
  });
  const r2Overall = r2.reduce((s, v) => s + v, 0) / K;

  return {
    frequencies: Array.from({ length: K }, (_, k) => k + 1),
    steps,
    interaction,
    intercept,
    r2,
    r2Overall,
    simulated: rollout(interaction, intercept, xs[0]!, steps),
    ridge,
  };
}

/**
 * Iterates x ← x + A x + b one training step at a time. A gap of Δ steps applies the affine map's Δ-th power,
 * computed by repeated squaring of the augmented (K+1)×(K+1) matrix (cached per gap), so long windows cost
 * O(K³ log Δ) rather than O(K²Δ).
 */
export function rollout(
  interaction: readonly (readonly number[])[],
  intercept: readonly number[],
  x0: ArrayLike<number>,
  steps: readonly number[],
): number[][] {
  const K = intercept.length;
  const n = K + 1;
  const step = new Float64Array(n * n);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) step[i * n + j] = (i === j ? 1 : 0) + interaction[i]![j]!;
    step[i * n + K] = intercept[i]!;
  }
  step[K * n + K] = 1;
  const powers = new Map<number, Float64Array>();
  const out: number[][] = [Array.from(x0)];
  let x = Float64Array.from(x0);
  for (let t = 1; t < steps.length; t++) {
    const gap = steps[t]! - steps[t - 1]!;
    let P = powers.get(gap);
    if (!P) {
      P = matrixPower(step, n, gap);
      powers.set(gap, P);
    }
    const next = new Float64Array(K);
    for (let i = 0; i < K; i++) {
      let s = P[i * n + K]!;
      for (let j = 0; j < K; j++) s += P[i * n + j]! * x[j]!;
      next[i] = s;
    }
    if (!next.every(Number.isFinite)) break;
    x = next;
    out.push(Array.from(x));
  }
  return out;
}

function matrixPower(base: Float64Array, n: number, exponent: number): Float64Array {
  let result: Float64Array = new Float64Array(n * n);
  for (let i = 0; i < n; i++) result[i * n + i] = 1;
  let square = base;
  for (let e = exponent; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = matMul(result, square, n);
    if (e > 1) square = matMul(square, square, n);
  }
  return result;
}

function matMul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j]! += aik * b[k * n + j]!;
    }
  }
  return c;
}

function columnMeans(rows: readonly Float64Array[], K: number): Float64Array {
  const mean = new Float64Array(K);
  for (const r of rows) for (let k = 0; k < K; k++) mean[k]! += r[k]!;
  for (let k = 0; k < K; k++) mean[k]! /= rows.length;
  return mean;
}

/**
 * Minimises ‖Z W − Y‖² + λ‖W‖² for W [n×n] (row j = feature j, column i = output i, row-major) by Householder QR
 * of the stacked matrix [Z; √λ·I]; null when R has a (relatively) zero pivot, i.e. the problem is rank-deficient.
 */
function ridgeLeastSquares(
  Z: readonly Float64Array[],
  Y: readonly Float64Array[],
  n: number,
  ridge: number,
): Float64Array | null {
  const rows = Z.length + n;
  const a = new Float64Array(rows * n);
  const y = new Float64Array(rows * n);
  Z.forEach((z, t) => {
    a.set(z, t * n);
    y.set(Y[t]!, t * n);
  });
  const root = Math.sqrt(ridge);
  for (let j = 0; j < n; j++) a[(Z.length + j) * n + j] = root;
  let maxPivot = 0;
  const diag = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let norm = 0;
    for (let r = j; r < rows; r++) norm += a[r * n + j]! ** 2;
    norm = Math.sqrt(norm);
    const alpha = a[j * n + j]! > 0 ? -norm : norm;
    diag[j] = alpha;
    maxPivot = Math.max(maxPivot, norm);
    if (norm === 0) continue;
    // v = a[j:, j] − α e_1, applied as H = I − 2vvᵀ/vᵀv to the remaining columns of a and every column of y.
    a[j * n + j]! -= alpha;
    let vv = 0;
    for (let r = j; r < rows; r++) vv += a[r * n + j]! ** 2;
    if (vv === 0) continue;
    for (let c = j + 1; c < n; c++) {
      let dot = 0;
      for (let r = j; r < rows; r++) dot += a[r * n + j]! * a[r * n + c]!;
      const f = (2 * dot) / vv;
      for (let r = j; r < rows; r++) a[r * n + c]! -= f * a[r * n + j]!;
    }
    for (let c = 0; c < n; c++) {
      let dot = 0;
      for (let r = j; r < rows; r++) dot += a[r * n + j]! * y[r * n + c]!;
      const f = (2 * dot) / vv;
      for (let r = j; r < rows; r++) y[r * n + c]! -= f * a[r * n + j]!;
    }
  }
  const tolerance = 1e-10 * Math.max(maxPivot, Number.MIN_VALUE);
  if (diag.some((d) => !(Math.abs(d) > tolerance))) return null;
  const W = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i * n + c]!;
      for (let k = i + 1; k < n; k++) s -= a[i * n + k]! * W[k * n + c]!;
      W[i * n + c] = s / diag[i]!;
    }
  }
  return W;
}
