import { describe, expect, it } from 'vitest';
import {
  embeddingFourierNorms,
  fourierBasis,
  frequencyCount,
  frequencyNorms,
  frequencyOfComponent,
} from './basis.ts';

describe('fourierBasis', () => {
  it.each([3, 23, 59, 113])('is orthonormal for p = %i: |B Bᵀ − I|∞ < 1e-12', (p) => {
    const B = fourierBasis(p);
    let worst = 0;
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        let dot = 0;
        for (let x = 0; x < p; x++) dot += B[i]![x]! * B[j]![x]!;
        worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('has the constant, cosine and sine rows of measures.md §3 (p = 59)', () => {
    const p = 59;
    const B = fourierBasis(p);
    expect(B[0]![17]).toBeCloseTo(1 / Math.sqrt(p), 15);
    // Row 2k−1 = √(2/p)·cos(2πkx/p), row 2k = √(2/p)·sin(2πkx/p); here k = 3, x = 5.
    expect(B[5]![5]).toBeCloseTo(Math.sqrt(2 / p) * Math.cos((2 * Math.PI * 15) / p), 14);
    expect(B[6]![5]).toBeCloseTo(Math.sqrt(2 / p) * Math.sin((2 * Math.PI * 15) / p), 14);
    expect(frequencyCount(p)).toBe(29);
    expect([0, 1, 2, 3, 58].map(frequencyOfComponent)).toEqual([0, 1, 1, 2, 29]);
  });

  it('refuses an even p', () => {
    expect(() => fourierBasis(10)).toThrow(RangeError);
  });
});

describe('frequencyNorms', () => {
  it('pairs the cosine and sine components of each frequency', () => {
    expect(frequencyNorms([9, 3, 4, 0, 0])).toEqual([5, 0]);
    expect(frequencyNorms([9, 9, 16, 1, 0], true)).toEqual([5, 1]);
  });
});

describe('embeddingFourierNorms (float64 reference)', () => {
  it('puts a single-frequency embedding at N_k = √(p/2)·√(|u|² + |v|²) (measures.md §4.1)', () => {
    const p = 59;
    const k = 7;
    const u = [1, -2, 0.5];
    const v = [0.25, 3, -1];
    const E = Array.from({ length: p }, (_, x) =>
      u.map(
        (ui, i) => ui * Math.cos((2 * Math.PI * k * x) / p) + v[i]! * Math.sin((2 * Math.PI * k * x) / p),
      ),
    );
    const { components, frequencies } = embeddingFourierNorms(E);
    const norm2 = [...u, ...v].reduce((s, x) => s + x * x, 0);
    expect(frequencies[k - 1]).toBeCloseTo(Math.sqrt(p / 2) * Math.sqrt(norm2), 10);
    expect(components[0]).toBeCloseTo(0, 10);
    frequencies.forEach((N, i) => {
      if (i !== k - 1) expect(N).toBeCloseTo(0, 10);
    });
  });
});
