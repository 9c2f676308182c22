import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { MeasurePass } from '../../src/training/measure-pass.ts';

/** max |x − y| / max(|y|, floor): how the native engine is compared with the tfjs reference (≤ 1e-5 in float32). */
export function relativeError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]!));
  let worst = 0;
  for (let i = 0; i < y.length; i++)
    worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / Math.max(scale, 1e-30));
  return worst;
}

/** The values of the measures due at `step` from a measure pass, in its slot order, as host arrays. */
export async function measureValues(pass: MeasurePass, step: number): Promise<number[][]> {
  await pass.prefetch(step, false);
  try {
    return tf.tidy(() => pass.compute(step, false).map((t) => Array.from(t.dataSync())));
  } finally {
    pass.drop();
  }
}

/** Each measure value from the native engine within 1e-4 relative (+1e-6) of the tfjs pass's. */
export function expectSameMeasures(fromNative: number[][], fromTfjs: number[][]): void {
  fromTfjs.forEach((measure, k) => {
    measure.forEach((v, j) => {
      expect(Math.abs(fromNative[k]![j]! - v), `measure ${k}[${j}]`).toBeLessThanOrEqual(
        1e-4 * Math.abs(v) + 1e-6,
      );
    });
  });
}
