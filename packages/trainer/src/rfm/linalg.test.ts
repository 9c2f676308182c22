import { describe, expect, it } from 'vitest';
import { createRng } from '../data/rng.ts';
import { choleskySolveInPlace, choleskyWithJitter, matMul, symmetricPower } from './linalg.ts';

function randomSpd(n: number, seed: number, rank = n): Float64Array {
  const rng = createRng(seed);
  const R = Float64Array.from({ length: n * rank }, () => rng.normal());
  const Rt = new Float64Array(rank * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < rank; k++) Rt[k * n + i] = R[i * rank + k]!;
  return matMul(R, Rt, n, rank, n);
}

describe('RFM linear algebra', () => {
  it('solves an SPD system exactly (no jitter) for several right-hand sides', () => {
    const n = 12;
    const A = randomSpd(n, 1);
    for (let i = 0; i < n; i++) A[i * n + i]! += 1;
    const X = Float64Array.from({ length: n * 3 }, (_, i) => Math.sin(i));
    const B = matMul(A, X, n, n, 3);
    const L = new Float64Array(n * n);
    expect(choleskyWithJitter(A, n, 0, L).jitter).toBe(0);
    choleskySolveInPlace(L, n, B, 3);
    B.forEach((v, i) => {
      expect(v).toBeCloseTo(X[i]!, 10);
    });
  });

  it('adds jitter only when the matrix is singular', () => {
    const n = 8;
    const A = randomSpd(n, 2, 3); // rank 3
    const { jitter } = choleskyWithJitter(A, n, 0, new Float64Array(n * n));
    expect(jitter).toBeGreaterThan(0);
    let trace = 0;
    for (let i = 0; i < n; i++) trace += A[i * n + i]!;
    expect(jitter).toBeLessThan(1e-4 * (trace / n));
  });

  it('takes the PSD square root: (G^{1/2})² = G, symmetric', () => {
    const n = 10;
    const G = randomSpd(n, 3, 6);
    const S = symmetricPower(G, n, 0.5);
    const SS = matMul(S, S, n, n, n);
    const scale = Math.max(...G.map(Math.abs));
    SS.forEach((v, i) => {
      expect(Math.abs(v - G[i]!)).toBeLessThan(1e-10 * scale);
    });
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(S[i * n + j]).toBe(S[j * n + i]);
  });
});
