import { describe, expect, it } from 'vitest';
import { createRng } from '../data/rng.ts';
import { circularityOf, frequencyShares, principalScores, symmetricEigen } from './pca.ts';

/** max over i, j of |A v_j − λ_j v_j| and of |v_iᵀ v_j − δ_ij|. */
function eigenResiduals(A: ArrayLike<number>, n: number) {
  const { values, vectors } = symmetricEigen(A, n);
  let residual = 0;
  let orthogonality = 0;
  vectors.forEach((v, j) => {
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let k = 0; k < n; k++) av += A[i * n + k]! * v[k]!;
      residual = Math.max(residual, Math.abs(av - values[j]! * v[i]!));
    }
    vectors.forEach((w, l) => {
      const dot = v.reduce((sum, x, i) => sum + x * w[i]!, 0);
      orthogonality = Math.max(orthogonality, Math.abs(dot - (j === l ? 1 : 0)));
    });
  });
  return { values, residual, orthogonality };
}

describe('symmetricEigen', () => {
  for (const n of [1, 2, 12, 118]) {
    it(`diagonalises a random symmetric ${n}×${n} matrix: A v = λ v, values descending, V orthonormal`, () => {
      const rng = createRng(3, 'eig');
      const B = Array.from({ length: n * n }, () => rng.normal());
      const A = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = B[i * n + j]! + B[j * n + i]!;
      const { values, residual, orthogonality } = eigenResiduals(A, n);
      for (let i = 1; i < n; i++) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]!);
      expect(residual).toBeLessThan(1e-10 * n);
      expect(orthogonality).toBeLessThan(1e-12 * n);
    });
  }

  it('handles repeated eigenvalues, zero rows and a rank-deficient Gram matrix', () => {
    // diag(3, 1, 3, 0) and X Xᵀ of two 5-dimensional rows padded to 6×6 (rank 2: four zero eigenvalues).
    const diagonal = [3, 0, 0, 0, 0, 1, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0];
    const repeated = eigenResiduals(diagonal, 4);
    expect(repeated.values).toEqual([3, 3, 1, 0]);
    expect(repeated.residual).toBe(0);
    const rng = createRng(5, 'gram');
    const rows = [0, 1].map(() => Array.from({ length: 5 }, () => rng.normal()));
    const G = new Float64Array(36);
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++)
        G[i * 6 + j] = i < 2 && j < 2 ? rows[i]!.reduce((sum, x, k) => sum + x * rows[j]![k]!, 0) : 0;
    const gram = eigenResiduals(G, 6);
    expect(gram.values.slice(2).every((v) => Math.abs(v) < 1e-12)).toBe(true);
    expect(gram.residual).toBeLessThan(1e-12);
    expect(gram.orthogonality).toBeLessThan(1e-12);
  });
});

describe('circularity', () => {
  it('is exactly 1 for x ↦ (cos w_k x, sin w_k x, ½cos w_j x, ½sin w_j x, 0, …)', () => {
    // PCs 1–2 span the k circle (variance p/2 each), PCs 3–4 the j circle (p/8 each): each share is 1.
    const p = 59;
    const d = 16;
    const k = 7;
    const j = 20;
    const rows = new Float64Array(p * d);
    for (let x = 0; x < p; x++) {
      const wk = (2 * Math.PI * k * x) / p;
      const wj = (2 * Math.PI * j * x) / p;
      rows.set([Math.cos(wk), Math.sin(wk), 0.5 * Math.cos(wj), 0.5 * Math.sin(wj)], x * d);
    }
    expect(circularityOf(rows, p, d)).toBeCloseTo(1, 10);
    const scores = principalScores(rows, p, d, 6);
    expect(frequencyShares(scores[0]!)[k - 1]).toBeCloseTo(1, 10);
    expect(frequencyShares(scores[2]!)[j - 1]).toBeCloseTo(1, 10);
    expect(scores[4]!.every((v) => v === 0)).toBe(true); // beyond the rank: zero
  });

  it('gives the same scores through the d×d scatter matrix (d < p) as through the Gram matrix', () => {
    const rng = createRng(9, 'pad');
    const p = 23;
    const narrow = Float64Array.from({ length: p * 10 }, () => rng.normal());
    const wide = new Float64Array(p * 30);
    for (let x = 0; x < p; x++) wide.set(narrow.subarray(x * 10, x * 10 + 10), x * 30);
    const a = principalScores(narrow, p, 10, 8);
    const b = principalScores(wide, p, 30, 8);
    a.forEach((z, j) => {
      z.forEach((v, x) => {
        expect(v).toBeCloseTo(b[j]![x]!, 8);
      });
    });
  });

  it('is 0.14 ± 0.02 for an i.i.d. Gaussian embedding, p = 59, d = 128 (five seeds)', () => {
    // measures.md §5.3. Each PC of noise spreads its energy over the 29 frequencies; its best share averages ≈0.14.
    const p = 59;
    const d = 128;
    for (let seed = 0; seed < 5; seed++) {
      const rng = createRng(seed, 'gauss');
      const rows = Float64Array.from({ length: p * d }, () => rng.normal());
      expect(Math.abs(circularityOf(rows, p, d) - 0.14)).toBeLessThan(0.04);
    }
    let mean = 0;
    for (let seed = 0; seed < 20; seed++) {
      const rng = createRng(seed, 'gauss');
      mean +=
        circularityOf(
          Float64Array.from({ length: p * d }, () => rng.normal()),
          p,
          d,
        ) / 20;
    }
    expect(Math.abs(mean - 0.14)).toBeLessThan(0.02);
  });
});
