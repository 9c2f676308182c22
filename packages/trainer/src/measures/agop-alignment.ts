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

export const agopAlignmentInfo: MeasureInfo = {
  id: 'agop_alignment',
  description:
    'RFM: cosine ⟨M_t, M_{t+1}⟩_F / (‖M_t‖‖M_{t+1}‖) between the feature matrix in use and the one its predictor’s AGOP gives (→ 1 as M converges).',
  unit: 'cosine',
  shape: 'scalar',
  defaultCadence: 1,
};
