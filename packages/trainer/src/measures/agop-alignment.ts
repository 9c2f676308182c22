import type { MeasureInfo } from './measure.ts';

/**
 * measures.md §7.2: ρ(M₁, M₂) = ⟨M₁, M₂⟩_F / (‖M₁‖_F ‖M₂‖_F), in [−1, 1]; NaN when either matrix is zero. Accumulated
 * in float64 whatever the inputs' type.
 */
export function agopAlignment(M1: ArrayLike<number>, M2: ArrayLike<number>): number {
  if (M1.length !== M2.length) throw new RangeError('agopAlignment: the matrices differ in size');
  let dot = 0;
  let n1 = 0;
  let n2 = 0;
  for (let i = 0; i < M1.length; i++) {
    const a = M1[i]!;
    const b = M2[i]!;
    dot += a * b;
    n1 += a * a;
    n2 += b * b;
  }
  if (!(n1 > 0 && n2 > 0)) return Number.NaN;
  return Math.max(-1, Math.min(1, dot / Math.sqrt(n1 * n2)));
}

/**
 * Post hoc (§7.2): the alignment of every recorded feature matrix with the final one, from the stored
 * `rfm_feature_matrix` vectors (the live `agop_alignment` compares M_t with the next iterate instead).
 */
export function alignmentWithFinal(matrices: readonly ArrayLike<number>[]): number[] {
  const last = matrices.at(-1);
  return last ? matrices.map((M) => agopAlignment(M, last)) : [];
}

export const agopAlignmentInfo: MeasureInfo<'agop_alignment'> = {
  id: 'agop_alignment',
  description:
    'Cosine ⟨A, B⟩_F / (‖A‖‖B‖) between the features in use and √AGOP of the function they give. RFM: A = M_t, B = M_{t+1} (→ 1 as M converges), every iteration; networks: A = the first layer’s feature matrix F Fᵀ on one-hot inputs, B = √ of the input AGOP over up to 512 training pairs (the neural feature ansatz), at cadence `input_agop`.',
  unit: 'cosine',
  shape: 'scalar',
  defaultCadence: 1,
  kinds: ['RFM'], // networks: input-agop.ts, with their own cadence
  chart: { panels: ['agop_alignment'], label: 'alignment' },
};
