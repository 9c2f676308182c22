import { describe, expect, it } from 'vitest';
import { createRng } from '../data/rng.ts';
import { circulantDeviation, powersOfGenerator } from './circulant-deviation.ts';

/** A 2p×2p matrix whose cross block M[p + l, m] (and its mirror) is block(l, m); identity on the diagonal blocks. */
function withBlock(p: number, block: (l: number, m: number) => number): Float64Array {
  const q = 2 * p;
  const M = new Float64Array(q * q);
  for (let i = 0; i < q; i++) M[i * q + i] = 1;
  for (let l = 0; l < p; l++) {
    for (let m = 0; m < p; m++) {
      M[(p + l) * q + m] = block(l, m);
      M[m * q + p + l] = block(l, m);
    }
  }
  return M;
}

describe('circulantDeviation (measures.md §7.1)', () => {
  it('is 0 for a circulant block A[l, m] = c[(m − l) mod p]', () => {
    const p = 13;
    const rng = createRng(1);
    const c = Array.from({ length: p }, () => rng.normal());
    expect(
      circulantDeviation(
        withBlock(p, (l, m) => c[(m - l + p) % p]!),
        p,
      ),
    ).toBeLessThan(1e-15);
  });

  it('is ≈ (p − 1)/p² for an i.i.d. Gaussian block', () => {
    const p = 61;
    const rng = createRng(2);
    const values = Array.from({ length: 20 }, () => {
      const A = Array.from({ length: p * p }, () => rng.normal());
      return circulantDeviation(
        withBlock(p, (l, m) => A[l * p + m]!),
        p,
      );
    });
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    // E[D] ≈ (p − 1)/p² = 0.01612 at p = 61; one draw's relative spread is ~√(2/p²) ≈ 2%, so 20 draws sit within 1%.
    expect(mean).toBeCloseTo(0.0161, 3);
  });

  it('is NaN for a zero block (M₀ = I) and at most 1/p', () => {
    expect(
      circulantDeviation(
        withBlock(7, () => 0),
        7,
      ),
    ).toBeNaN();
    const p = 7;
    const spike = circulantDeviation(
      withBlock(p, (l, m) => (l === 0 && m === 0 ? 1 : 0)),
      p,
    );
    expect(spike).toBeLessThanOrEqual(1 / p + 1e-15);
  });

  it('reads mul/div blocks in discrete-log order: circulant in log space → 0', () => {
    const p = 11;
    const g = powersOfGenerator(p);
    expect(g).toHaveLength(p - 1);
    expect(new Set(g).size).toBe(p - 1);
    expect(g[1]).toBe(2); // 2 generates Z_11*
    const log = new Map(g.map((x, i) => [x, i]));
    const rng = createRng(5);
    const c = Array.from({ length: p - 1 }, () => rng.normal());
    const M = withBlock(p, (l, m) =>
      l === 0 || m === 0 ? 7 : c[(log.get(m)! - log.get(l)! + p - 1) % (p - 1)]!,
    );
    expect(circulantDeviation(M, p, 'mul')).toBeLessThan(1e-15);
    expect(circulantDeviation(M, p, 'add')).toBeGreaterThan(1e-3);
  });
});
