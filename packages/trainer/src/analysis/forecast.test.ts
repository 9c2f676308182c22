import { describe, expect, it } from 'vitest';
import { forecastGrokStep } from './forecast.ts';

const range = (n: number, every = 10) => Array.from({ length: n }, (_, i) => i * every);

describe('forecastGrokStep', () => {
  it('extrapolates a logistic rise of test accuracy to the threshold (exact on a logistic curve)', () => {
    // acc(t) = σ((t − 2000)/150): crosses 0.99 at 2000 + 150·ln 99 ≈ 2689. Records up to step 1900.
    const steps = range(191);
    const testAcc = steps.map((t) => 1 / (1 + Math.exp(-(t - 2000) / 150)));
    const testLoss = steps.map(() => 3);
    const f = forecastGrokStep({ steps, testAcc, testLoss });
    expect(f?.basis).toBe('test_accuracy');
    expect(f?.step).toBeCloseTo(2000 + 150 * Math.log(99), -1);
    expect(f!.low).toBeLessThanOrEqual(f!.step);
    expect(f!.high).toBeGreaterThanOrEqual(f!.step);
  });

  it('brackets a falling test loss between its linear and its exponential extrapolation', () => {
    // Test accuracy still at the floor; test loss falls as 8·e^{−(t−1000)/500} from step 1000, observed to 2000.
    // Log-linear reaches 0.07 at 1000 + 500·ln(8/0.07) ≈ 3369 (the late end); the linear fit gets there sooner.
    const steps = range(201);
    const testLoss = steps.map((t) => (t < 1000 ? 8 : 8 * Math.exp(-(t - 1000) / 500)));
    const testAcc = steps.map(() => 0.01);
    const f = forecastGrokStep({ steps, testAcc, testLoss });
    expect(f?.basis).toBe('test_loss');
    expect(f!.high).toBeCloseTo(1000 + 500 * Math.log(8 / 0.07), -1);
    expect(f!.low).toBeLessThan(f!.high);
    expect(f!.low).toBeGreaterThan(2000);
    expect(f!.step).toBe(Math.round(Math.sqrt(f!.low * f!.high)));
  });

  it('makes no forecast on the memorisation plateau (test loss rising, accuracy at the floor)', () => {
    const steps = range(100);
    expect(
      forecastGrokStep({ steps, testAcc: steps.map(() => 0.01), testLoss: steps.map((t) => 4 + t / 1000) }),
    ).toBeNull();
    expect(forecastGrokStep({ steps: [], testAcc: [], testLoss: [] })).toBeNull();
  });

  it('reports the observed step once test accuracy has crossed for good', () => {
    const steps = range(100);
    const testAcc = steps.map((t) => (t >= 700 ? 1 : 0.2));
    const f = forecastGrokStep({ steps, testAcc, testLoss: steps.map(() => 0.01) });
    expect(f).toEqual({ step: 700, low: 700, high: 700, basis: 'observed' });
  });
});
