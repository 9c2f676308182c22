import { describe, expect, it } from 'vitest';
import type { RfmModelConfig } from '../config.ts';
import { createRng } from '../data/rng.ts';
import { agop } from './agop.ts';
import { kernelMatrix, linearKernel } from './kernel.ts';
import { matMul } from './linalg.ts';

/**
 * The closed-form AGOP against a brute force: central differences of the predictor f_c(x) = Σ_i α_ic k_M(x, x_i)
 * with respect to the dense input x ∈ R^{2p} at every training input, centred per (class, coordinate), averaged.
 */
describe('agop (measures.md §7 step 3)', () => {
  const p = 5;
  const q = 2 * p;
  const n = 12;
  const rng = createRng(3);
  const train = {
    a: Int32Array.from({ length: n }, () => rng.int(p)),
    b: Int32Array.from({ length: n }, () => rng.int(p)),
  };
  const R = Float64Array.from({ length: q * q }, () => 0.3 * rng.normal());
  const Rt = Float64Array.from({ length: q * q }, (_, i) => R[(i % q) * q + Math.floor(i / q)]!);
  const M = matMul(R, Rt, q, q, q);
  for (let i = 0; i < q; i++) M[i * q + i]! += 1;
  const alpha = Float64Array.from({ length: n * p }, () => rng.normal());
  const dense = (j: number): Float64Array => {
    const x = new Float64Array(q);
    x[train.a[j]!] = 1;
    x[p + train.b[j]!] = 1;
    return x;
  };
  const form = (x: Float64Array, z: Float64Array): number => {
    let s = 0;
    for (let u = 0; u < q; u++) for (let v = 0; v < q; v++) s += x[u]! * M[u * q + v]! * z[v]!;
    return s;
  };

  for (const kernel of ['GAUSSIAN', 'QUADRATIC'] as const) {
    it(`matches finite differences for the ${kernel.toLowerCase()} kernel`, () => {
      const model: RfmModelConfig = { kind: 'RFM', kernel, bandwidth: 3, ridge: 0, iterations: 1 };
      const K = kernelMatrix(model, M, p, train, train);
      const G = agop({
        model,
        p,
        M,
        train,
        alpha,
        weights: kernel === 'GAUSSIAN' ? K : linearKernel(M, p, train, train),
        trainPredictions: matMul(K, alpha, n, n, p),
      });
      const f = (x: Float64Array, c: number): number => {
        let s = 0;
        for (let i = 0; i < n; i++) {
          const z = dense(i);
          const k =
            kernel === 'GAUSSIAN'
              ? Math.exp(-(form(x, x) + form(z, z) - 2 * form(x, z)) / 3)
              : form(x, z) ** 2;
          s += alpha[i * p + c]! * k;
        }
        return s;
      };
      const h = 1e-5;
      const grads = Array.from({ length: n }, (_, j) =>
        Array.from({ length: p }, (_, c) =>
          Array.from({ length: q }, (_, u) => {
            const up = dense(j);
            const down = dense(j);
            up[u]! += h;
            down[u]! -= h;
            return (f(up, c) - f(down, c)) / (2 * h);
          }),
        ),
      );
      const mean = Array.from({ length: p }, (_, c) =>
        Array.from({ length: q }, (_, u) => grads.reduce((s, g) => s + g[c]![u]!, 0) / n),
      );
      let worst = 0;
      let scale = 0;
      for (let u = 0; u < q; u++) {
        for (let v = 0; v < q; v++) {
          let s = 0;
          for (let j = 0; j < n; j++) {
            for (let c = 0; c < p; c++)
              s += (grads[j]![c]![u]! - mean[c]![u]!) * (grads[j]![c]![v]! - mean[c]![v]!);
          }
          worst = Math.max(worst, Math.abs(s / n - G[u * q + v]!));
          scale = Math.max(scale, Math.abs(s / n));
        }
      }
      // Central differences are exact to O(h²·f''') ≈ 1e-10 relative here; 1e-6 leaves room for rounding (h = 1e-5).
      expect(worst).toBeLessThan(1e-6 * scale);
    });
  }
});
