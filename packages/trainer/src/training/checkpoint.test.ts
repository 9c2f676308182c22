import { describe, expect, it } from 'vitest';
import type { RunConfigInput } from '../config.ts';
import type { StepReport } from '../report.ts';
import { train } from '../train.ts';
import { decodeCheckpoint, encodeCheckpoint, type TrainingState } from './checkpoint.ts';

const RUN: RunConfigInput = {
  p: 13,
  steps: 24,
  model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 },
  optimizer: { warmupSteps: 4 },
  cadence: { key_frequencies: 5, gradient_symmetry: 10, frequency_signal: 5, weight_norm: 1 },
};

/** A report without its wall time (the one value a resumed run cannot repeat). */
const numbers = (r: StepReport) => ({ step: r.step, scalars: r.scalars, vectors: r.vectors });

it('round-trips a state through the safetensors layout', () => {
  const state: TrainingState = {
    step: 7,
    elapsedMs: 12.5,
    params: [Float32Array.of(1, 2, 3, 4, 5, 6), Float32Array.of(-0.5)],
    m: [Float32Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6), Float32Array.of(1e-9)],
    v: [Float32Array.of(6, 5, 4, 3, 2, 1), Float32Array.of(Number.NaN)],
    shapes: [[2, 3], [1]],
  };
  const bytes = encodeCheckpoint(state);
  // safetensors: u64 LE header length, then the JSON header (padded to 8 bytes), then 3 × (6 + 1) float32 values.
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  expect((8 + headerLength) % 8).toBe(0);
  expect(bytes.length).toBe(8 + headerLength + 3 * 7 * 4);
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8'));
  expect(header['param.000']).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
  expect(header['adam_v.001'].data_offsets).toEqual([80, 84]);
  const back = decodeCheckpoint(bytes);
  expect(back.step).toBe(7);
  expect(back.elapsedMs).toBe(12.5);
  expect(back.shapes).toEqual(state.shapes);
  expect(back.params.map((a) => [...a])).toEqual(state.params.map((a) => [...a]));
  expect(back.m.map((a) => [...a])).toEqual(state.m.map((a) => [...a]));
  expect(Number.isNaN(back.v[1]![0])).toBe(true);
});

describe.each(['native', 'wasm'] as const)('resuming on %s', (backend) => {
  it('continues from a checkpoint with the reports of the uninterrupted run, bit for bit', async () => {
    const config = { ...RUN, backend };
    const reference: StepReport[] = [];
    const checkpoints: Uint8Array[] = [];
    for await (const r of train(config, {
      strictBackend: true,
      checkpoint: { everySteps: 10, save: (s) => void checkpoints.push(encodeCheckpoint(s)) },
    }))
      reference.push(r);
    // Checkpoints at 10 and 20 updates; never at the last step (24).
    expect(checkpoints.map((c) => decodeCheckpoint(c).step)).toEqual([10, 20]);

    const resume = decodeCheckpoint(checkpoints[0]!);
    const resumed: StepReport[] = [];
    for await (const r of train(config, { strictBackend: true, resume })) resumed.push(r);
    expect(resumed.map((r) => r.step)).toEqual(reference.slice(10).map((r) => r.step));
    expect(resumed.map(numbers)).toEqual(reference.slice(10).map(numbers));
    // The clock continues from the checkpoint's.
    expect(resumed[0]!.elapsedMs).toBeGreaterThanOrEqual(resume.elapsedMs);
  });

  it('checkpoints where it was stopped, so another process can continue there', async () => {
    const config = { ...RUN, backend };
    const controller = new AbortController();
    const saved: TrainingState[] = [];
    for await (const r of train(config, {
      strictBackend: true,
      signal: controller.signal,
      checkpoint: { everySteps: 10, save: (s) => void saved.push(s) },
    })) {
      if (r.step === 13) controller.abort();
    }
    expect(saved.map((s) => s.step)).toEqual([10, 14]);
  });
});
