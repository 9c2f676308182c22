import { describe, expect, it } from 'vitest';
import { dominantFrequency, frequencyEnergies } from './dominant-frequency.ts';

const p = 23;
const w = (k: number) => (2 * Math.PI * k) / p;
const tokens = Array.from({ length: p }, (_, x) => x);

describe('frequencyEnergies', () => {
  it('puts a pure cosine at its frequency: |DFT_k|² = (p/2)² for k and p − k, folded: 2·(p/2)²', () => {
    const e = frequencyEnergies(tokens.map((x) => Math.cos(w(5) * x)));
    expect(e).toHaveLength(11);
    expect(e[4]).toBeCloseTo(2 * (p / 2) ** 2, 9);
    e.forEach((v, i) => {
      if (i !== 4) expect(v).toBeLessThan(1e-18 * p * p + 1e-12);
    });
  });

  it('ignores the constant term', () => {
    const e = frequencyEnergies(tokens.map(() => 3));
    expect(Math.max(...e)).toBeLessThan(1e-12);
  });
});

describe('dominantFrequency', () => {
  it('finds the frequency of a constructed circle (cos, sin of w_k x) with all the energy', () => {
    const circle = [tokens.map((x) => 2 * Math.cos(w(7) * x)), tokens.map((x) => 2 * Math.sin(w(7) * x))];
    const f = dominantFrequency(circle);
    expect(f?.k).toBe(7);
    expect(f?.share).toBeCloseTo(1, 12);
  });

  it('folds k > p/2 onto p − k (18 ≡ −5 mod 23 is frequency 5)', () => {
    expect(dominantFrequency([tokens.map((x) => Math.cos(w(18) * x))])?.k).toBe(5);
  });

  it('reports the share when a second frequency is mixed in: amplitudes 2 and 1 → 4/5', () => {
    const x = tokens.map((t) => 2 * Math.cos(w(3) * t) + Math.sin(w(9) * t) + 10);
    const f = dominantFrequency([x]);
    expect(f?.k).toBe(3);
    expect(f?.share).toBeCloseTo(4 / 5, 12);
  });

  it('is null for all-zero scores (PCs beyond the rank)', () => {
    expect(dominantFrequency([new Array(p).fill(0), new Array(p).fill(0)])).toBeNull();
  });
});
