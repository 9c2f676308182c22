import { expect, it } from 'vitest';
import type { RunConfigInput } from '../config.ts';
import type { StepReport } from '../report.ts';
import { train } from '../train.ts';

/** A small run with every measure due often, so the native session's copies of θ_t into tfjs are exercised. */
const RUN: RunConfigInput = {
  p: 13,
  steps: 20,
  model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 },
  cadence: {
    embed_fourier_norms: 5,
    logit_map_fourier_norms: 5,
    key_frequencies: 5,
    restricted_loss: 5,
    distance_irrelevance: 5,
    gradient_symmetry: 10,
    circularity: 5,
    frequency_signal: 5,
    input_agop: 10,
    weight_norm: 1,
  },
};

async function reports(backend: 'native' | 'wasm'): Promise<StepReport[]> {
  const out: StepReport[] = [];
  for await (const r of train({ ...RUN, backend }, { strictBackend: true })) out.push(r);
  return out;
}

it('reports what the wasm engine reports, measures included, through train()', async () => {
  const native = await reports('native');
  const wasm = await reports('wasm');
  expect(native.map((r) => r.step)).toEqual(wasm.map((r) => r.step));
  native.forEach((r, i) => {
    const ref = wasm[i]!;
    expect(Object.keys(r.scalars).sort()).toEqual(Object.keys(ref.scalars).sort());
    expect(Object.keys(r.vectors).sort()).toEqual(Object.keys(ref.vectors).sort());
    for (const [id, value] of Object.entries(ref.scalars)) {
      // 20 float32 steps of two engines apart: agreement to 1e-3 relative (the per-step test holds 1e-5).
      expect(Math.abs(r.scalars[id]! - value), `${id} at step ${r.step}`).toBeLessThanOrEqual(
        1e-3 * Math.abs(value) + 1e-4,
      );
    }
    for (const [id, values] of Object.entries(ref.vectors)) {
      values.forEach((v, k) => {
        expect(Math.abs(r.vectors[id]![k]! - v), `${id}[${k}] at step ${r.step}`).toBeLessThanOrEqual(
          1e-3 * Math.abs(v) + 1e-4,
        );
      });
    }
  });
});
