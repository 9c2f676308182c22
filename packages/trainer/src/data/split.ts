import { type Operation, pairCount, RunConfigError, trainSize } from '../config.ts';
import type { Rng } from './rng.ts';

export interface Split {
  /** Pair indices (n = a·p + b) used for training, in permutation order. */
  train: Int32Array;
  /** The remaining pair indices, in permutation order. */
  test: Int32Array;
}

export { trainSize };

/**
 * Seeded split of the p² pairs: a Fisher–Yates permutation of 0..p²-1, the first floor(f·p²) are train.
 * Division drops the pairs with b = 0 from that same permutation (so it draws exactly what addition draws) and
 * splits the remaining p(p−1). Throws a RunConfigError naming `trainFraction` when that leaves no training pair
 * (tiny f at small p).
 */
export function splitPairs(p: number, trainFraction: number, rng: Rng, operation: Operation = 'add'): Split {
  const size = p * p;
  const nTrain = trainSize(p, trainFraction, operation);
  if (nTrain < 1) {
    throw new RunConfigError([
      {
        path: 'trainFraction',
        message: `leaves no training pair at p=${p} (floor(${trainFraction}·${pairCount(p, operation)}) = 0)`,
      },
    ]);
  }
  const perm = new Int32Array(size);
  for (let i = 0; i < size; i++) perm[i] = i;
  for (let i = size - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = tmp;
  }
  const usable = operation === 'div' ? perm.filter((n) => n % p !== 0) : perm;
  return { train: usable.slice(0, nTrain), test: usable.slice(nTrain) };
}
