import { frequencyCount } from './basis.ts';

const cache = new Map<number, Float32Array>();

/**
 * F ∈ R^{2K×p}, row k−1 = cos(w_k s), row K+k−1 = sin(w_k s) for k = 1..K over s ∈ Z_p (measures.md §3). The
 * sum directions are C_k(a, b) = (√2/p)·F[k−1, (a+b) mod p] and S_k(a, b) = (√2/p)·F[K+k−1, (a+b) mod p], so every
 * projection onto them only needs the logits summed over the pairs of each s = (a+b) mod p (a p×p table).
 * Cached per p (a few kB); callers upload it.
 */
export function sumFrequencyTable(p: number): Float32Array {
  const hit = cache.get(p);
  if (hit) return hit;
  const K = frequencyCount(p);
  const table = new Float32Array(2 * K * p);
  for (let k = 1; k <= K; k++) {
    for (let s = 0; s < p; s++) {
      const angle = ((2 * Math.PI) / p) * ((k * s) % p);
      table[(k - 1) * p + s] = Math.cos(angle);
      table[(K + k - 1) * p + s] = Math.sin(angle);
    }
  }
  cache.set(p, table);
  return table;
}
