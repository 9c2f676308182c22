import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe } from 'vitest';
import { selectBackend } from '../../src/backends/select.ts';
import type { TfjsBackendName } from '../../src/config.ts';

/** The backends every numeric suite runs on (always installed; webgpu and tensorflow are optional). */
export const TEST_BACKENDS: readonly TfjsBackendName[] = ['cpu', 'wasm'];

/**
 * One suite, every backend (tfjs's describeWithFlags): `fn` is declared once per backend, which is selected before
 * that copy's tests run.
 */
export function describeEachBackend(
  name: string,
  fn: (backend: TfjsBackendName) => void,
  backends: readonly TfjsBackendName[] = TEST_BACKENDS,
): void {
  for (const backend of backends) {
    describe(`${name} [${backend}]`, () => {
      beforeAll(async () => {
        await selectBackend(backend);
      });
      fn(backend);
    });
  }
}

/** Runs `f` and asserts the tensor count grew by exactly the tensors it returned (a tensor, an array of them, or none). */
export async function expectNoLeak<T>(f: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await f();
  const returned =
    result instanceof tf.Tensor
      ? 1
      : Array.isArray(result)
        ? result.filter((r) => r instanceof tf.Tensor).length
        : 0;
  const leaked = tf.memory().numTensors - before - returned;
  if (leaked !== 0) throw new Error(`leaked ${leaked} tensors`);
  return result;
}
