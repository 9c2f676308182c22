import { describe, expect, it } from 'vitest';
import { allPairs, applyOperation, inverses } from './pairs.ts';
import { createRng } from './rng.ts';
import { splitPairs, trainSize } from './split.ts';

describe('operations', () => {
  it('labels (a op b) mod p for add, sub, mul and div', () => {
    const p = 7;
    expect(applyOperation('add', 5, 4, p)).toBe(2);
    expect(applyOperation('sub', 2, 5, p)).toBe(4);
    expect(applyOperation('mul', 3, 5, p)).toBe(1);
    // 3 / 5 = 3·5⁻¹ = 3·3 = 2 (mod 7): 2·5 = 10 ≡ 3.
    expect(applyOperation('div', 3, 5, p)).toBe(2);
    const inv = inverses(13);
    for (let y = 1; y < 13; y++) expect((y * inv[y]!) % 13).toBe(1);
    const grid = allPairs(p, 'div');
    for (let n = 0; n < p * p; n++) {
      const b = grid.b[n]!;
      if (b === 0) expect(grid.label[n]).toBe(0);
      else expect((grid.label[n]! * b) % p).toBe(grid.a[n]);
    }
  });

  it('keeps the addition grid and split exactly as before (the default)', () => {
    expect(Array.from(allPairs(11, 'add').label)).toEqual(Array.from(allPairs(11).label));
    const a = splitPairs(23, 0.5, createRng(4));
    const b = splitPairs(23, 0.5, createRng(4), 'sub');
    expect(Array.from(b.train)).toEqual(Array.from(a.train));
  });

  it('splits only the p(p − 1) pairs with b ≠ 0 for division, from the same permutation', () => {
    const p = 13;
    const add = splitPairs(p, 0.5, createRng(9));
    const div = splitPairs(p, 0.5, createRng(9), 'div');
    expect(trainSize(p, 0.5, 'div')).toBe(Math.floor(0.5 * p * (p - 1)));
    expect(div.train.length + div.test.length).toBe(p * (p - 1));
    expect([...div.train, ...div.test].every((n) => n % p !== 0)).toBe(true);
    // Division's order is addition's permutation with the b = 0 pairs removed.
    const order = [...add.train, ...add.test].filter((n) => n % p !== 0);
    expect([...div.train, ...div.test]).toEqual(order);
  });
});
