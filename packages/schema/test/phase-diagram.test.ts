import type { RunRow } from '@grokscope/db';
import { describe, expect, it } from 'vitest';
import { phaseDiagram, phaseMeasureOf } from '../src/phase-diagram.ts';

let next = 0;
const run = (alpha: number, status: RunRow['status'], summary: Record<string, unknown>): RunRow => {
  const partial: Partial<RunRow> = {
    id: `00000000-0000-4000-8000-${String(next++).padStart(12, '0')}`,
    status,
    seed: 0,
    axisValues: { 'model.alpha': alpha },
    summary,
  };
  return partial as RunRow;
};

const axes = new Map<string, readonly unknown[]>([
  ['model.alpha', [0, 0.5, 1]],
  ['seed', [0]],
]);

describe('phaseDiagram', () => {
  const runs = [
    run(0, 'COMPLETED', { finalScalars: { gradient_symmetry: 0.99 }, algorithm: 'PIZZA', grokStep: 300 }),
    run(0, 'COMPLETED', { finalScalars: { gradient_symmetry: 0.97 }, algorithm: 'PIZZA', grokStep: 500 }),
    run(0, 'COMPLETED', { finalScalars: { gradient_symmetry: 0.5 }, algorithm: 'CLOCK', grokStep: null }),
    run(1, 'RUNNING', { finalScalars: { gradient_symmetry: 0.1 } }),
    run(1, 'QUEUED', {}),
  ];
  const diagram = (measure: string, reduce: 'MEDIAN' | 'MEAN' | 'SHARE_ABOVE' = 'MEDIAN', live = new Map()) =>
    phaseDiagram({
      runs,
      axes,
      x: 'model.alpha',
      y: null,
      measure: phaseMeasureOf(measure)!,
      reduce,
      threshold: 0.9,
      live,
    }).cells;

  it('reduces finished runs’ finals and a running run’s latest stored value; empty cells stay', () => {
    // α = 0: median of 0.99, 0.97, 0.5 = 0.97. α = 1: only the running run's live value (0.4), not its stale
    // summary (0.1); the queued run has none.
    expect(diagram('gradient_symmetry', 'MEDIAN', new Map([[runs[3]!.id, 0.4]]))).toEqual([
      { x: 0, y: null, value: 0.97, runs: 3, done: 3 },
      { x: 0.5, y: null, value: null, runs: 0, done: 0 },
      { x: 1, y: null, value: 0.4, runs: 2, done: 0 },
    ]);
    // SHARE_ABOVE 0.9: 2 of 3.
    expect(diagram('gradient_symmetry', 'SHARE_ABOVE')[0]?.value).toBeCloseTo(2 / 3, 12);
  });

  it('gives a verdict as the share of runs with a verdict that have it, and grok_step over runs that grokked', () => {
    expect(diagram('PIZZA')[0]?.value).toBeCloseTo(2 / 3, 12);
    expect(diagram('CLOCK')[0]?.value).toBeCloseTo(1 / 3, 12);
    expect(diagram('PIZZA')[2]?.value).toBeNull();
    // Median of 300 and 500 (the run that never grokked has no step).
    expect(diagram('grok_step')[0]?.value).toBe(400);
  });

  it('knows catalogue scalars, grok_step and verdicts, nothing else', () => {
    expect(phaseMeasureOf('test_acc')).toEqual({ kind: 'scalar', id: 'test_acc' });
    expect(phaseMeasureOf('surviving_circles')).toEqual({ kind: 'scalar', id: 'surviving_circles' });
    expect(phaseMeasureOf('grok_step')).toEqual({ kind: 'grokStep' });
    expect(phaseMeasureOf('PIZZA')).toEqual({ kind: 'verdict', algorithm: 'PIZZA' });
    expect(phaseMeasureOf('embed_fourier_norms')).toBeUndefined();
    expect(phaseMeasureOf('nope')).toBeUndefined();
  });
});
