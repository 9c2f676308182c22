import { describe, expect, it } from 'vitest';
import { createRng } from '../data/rng.ts';
import { agopAlignment, alignmentWithFinal } from './agop-alignment.ts';

describe('agopAlignment (measures.md §7.2)', () => {
  const rng = createRng(3);
  const n = 6;
  const M = Array.from({ length: n * n }, () => rng.normal());

  it('is 1 with itself, −1 with its negative, 0 between I and a traceless symmetric matrix', () => {
    expect(agopAlignment(M, M)).toBeCloseTo(1, 15);
    expect(
      agopAlignment(
        M,
        M.map((v) => -v),
      ),
    ).toBeCloseTo(-1, 15);
    const T = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) T[i * n + j] = T[j * n + i] = rng.normal();
      T[i * n + i] = i - (n - 1) / 2; // trace 0
    }
    const I = new Float64Array(n * n);
    for (let i = 0; i < n; i++) I[i * n + i] = 1;
    expect(agopAlignment(I, T)).toBeCloseTo(0, 14);
  });

  it('is NaN for a zero matrix, and compares every iterate with the last post hoc', () => {
    expect(agopAlignment([0, 0], [1, 2])).toBeNaN();
    const series = alignmentWithFinal([
      [1, 0],
      [1, 1],
      [0, 1],
    ]);
    expect(series[0]).toBeCloseTo(0, 15);
    expect(series[1]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(series[2]).toBe(1);
  });
});
