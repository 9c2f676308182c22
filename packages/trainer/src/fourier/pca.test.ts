import { describe, expect, it } from 'vitest';
import { createRng } from '../data/rng.ts';
import { circularityOf, frequencyShares, principalScores, symmetricEigen } from './pca.ts';

describe('symmetricEigen (Jacobi)', () => {
  it('diagonalises a symmetric matrix: A v = λ v, values descending, V orthonormal', () => {
    const rng = createRng(3, 'eig');
    const n = 12;
    const B = Array.from({ length: n * n }, () => rng.normal());
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = B[i * n + j]! + B[j * n + i]!;
    const { values, vectors } = symmetricEigen(A, n);
    for (let i = 1; i < n; i++) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]!);
    vectors.forEach((v, j) => {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let k = 0; k < n; k++) av += A[i * n + k]! * v[k]!;
        expect(av).toBeCloseTo(values[j]! * v[i]!, 10);
      }
      vectors.forEach((w, l) => {
        expect(v.reduce((s, x, i) => s + x * w[i]!, 0)).toBeCloseTo(j === l ? 1 : 0, 10);
      });
    });
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
