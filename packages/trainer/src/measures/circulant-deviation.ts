import type { Operation } from '../config.ts';
import type { MeasureInfo } from './measure.ts';

/**
 * measures.md §7.1: how far the off-diagonal block A = M[p:2p, 0:p] of an RFM feature matrix (second-operand rows,
 * first-operand columns) is from circulant. Wrapped diagonals are aligned into columns, S[l, j] = A[l, (l + j) mod n],
 * and D(A) = Σ_j Var_l S[l, j] / ‖A‖²_F with population variance: 0 iff A is constant along wrapped diagonals, at most
 * 1/n. For mul and div the indices 1..p−1 of both blocks are first reordered by the discrete logarithm base the
 * smallest generator g of Z_p* (A'[i, j] = A[gⁱ, gʲ], index 0 dropped), which turns a·b into an addition of logs, and
 * D is taken on that (p−1)×(p−1) block. A zero block (M₀ = I) gives NaN.
 *
 * @param M the feature matrix, [2p × 2p] row-major.
 */
export function circulantDeviation(M: ArrayLike<number>, p: number, operation: Operation = 'add'): number {
  const q = 2 * p;
  const multiplicative = operation === 'mul' || operation === 'div';
  const index = multiplicative ? powersOfGenerator(p) : Array.from({ length: p }, (_, i) => i);
  const n = index.length;
  const at = (l: number, m: number): number => M[(p + index[l]!) * q + index[m]!]!;
  let norm = 0;
  for (let l = 0; l < n; l++) for (let m = 0; m < n; m++) norm += at(l, m) ** 2;
  if (!(norm > 0)) return Number.NaN;
  let spread = 0;
  for (let j = 0; j < n; j++) {
    let mean = 0;
    for (let l = 0; l < n; l++) mean += at(l, (l + j) % n);
    mean /= n;
    let variance = 0;
    for (let l = 0; l < n; l++) variance += (at(l, (l + j) % n) - mean) ** 2;
    spread += variance / n;
  }
  return spread / norm;
}

/** [g⁰, g¹, …, g^{p−2}] mod p for the smallest generator g of Z_p* (p an odd prime). */
export function powersOfGenerator(p: number): number[] {
  for (let g = 2; g < p; g++) {
    const powers = [1];
    for (let x = g % p; x !== 1; x = (x * g) % p) powers.push(x);
    if (powers.length === p - 1) return powers;
  }
  return [1]; // p = 2 or 3 with g = 2 handled above; unreachable for odd primes ≥ 3
}

export const circulantDeviationInfo: MeasureInfo<'circulant_deviation'> = {
  id: 'circulant_deviation',
  description:
    'Deviation of a feature matrix’s operand cross-block A from circulant, Σ_j Var_l A[l,(l+j) mod p] / ‖A‖²_F (0 = circulant, at most 1/p; mul/div in discrete-log order). RFM: M_t, every iteration; networks: √ of the input AGOP (gradients of the p logits w.r.t. the one-hot input, centred, over up to 512 training pairs), at cadence `input_agop`.',
  unit: 'ratio',
  shape: 'scalar',
  defaultCadence: 1,
  kinds: ['RFM'], // networks: input-agop.ts, with their own cadence
  chart: { panels: ['circulant_deviation'], label: 'deviation' },
};
