import { describe, expect, it } from 'vitest';
import { MAX_SWEEP_RUNS, planSweep, SweepPlanError } from './plan.ts';

const issuesOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    if (error instanceof SweepPlanError) return error.issues;
    throw error;
  }
  throw new Error('expected a SweepPlanError');
};

const transformer = { p: 23, steps: 10, model: { kind: 'TRANSFORMER' as const, dModel: 32, heads: 4 } };

describe('planSweep', () => {
  it('plans the grid: every axis combination × seeds, each config validated and defaulted', () => {
    const plan = planSweep(
      transformer,
      [
        { path: 'model.alpha', values: [0, 0.5, 1] },
        { path: 'model.dModel', values: [32, 64] },
      ],
      [1, 2],
    );
    // 3 α × 2 widths × 2 seeds = 12, the last axis fastest, seeds innermost.
    expect(plan).toHaveLength(12);
    expect(plan.slice(0, 4).map((r) => [r.config.model, r.config.seed])).toMatchObject([
      [{ alpha: 0, dModel: 32, kind: 'TRANSFORMER' }, 1],
      [{ alpha: 0, dModel: 32 }, 2],
      [{ alpha: 0, dModel: 64 }, 1],
      [{ alpha: 0, dModel: 64 }, 2],
    ]);
    expect(plan[11]?.axisValues).toEqual({ 'model.alpha': 1, 'model.dModel': 64 });
    // Defaults filled by the run schema, base fields kept.
    expect(plan[0]?.config).toMatchObject({ p: 23, steps: 10, trainFraction: 0.5, operation: 'add' });
  });

  it('sweeps enum names and top-level fields; without seeds, the base seed', () => {
    const plan = planSweep({ p: 23, seed: 7 }, [
      { path: 'operation', values: ['add', 'mul'] },
      { path: 'optimizer.weightDecay', values: [0, 1] },
    ]);
    expect(plan.map((r) => [r.config.operation, r.config.optimizer.weightDecay, r.config.seed])).toEqual([
      ['add', 0, 7],
      ['add', 1, 7],
      ['mul', 0, 7],
      ['mul', 1, 7],
    ]);
  });

  it('samples a random search reproducibly from the axis values', () => {
    const axes = [
      { path: 'optimizer.lr', values: [1e-3, 3e-3, 1e-2] },
      { path: 'trainFraction', values: [0.3, 0.5, 0.7] },
    ];
    const a = planSweep({ p: 23 }, axes, [0, 1], { kind: 'random', count: 5, seed: 3 });
    const b = planSweep({ p: 23 }, axes, [0, 1], { kind: 'random', count: 5, seed: 3 });
    expect(a).toHaveLength(10);
    expect(a).toEqual(b);
    for (const run of a) {
      expect(axes[0]?.values).toContain(run.config.optimizer.lr);
      expect(axes[1]?.values).toContain(run.config.trainFraction);
    }
  });

  it('names an unknown path, a model field of another kind, and a value out of range', () => {
    expect(
      issuesOf(() =>
        planSweep({ p: 23 }, [
          { path: 'model.embedDim', values: [8] },
          { path: 'model.alpha', values: [0.5] },
          { path: 'optimizer.nope', values: [1] },
          { path: 'p', values: [23, 24, 263] },
          { path: 'operation', values: ['add', 'pow'] },
        ]),
      ),
    ).toEqual([
      expect.objectContaining({ path: 'axes.1.path', code: 'UNKNOWN_FIELD' }),
      expect.objectContaining({ path: 'axes.2.path', code: 'UNKNOWN_FIELD' }),
      expect.objectContaining({ path: 'axes.3.values.1', message: 'must be a prime number' }),
      expect.objectContaining({ path: 'axes.3.values.2', code: 'OUT_OF_RANGE' }),
      expect.objectContaining({ path: 'axes.4.values.1', code: 'INVALID_VALUE' }),
    ]);
  });

  it('refuses a wrong type, an empty axis, a repeated axis, bad seeds and a bad base', () => {
    expect(issuesOf(() => planSweep(transformer, [{ path: 'model.alpha', values: ['high'] }]))).toEqual([
      expect.objectContaining({ path: 'axes.0.values.0', code: 'INVALID_VALUE' }),
    ]);
    expect(
      issuesOf(() =>
        planSweep(
          transformer,
          [
            { path: 'model.alpha', values: [] },
            { path: 'model.alpha', values: [1] },
          ],
          [1, 1, -2],
        ),
      ).map((i) => i.path),
    ).toEqual(['seeds.2', 'seeds', 'axes.0.values', 'axes.1.path']);
    expect(issuesOf(() => planSweep({ p: 4 }, []))).toEqual([
      expect.objectContaining({ path: 'base.p', message: 'must be a prime number' }),
    ]);
  });

  it(`refuses more than ${MAX_SWEEP_RUNS} runs before building any`, () => {
    const values = Array.from({ length: 101 }, (_, i) => (i + 1) / 1000);
    expect(
      issuesOf(() =>
        planSweep(
          { p: 23 },
          [
            { path: 'optimizer.lr', values },
            { path: 'optimizer.weightDecay', values },
          ],
          [0],
        ),
      ),
    ).toEqual([{ path: 'axes', message: 'plans 10201 runs; at most 10000 are allowed', code: 'TOO_MANY' }]);
  });

  it('names the combination when values valid alone clash together', () => {
    const issues = issuesOf(() =>
      planSweep(transformer, [
        { path: 'model.dModel', values: [32, 30] },
        { path: 'model.heads', values: [4] },
      ]),
    );
    expect(issues[0]).toMatchObject({ path: 'axes', code: 'INVALID_VALUE' });
    expect(issues[0]?.message).toContain('model.dModel=30');
  });
});
