import { describe, expect, it } from 'vitest';
import { circleOrder, modInverse, PC_COUNT, pairExtent, pcCircles } from './pc-circles.ts';

const p = 23;
const w = (k: number) => (2 * Math.PI * k) / p;

/** A p×8 score vector whose pairs are circles at frequencies ks (zeros where ks runs out). */
function scores(ks: readonly number[]): number[] {
  const v = new Array<number>(p * PC_COUNT).fill(0);
  ks.forEach((k, pair) => {
    for (let x = 0; x < p; x++) {
      v[x * PC_COUNT + 2 * pair] = Math.cos(w(k) * x);
      v[x * PC_COUNT + 2 * pair + 1] = Math.sin(w(k) * x);
    }
  });
  return v;
}

describe('pcCircles', () => {
  it('reads the row-major layout into pairs (1,2)…(7,8) with their frequencies', () => {
    const circles = pcCircles(scores([5, 11, 2]));
    expect(circles.map((c) => c.pcs)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
    expect(circles.map((c) => c.frequency?.k ?? null)).toEqual([5, 11, 2, null]);
    expect(circles[0]?.x[1]).toBeCloseTo(Math.cos(w(5)), 12);
    expect(circles[0]?.y[1]).toBeCloseTo(Math.sin(w(5)), 12);
  });

  it('turns nulls (non-finite on the wire) into NaN', () => {
    const v: (number | null)[] = scores([5]);
    v[0] = null;
    expect(pcCircles(v)[0]?.x[0]).toBeNaN();
  });

  it('orders tokens around the circle: consecutive tokens in the order are one angular step 2π/p apart', () => {
    const [c] = pcCircles(scores([5]));
    const order = c?.order ?? [];
    expect(new Set(order).size).toBe(p);
    for (let m = 1; m < p; m++) {
      const a = order[m - 1] as number;
      const b = order[m] as number;
      // Token x sits at angle 2π·5x/p, so a step of one position around the circle is (b − a)·5 ≡ 1 (mod p).
      expect(((((b - a) * 5) % p) + p) % p).toBe(1);
    }
  });
});

describe('modInverse / circleOrder', () => {
  it('inverts mod a prime and refuses a shared factor', () => {
    expect(modInverse(5, 23)).toBe(14); // 5·14 = 70 = 3·23 + 1
    expect(modInverse(6, 9)).toBeNull();
    expect(circleOrder(9, 6)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('pairExtent', () => {
  it('is the largest finite |score| of either PC, 1 when there is none', () => {
    expect(pairExtent({ x: [0.5, -2, Number.NaN], y: [1.5] })).toBe(2);
    expect(pairExtent({ x: [0], y: [0] })).toBe(1);
  });
});
