import { type DominantFrequency, dominantFrequency } from './dominant-frequency.ts';

/** Principal components per token in `embed_principal_components` (p×8 row-major: token x on PC j at x·8 + j). */
export const PC_COUNT = 8;

/** One pair of principal components (a candidate circle): token scores on each, and the frequency it carries. */
export interface PcCircle {
  /** 1-based PC numbers, e.g. [1, 2]. */
  pcs: [number, number];
  x: number[];
  y: number[];
  frequency: DominantFrequency | null;
  /**
   * Tokens in the order they sit around a circle of frequency k: 0, δ, 2δ, … with δ = k⁻¹ mod p, because token x
   * sits at angle 2πkx/p. Joining them draws a clean polygon once the circle has formed and a tangle before.
   */
  order: number[];
}

/** Splits a p×8 score vector into the four pairs (1,2), (3,4), (5,6), (7,8). Non-finite scores become NaN. */
export function pcCircles(vector: readonly (number | null)[]): PcCircle[] {
  const p = Math.floor(vector.length / PC_COUNT);
  if (p < 3) return [];
  const column = (j: number) =>
    Array.from({ length: p }, (_, x) => {
      const v = vector[x * PC_COUNT + j];
      return typeof v === 'number' ? v : Number.NaN;
    });
  const circles: PcCircle[] = [];
  for (let j = 0; j < PC_COUNT; j += 2) {
    const x = column(j);
    const y = column(j + 1);
    const frequency = dominantFrequency([x, y]);
    circles.push({ pcs: [j + 1, j + 2], x, y, frequency, order: circleOrder(p, frequency?.k ?? 1) });
  }
  return circles;
}

/** Tokens 0, δ, 2δ, … (mod p) with δ = k⁻¹ mod p; plain 0..p−1 when k has no inverse mod p. */
export function circleOrder(p: number, k: number): number[] {
  const delta = modInverse(k, p) ?? 1;
  return Array.from({ length: p }, (_, m) => (m * delta) % p);
}

/** x with k·x ≡ 1 (mod p), by the extended Euclidean algorithm; null when gcd(k, p) ≠ 1. */
export function modInverse(k: number, p: number): number | null {
  let [oldR, r] = [((k % p) + p) % p, p];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1) return null;
  return ((oldS % p) + p) % p;
}

/** Half-width of a square view holding every finite score of the pair (equal axes keep circles round). */
export function pairExtent(circle: Pick<PcCircle, 'x' | 'y'>): number {
  let max = 0;
  for (const v of [...circle.x, ...circle.y]) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  return max > 0 ? max : 1;
}
