import * as tf from '@tensorflow/tfjs-core';

export interface MatmulPeak {
  size: number;
  ms: number;
  gflops: number;
}

/**
 * The active backend's large-matmul throughput: an n×n·n×n product (2n³ FLOPs), timed to its read-back, median of
 * repetitions (as many as fit in about 1.5 s, at least one) after a warm-up. The denominator of MFU: what this backend can do when it is busy on the op
 * that dominates the models.
 */
export async function timeMatmul(size = 1024, { minMs = 1500, maxReps = 10 } = {}): Promise<MatmulPeak> {
  const a = tf.randomNormal([size, size]);
  const b = tf.randomNormal([size, size]);
  const once = async () => {
    const start = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
    return performance.now() - start;
  };
  try {
    await once();
    const times: number[] = [];
    let spent = 0;
    // At least one timed product; more while they are quick (the cpu backend takes ~10 s for one at n = 1024).
    while (times.length === 0 || (spent < minMs && times.length < maxReps)) {
      const ms = await once();
      times.push(ms);
      spent += ms;
    }
    times.sort((x, y) => x - y);
    const ms = times[Math.floor(times.length / 2)]!;
    return { size, ms, gflops: (2 * size ** 3) / ms / 1e6 };
  } finally {
    a.dispose();
    b.dispose();
  }
}
