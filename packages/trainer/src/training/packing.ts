import type * as tf from '@tensorflow/tfjs-core';
import type { StepReport } from '../report.ts';

/** Where one measure's values sit in the packed read-back tensor. */
export interface Slot {
  id: string;
  shape: 'scalar' | 'vector' | 'matrix';
  length: number;
}

/**
 * All values of one report in one 1-D tensor, so a step costs a single device read; or already on the host, when
 * an engine computed every value itself (a native step with no tfjs measure due).
 */
export interface PackedValues {
  values: tf.Tensor1D | Float32Array;
  slots: Slot[];
}

/** Reads the packed tensor once (asynchronously), disposes it, and lays the values out as a report. */
export async function readReport(
  packed: PackedValues,
  step: number,
  elapsedMs: () => number,
): Promise<StepReport> {
  let values: Float32Array | Int32Array | Uint8Array;
  if (packed.values instanceof Float32Array) values = packed.values;
  else {
    try {
      values = await packed.values.data();
    } finally {
      packed.values.dispose();
    }
  }
  const report: StepReport = { step, scalars: {}, vectors: {}, elapsedMs: 0 };
  let offset = 0;
  for (const slot of packed.slots) {
    if (slot.shape === 'scalar') report.scalars[slot.id] = values[offset]!;
    else report.vectors[slot.id] = Array.from(values.subarray(offset, offset + slot.length));
    offset += slot.length;
  }
  report.elapsedMs = elapsedMs();
  return report;
}
