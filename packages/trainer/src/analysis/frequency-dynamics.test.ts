import { describe, expect, it } from 'vitest';
import { createRng } from '../data/rng.ts';
import { fitFrequencyDynamics, rollout } from './frequency-dynamics.ts';

/** A stable 5×5 interaction matrix with competition (negative off-diagonals) and one helper (positive). */
const A = [
  [-0.02, -0.004, 0.001, 0, -0.002],
  [-0.003, -0.015, -0.002, 0.001, 0],
  [0.002, -0.001, -0.03, -0.005, 0.001],
  [0, 0.003, -0.002, -0.01, -0.004],
  [-0.001, 0, 0.002, -0.003, -0.025],
];
const b = [0.3, 0.1, -0.05, 0.2, 0.15];

/** x_{t+1} = x_t + A x_t + b from x_0, recorded every `every` steps for `steps` steps. */
function simulate(
  steps: number,
  every: number,
  x0 = [5, 1, 8, 2, 3],
): { steps: number[]; values: number[][] } {
  let x = x0.slice();
  const out = { steps: [0], values: [x.slice()] };
  for (let t = 1; t <= steps; t++) {
    x = x.map((v, i) => v + A[i]!.reduce((s, a, j) => s + a * x[j]!, 0) + b[i]!);
    if (t % every === 0) {
      out.steps.push(t);
      out.values.push(x.slice());
    }
  }
  return out;
}

describe('fitFrequencyDynamics (measures.md §6.4)', () => {
  it('recovers a known linear map from every-step records, with R² = 1 and an exact rollout', () => {
    const data = simulate(300, 1);
    const fit = fitFrequencyDynamics(data);
    // The data are exactly linear, so OLS is exact up to rounding; the Gram matrix's condition number (trajectories
    // relax towards a fixed point, features correlated) is ~1e6, so 1e-8 absolute leaves a wide margin over 1e-16·κ.
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) expect(fit.interaction[i]![j]).toBeCloseTo(A[i]![j]!, 8);
      expect(fit.intercept[i]).toBeCloseTo(b[i]!, 7);
      expect(fit.r2[i]).toBeCloseTo(1, 10);
    }
    expect(fit.r2Overall).toBeCloseTo(1, 10);
    expect(fit.ridge).toBe(0);
    expect(fit.frequencies).toEqual([1, 2, 3, 4, 5]);
    expect(fit.simulated).toHaveLength(data.steps.length);
    for (const [k, v] of fit.simulated.at(-1)!.entries()) expect(v).toBeCloseTo(data.values.at(-1)![k]!, 6);
  });

  it('fits a window only, and approximates per-step coefficients from records every 10 steps', () => {
    const data = simulate(1000, 10);
    const fit = fitFrequencyDynamics(data, { from: 0, to: 600 });
    expect(fit.steps.at(-1)).toBe(600);
    // Forward differences over Δ = 10 steps: (x_{t+10} − x_t)/10 = A x_t + b + O(Δ‖A‖) relative; ‖A‖ ≈ 0.03 gives
    // errors of a few 1e-3 on diagonal entries ~1e-2, so compare with 20% of the largest entry.
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 5; j++) expect(Math.abs(fit.interaction[i]![j]! - A[i]![j]!)).toBeLessThan(0.006);
    expect(fit.r2Overall).toBeGreaterThan(0.999);
    // The rollout iterates the fitted map per training step across each 10-step gap: it tracks the data closely.
    const worst = Math.max(
      ...fit.simulated.flatMap((x, r) => x.map((v, k) => Math.abs(v - data.values[r]![k]!))),
    );
    expect(worst).toBeLessThan(0.5);
  });

  it('gives a lower R² on noisy data', () => {
    const data = simulate(300, 1);
    const rng = createRng(7);
    const noisy = {
      steps: data.steps,
      values: data.values.map((x) => x.map((v) => v + 0.05 * rng.normal())),
    };
    const fit = fitFrequencyDynamics(noisy);
    expect(fit.r2Overall).toBeLessThan(0.9);
    expect(fit.r2.every(Number.isFinite)).toBe(true);
  });

  it('is NaN-free on constant trajectories (a singular fit switches to a tiny ridge)', () => {
    const values = Array.from({ length: 20 }, () => [1, 2, 3]);
    const fit = fitFrequencyDynamics({ steps: values.map((_, i) => i), values });
    expect(fit.ridge).toBeGreaterThan(0);
    expect(fit.interaction.flat().every((v) => v === 0)).toBe(true);
    expect(fit.intercept).toEqual([0, 0, 0]);
    expect(fit.r2).toEqual([1, 1, 1]);
    expect(fit.simulated.at(-1)).toEqual([1, 2, 3]);
  });

  it('is NaN-free when the window has fewer differences than unknowns', () => {
    const data = simulate(4, 1);
    const fit = fitFrequencyDynamics(data);
    expect(fit.ridge).toBeGreaterThan(0);
    expect([...fit.interaction.flat(), ...fit.intercept, ...fit.r2].every(Number.isFinite)).toBe(true);
  });

  it('refuses windows with fewer than 3 records and mismatched input', () => {
    const data = simulate(50, 1);
    expect(() => fitFrequencyDynamics(data, { from: 10, to: 11 })).toThrow(/at least 3/);
    expect(() => fitFrequencyDynamics({ steps: [0, 1], values: [[1]] })).toThrow(/differ in length/);
    expect(() => fitFrequencyDynamics({ steps: [0, 2, 1], values: [[1], [2], [3]] })).toThrow(/ascending/);
  });

  it('cuts a diverging rollout instead of returning non-finite values', () => {
    // x ← 3x per step: finite for 600 steps, overflows across the 2000-step gap.
    const out = rollout([[2]], [0], [1], [0, 1, 600, 2600]);
    expect(out).toHaveLength(3);
    expect(out[1]).toEqual([3]);
    expect(out[2]![0]! / 3 ** 600).toBeCloseTo(1, 10);
    expect(out.flat().every(Number.isFinite)).toBe(true);
  });
});
