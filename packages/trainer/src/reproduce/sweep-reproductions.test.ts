import { describe, expect, it } from 'vitest';
import { planSweep } from '../sweep/plan.ts';
import { byAlpha, byWidth, CLOCK_PIZZA_PHASE, clockPizzaChecks } from './clock-pizza-phase.ts';
import { localBatches, type SweepRunOutcome } from './sweep-executors.ts';
import { byFraction, TRAIN_FRACTION, trainFractionChecks } from './train-fraction.ts';

const run = (
  axisValues: Record<string, unknown>,
  seed: number,
  scalars: Record<string, number>,
  grokStep: number | null = null,
): SweepRunOutcome => ({
  axisValues,
  seed,
  scalars,
  grokStep,
  frequencySignal: [],
  seconds: 1,
});

const phase = (alpha: number, width: number, seed: number, symmetry: number, irrelevance: number) =>
  run({ 'model.alpha': alpha, 'model.dModel': width }, seed, {
    gradient_symmetry: symmetry,
    distance_irrelevance: irrelevance,
  });

describe('clock-pizza-phase analysis', () => {
  const runs = [
    phase(0, 32, 0, 0.99, 0.6),
    phase(0, 32, 1, 0.995, 0.5),
    phase(0, 64, 0, 0.97, 0.7),
    phase(0.5, 32, 0, 0.99, 0.6),
    phase(0.5, 64, 0, 0.6, 0.8),
    phase(1, 32, 0, 0.5, 0.9),
    phase(1, 64, 0, 0.4, 0.85),
  ];

  it('reports per α the medians and per width the Pizza-like share and the largest mostly-Pizza α', () => {
    // α = 0: symmetries 0.97, 0.99, 0.995 → median 0.99; irrelevances 0.5, 0.6, 0.7 → 0.6.
    const rounded = byAlpha(runs).map((r) => ({
      ...r,
      symmetry: Number(r.symmetry.toFixed(6)),
      irrelevance: Number(r.irrelevance.toFixed(6)),
    }));
    expect(rounded).toEqual([
      { alpha: 0, runs: 3, symmetry: 0.99, irrelevance: 0.6 },
      { alpha: 0.5, runs: 2, symmetry: 0.795, irrelevance: 0.7 },
      { alpha: 1, runs: 2, symmetry: 0.45, irrelevance: 0.875 },
    ]);
    // Width 32: 3 of 4 Pizza-like (≥ 0.98), mostly Pizza up to α = 0.5; width 64: none.
    expect(byWidth(runs)).toEqual([
      { width: 32, runs: 4, pizzaShare: 0.75, boundary: 0.5 },
      { width: 64, runs: 3, pizzaShare: 0, boundary: null },
    ]);
  });

  it('checks Pizza-like at α = 0 and Clock-like at α = 1', () => {
    expect(clockPizzaChecks(byAlpha(runs)).map((c) => c.pass)).toEqual([true, true]);
    const clockEverywhere = runs.map((r) => ({ ...r, scalars: { ...r.scalars, gradient_symmetry: 0.5 } }));
    expect(clockPizzaChecks(byAlpha(clockEverywhere)).map((c) => c.pass)).toEqual([false, true]);
    expect(clockPizzaChecks([]).map((c) => c.pass)).toEqual([false, false]);
  });

  it('plans valid sweeps at both sizes: 11 α × 2 widths × 3 seeds, and 3 × 2 × 2 for CI', () => {
    const full = CLOCK_PIZZA_PHASE.plan('full');
    const ci = CLOCK_PIZZA_PHASE.plan('ci');
    expect(planSweep(full.base, full.axes, full.seeds)).toHaveLength(66);
    const planned = planSweep(ci.base, ci.axes, ci.seeds);
    expect(planned).toHaveLength(12);
    expect(planned[0]?.config.model).toMatchObject({
      kind: 'TRANSFORMER',
      alpha: 0,
      dModel: 32,
      causal: false,
    });
  });

  it('trains a local sweep’s runs that share shapes as batches spread over the jobs, others one a process', () => {
    const ci = CLOCK_PIZZA_PHASE.plan('ci');
    const planned = planSweep(ci.base, ci.axes, ci.seeds);
    const widths = (jobs: number) =>
      localBatches(planned, jobs).map((batch) =>
        batch.map((r) => r.config.model.kind === 'TRANSFORMER' && r.config.model.dModel),
      );
    // 6 runs per width (3 α × 2 seeds; α is per run, the width a shape): two processes of 3 per width on 2 jobs.
    expect(widths(2)).toEqual([
      [32, 32, 32],
      [32, 32, 32],
      [64, 64, 64],
      [64, 64, 64],
    ]);
    expect(widths(1)).toEqual([Array(6).fill(32), Array(6).fill(64)]);
    expect(localBatches(planned, 2).flat()).toHaveLength(12);
    // A TensorFlow.js backend has no batched step: one process a run.
    const wasm = planSweep({ ...ci.base, backend: 'wasm' }, ci.axes, ci.seeds);
    expect(localBatches(wasm, 2).map((batch) => batch.length)).toEqual(Array(12).fill(1));
  });
});

describe('train-fraction analysis', () => {
  const at = (fraction: number, seed: number, grok: number | null) =>
    run({ trainFraction: fraction }, seed, {}, grok);

  it('takes the median grokking step per fraction, never-grokked counting as after the end', () => {
    expect(
      byFraction([at(0.3, 0, null), at(0.3, 1, null), at(0.3, 2, 900), at(0.5, 0, 400), at(0.5, 1, 600)]),
    ).toEqual([
      { fraction: 0.3, runs: 3, grokked: 1, medianGrokStep: null },
      { fraction: 0.5, runs: 2, grokked: 2, medianGrokStep: 500 },
    ]);
  });

  it('passes when smaller fractions grok later and the largest groks', () => {
    const pass = trainFractionChecks(byFraction([at(0.3, 0, null), at(0.5, 0, 900), at(0.7, 0, 400)]));
    expect(pass.map((c) => c.pass)).toEqual([true, true]);
    expect(pass[1]?.observed).toBe('0.3: never, 0.5: 900, 0.7: 400');
    // Earlier at a smaller fraction: fails; nothing grokked: fails both.
    expect(trainFractionChecks(byFraction([at(0.3, 0, 300), at(0.7, 0, 400)])).map((c) => c.pass)).toEqual([
      true,
      false,
    ]);
    expect(trainFractionChecks(byFraction([at(0.3, 0, null), at(0.7, 0, null)])).map((c) => c.pass)).toEqual([
      false,
      false,
    ]);
  });

  it('plans valid sweeps at both sizes', () => {
    for (const size of ['full', 'ci'] as const) {
      const plan = TRAIN_FRACTION.plan(size);
      expect(planSweep(plan.base, plan.axes, plan.seeds).length).toBe(
        plan.axes[0]!.values.length * plan.seeds.length,
      );
    }
  });
});
