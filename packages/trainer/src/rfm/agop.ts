/**
 * Average gradient outer product of the kernel predictor f(x) = Σ_i α_i k_M(x, x_i) over the training inputs
 * (measures.md §7 step 3).
 *
 * Both kernels give gradients of the form ∇_x f_c(x_j) = s · M w_jc with w_jc ∈ R^{2p}:
 * - Gaussian: ∇ = −(2/D) M Σ_i α_ic K_ij (x_j − x_i), so w_jc = f_c(x_j)·x_j − V_jc, s = 2/D (the sign drops out of
 *   the outer product), where V_jc = Σ_i α_ic K_ij x_i and f_c(x_j) = Σ_i K_ji α_ic;
 * - quadratic: ∇ = 2 Σ_i α_ic (x_jᵀ M x_i) M x_i, so w_jc = Σ_i α_ic (x_jᵀMx_i) x_i, s = 2.
 * V_jc[u] only sums the α_ic of the training rows whose input has a one at u (u = a_i or p + b_i), which costs
 * 2n²p instead of the dense n²·p·2p. **Choice (code):** the gradients are centred over samples per (class,
 * coordinate) before the outer product; centring commutes with M, so it is applied to w. Then
 * G = (1/n) Σ_j Σ_c g_jc g_jcᵀ = s² M C M with C = (1/n) Σ_j Σ_c (w_jc − w̄_c)(w_jc − w̄_c)ᵀ.
 */
import type { RfmModelConfig } from '../config.ts';
import type { PairInputs } from './kernel.ts';
import { matMul } from './linalg.ts';

export interface AgopInputs {
  model: RfmModelConfig;
  p: number;
  /** The feature matrix the predictor was fitted with [2p × 2p]. */
  M: Float64Array;
  train: PairInputs;
  /** Coefficients α [n × p]. */
  alpha: Float64Array;
  /**
   * Gaussian: the kernel matrix K [n × n] the predictor uses. Quadratic: the linear kernel xᵢᵀ M xⱼ [n × n] (the
   * kernel is its square).
   */
  weights: Float64Array;
  /** Gaussian only: the predictor on the training inputs, K α [n × p]. */
  trainPredictions?: Float64Array;
}

/** G [2p × 2p], symmetric PSD up to rounding. */
export function agop({ model, p, M, train, alpha, weights, trainPredictions }: AgopInputs): Float64Array {
  const n = train.a.length;
  const q = 2 * p;
  const gaussian = model.kernel === 'GAUSSIAN';
  if (gaussian && !trainPredictions) throw new Error('agop: the Gaussian kernel needs the train predictions');
  const scale = gaussian ? 2 / model.bandwidth : 2;

  // Mean of w_jc over j, in closed form: Σ_j V_jc[u] = Σ_{i: u ∈ x_i} α_ic Σ_j weights_ij.
  const mean = new Float64Array(q * p);
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let j = 0; j < n; j++) rowSum += weights[i * n + j]!;
    for (const u of [train.a[i]!, p + train.b[i]!]) {
      for (let c = 0; c < p; c++) mean[u * p + c]! -= alpha[i * p + c]! * rowSum;
    }
  }
  if (gaussian) {
    for (let j = 0; j < n; j++) {
      for (const u of [train.a[j]!, p + train.b[j]!]) {
        for (let c = 0; c < p; c++) mean[u * p + c]! += trainPredictions![j * p + c]!;
      }
    }
  }
  // The quadratic kernel's w is +V, not −V: flip the accumulated sign once.
  const sign = gaussian ? 1 : -1;
  for (let i = 0; i < mean.length; i++) mean[i] = (sign * mean[i]!) / n;

  const C = new Float64Array(q * q);
  const w = new Float64Array(q * p);
  for (let j = 0; j < n; j++) {
    w.fill(0);
    for (let i = 0; i < n; i++) {
      const k = -sign * weights[i * n + j]!;
      if (k === 0) continue;
      const ra = train.a[i]! * p;
      const rb = (p + train.b[i]!) * p;
      const ai = i * p;
      for (let c = 0; c < p; c++) {
        const v = k * alpha[ai + c]!;
        w[ra + c]! += v;
        w[rb + c]! += v;
      }
    }
    if (gaussian) {
      for (const u of [train.a[j]!, p + train.b[j]!]) {
        for (let c = 0; c < p; c++) w[u * p + c]! += trainPredictions![j * p + c]!;
      }
    }
    for (let i = 0; i < w.length; i++) w[i]! -= mean[i]!;
    // C += w wᵀ (upper triangle; mirrored below).
    for (let u = 0; u < q; u++) {
      const ru = u * p;
      for (let v = u; v < q; v++) {
        const rv = v * p;
        let s = 0;
        for (let c = 0; c < p; c++) s += w[ru + c]! * w[rv + c]!;
        C[u * q + v]! += s;
      }
    }
  }
  const factor = (scale * scale) / n;
  for (let u = 0; u < q; u++) {
    for (let v = u; v < q; v++) {
      const value = C[u * q + v]! * factor;
      C[u * q + v] = value;
      C[v * q + u] = value;
    }
  }
  const G = matMul(matMul(M, C, q, q, q), M, q, q, q);
  for (let u = 0; u < q; u++) {
    for (let v = 0; v < u; v++) {
      const avg = (G[u * q + v]! + G[v * q + u]!) / 2;
      G[u * q + v] = avg;
      G[v * q + u] = avg;
    }
  }
  return G;
}
