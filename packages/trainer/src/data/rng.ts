/**
 * A small seeded PRNG (mulberry32) with the draws the trainer needs. Everything random in a run (the split and
 * the initial weights) comes from here, so a seed gives the same run on every backend and machine: tfjs's own
 * random ops are never used.
 */
export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform in [0, 1) with 32 bits of resolution. */
  float(): number;
  /** Uniform integer in [0, n). Unbiased (rejection sampling). */
  int(n: number): number;
  /** Standard normal N(0, 1) (Box–Muller). */
  normal(): number;
}

/**
 * Mixes a seed and a stream label into an independent 32-bit seed (murmur3 finaliser), so that for instance the
 * split and the initialisation draw from unrelated streams of one user-facing seed.
 */
export function deriveSeed(seed: number, stream: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < stream.length; i++) {
    h = Math.imul(h ^ stream.charCodeAt(i), 0x85ebca6b);
    h ^= h >>> 13;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32: 32-bit state, full period 2^32, passes gjrand/PractRand at the sizes we draw (< 10^7 values). */
export function createRng(seed: number, stream = ''): Rng {
  let state = stream === '' ? seed >>> 0 : deriveSeed(seed, stream);
  let spareNormal: number | undefined;

  const uint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const float = (): number => uint32() / 4294967296;

  return {
    uint32,
    float,
    int(n: number): number {
      if (!Number.isInteger(n) || n <= 0 || n > 4294967296)
        throw new RangeError(`int(n) needs 1 ≤ n ≤ 2^32, got ${n}`);
      // Reject the top partial block so every residue is equally likely.
      const limit = 4294967296 - (4294967296 % n);
      for (;;) {
        const x = uint32();
        if (x < limit) return x % n;
      }
    },
    normal(): number {
      if (spareNormal !== undefined) {
        const z = spareNormal;
        spareNormal = undefined;
        return z;
      }
      // 1 - float() is in (0, 1], so the log is finite.
      const r = Math.sqrt(-2 * Math.log(1 - float()));
      const theta = 2 * Math.PI * float();
      spareNormal = r * Math.sin(theta);
      return r * Math.cos(theta);
    },
  };
}
