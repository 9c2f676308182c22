import { describe, expect, it } from 'vitest';
import { parseRunConfig, RunConfigError, rfmMatrixBytes } from '../config.ts';
import { MEASURE_CATALOGUE } from '../measures/index.ts';
import { totalSteps } from '../models/kinds/index.ts';
import type { StepReport } from '../report.ts';
import { train } from '../train.ts';

async function collect(config: Parameters<typeof train>[0]): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  for await (const report of train(config)) reports.push(report);
  return reports;
}

describe('RFM config', () => {
  it('takes the released code’s defaults and keeps addition the default task', () => {
    const run = parseRunConfig({ model: { kind: 'RFM' } });
    expect(run.model).toEqual({ kind: 'RFM', kernel: 'GAUSSIAN', bandwidth: 12.5, ridge: 0, iterations: 50 });
    expect(run.operation).toBe('add');
    expect(totalSteps(run)).toBe(50);
    expect(totalSteps(parseRunConfig({}))).toBe(4000);
  });

  it('refuses kernel matrices over the memory limit, naming trainFraction', () => {
    expect(rfmMatrixBytes(61, 0.5)).toBe(8 * (2 * 1860 * 1860 + 1861 * 1860));
    let error: unknown;
    try {
      parseRunConfig({ p: 257, trainFraction: 0.5, model: { kind: 'RFM' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunConfigError);
    expect((error as RunConfigError).issues[0]!.path).toBe('trainFraction');
    expect((error as RunConfigError).message).toMatch(/GiB/);
    // Networks are not limited by it.
    expect(parseRunConfig({ p: 257, trainFraction: 0.5 }).p).toBe(257);
  });

  it('lists the RFM measures in the catalogue', () => {
    const ids = MEASURE_CATALOGUE.map((m) => m.id);
    expect(ids).toEqual(
      expect.arrayContaining(['circulant_deviation', 'agop_alignment', 'rfm_feature_matrix']),
    );
  });
});

describe('RFM training (measures.md §7)', () => {
  it('groks modular addition at p = 23: test accuracy 0 for the first iterations, then 1', async () => {
    const p = 23;
    const reports = await collect({
      p,
      trainFraction: 0.75,
      seed: 0,
      model: { kind: 'RFM', iterations: 12 },
    });
    expect(reports.map((r) => r.step)).toEqual(Array.from({ length: 13 }, (_, t) => t));
    const acc = reports.map((r) => r.scalars.test_acc!);
    // Ridgeless: the training data are interpolated at every iteration.
    for (const r of reports) {
      expect(r.scalars.train_acc).toBe(1);
      expect(r.scalars.train_loss).toBeLessThan(1e-12);
      expect(r.vectors.rfm_feature_matrix).toHaveLength(4 * p * p);
    }
    // Seed 0: test accuracy is exactly 0 with M = I (a neighbour sharing one operand never has the answer) and
    // through iteration 6, then climbs past 0.99 by iteration 10 (measured: 0.38 at 8, 0.99 at 10, 1 at 12).
    expect(Math.max(...acc.slice(0, 5))).toBeLessThan(0.05);
    expect(acc.at(-1)).toBeGreaterThan(0.99);
    // The cross block becomes circulant: deviation undefined at M₀ = I, then falls by more than 10×.
    const deviation = reports.map((r) => r.scalars.circulant_deviation!);
    expect(deviation[0]).toBeNaN();
    expect(deviation.at(-1)!).toBeLessThan(deviation[1]! / 10);
    // The feature matrix converges: consecutive iterates align.
    expect(reports.at(-1)!.scalars.agop_alignment).toBeGreaterThan(0.999);
  });

  it('gives the same reports for the same config, and runs the other tasks', async () => {
    const config = {
      p: 7,
      seed: 3,
      operation: 'div' as const,
      model: { kind: 'RFM' as const, iterations: 2 },
    };
    const strip = (rs: StepReport[]) => rs.map(({ elapsedMs: _ms, ...rest }) => rest);
    const first = await collect(config);
    expect(strip(await collect(config))).toEqual(strip(first));
    expect(first).toHaveLength(3);
    for (const r of first) expect(Number.isFinite(r.scalars.test_acc)).toBe(true);
    const quadratic = await collect({
      ...config,
      operation: 'mul',
      model: { kind: 'RFM', kernel: 'QUADRATIC', iterations: 1 },
    });
    expect(quadratic.at(-1)!.scalars.agop_alignment).toBeGreaterThan(0);
  });
});
