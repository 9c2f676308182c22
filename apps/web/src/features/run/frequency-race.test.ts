import { describe, expect, it } from 'vitest';
import {
  defaultWindow,
  evenIndices,
  FAINT_COLOR,
  growDefaultWindow,
  niceAxis,
  raceLines,
  raceRows,
  survivingFrequencies,
  windowProblem,
} from './frequency-race.ts';

describe('survivingFrequencies', () => {
  it('keeps the frequencies above twice the mean DFT entry (K = 5, p = 11)', () => {
    // θ = 2·2·(10 + 10 + 1 + 1 + 1)/11 = 8.36: k = 1, 2 survive.
    expect(survivingFrequencies([10, 10, 1, 1, 1])).toEqual([1, 2]);
  });
  it('finds none in a flat signal and ignores non-finite entries', () => {
    expect(survivingFrequencies([1, 1, 1])).toEqual([]);
    expect(survivingFrequencies([Number.NaN, 50, 1])).toEqual([2]);
  });
});

describe('defaultWindow / windowProblem', () => {
  it('takes the first 1000 steps, or the whole record when shorter', () => {
    expect(defaultWindow([0, 1, 2, 3000])).toEqual({ from: 0, to: 1000 });
    expect(defaultWindow([10, 20, 30])).toEqual({ from: 10, to: 30 });
    expect(defaultWindow([0, 1])).toBeNull();
  });
  it('names the bad end of a window', () => {
    expect(windowProblem(0, 100)).toBeNull();
    expect(windowProblem(-1, 100)?.field).toBe('from');
    expect(windowProblem(0, 1.5)?.field).toBe('to');
    expect(windowProblem(50, 50)?.field).toBe('from');
  });
});

describe('growDefaultWindow', () => {
  const steps = (last: number) => Array.from({ length: last / 10 + 1 }, (_, i) => i * 10);
  it('grows by 20% steps, jumps to the cap, and settles when the run ends', () => {
    const w = growDefaultWindow(null, steps(100), false);
    expect(w).toEqual({ from: 0, to: 100 });
    expect(growDefaultWindow(w, steps(110), false)).toBe(w);
    expect(growDefaultWindow(w, steps(120), false)).toEqual({ from: 0, to: 120 });
    expect(growDefaultWindow(w, steps(110), true)).toEqual({ from: 0, to: 110 });
    expect(growDefaultWindow({ from: 0, to: 990 }, steps(1200), false)).toEqual({ from: 0, to: 1000 });
  });
});

describe('raceLines', () => {
  it('lists survivors first (strongest first) in palette colours, the rest faint', () => {
    const lines = raceLines({
      steps: [0, 1],
      vectors: [
        [1, 1, 1, 1, 1],
        [1, 9, 1, 12, 1],
      ],
    });
    expect(lines.map((l) => l.k)).toEqual([4, 2, 1, 3, 5]);
    expect(lines.slice(0, 2).every((l) => l.survivor && l.color !== FAINT_COLOR)).toBe(true);
    expect(lines.slice(2).every((l) => !l.survivor && l.color === FAINT_COLOR)).toBe(true);
  });
  it('colours the three strongest as leaders while none survives', () => {
    const lines = raceLines({ steps: [0], vectors: [[5, 4, 3, 2, 1]] });
    expect(lines.filter((l) => l.survivor)).toEqual([]);
    expect(lines.filter((l) => l.highlighted).map((l) => l.k)).toEqual([1, 2, 3]);
  });
});

describe('raceRows', () => {
  it('merges observed and fitted steps, null where a source has no value', () => {
    const rows = raceRows(
      {
        steps: [0, 10, 20],
        vectors: [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      },
      {
        frequencies: [1, 2],
        steps: [0, 5, 10],
        simulated: [
          [1, 2],
          [2, 3],
        ],
      },
    );
    expect(rows.map((r) => r.step)).toEqual([0, 5, 10, 20]);
    expect(rows[0]).toMatchObject({ s1: 1, s2: 2, fit1: 1, fit2: 2 });
    // The rollout was cut after two records: nothing at step 10.
    expect(rows[1]).toEqual({ step: 5, fit1: 2, fit2: 3 });
    expect(rows[2]?.fit1).toBeUndefined();
  });
  it('thins each source evenly, keeping both ends', () => {
    expect(evenIndices(10, 4)).toEqual([0, 3, 6, 9]);
    const steps = Array.from({ length: 1000 }, (_, i) => i);
    const rows = raceRows({ steps, vectors: steps.map((s) => [s]) }, null, 50);
    expect(rows).toHaveLength(50);
    expect(rows.at(-1)?.step).toBe(999);
  });
});

describe('niceAxis', () => {
  it('spans the drawn values on round ticks', () => {
    const axis = niceAxis([
      { step: 0, s1: 13.2, fit1: 58 },
      { step: 1, s1: 61.9, s2: null },
    ]);
    expect(axis.ticks).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(axis.domain).toEqual([10, 70]);
  });
  it('widens a flat or empty range', () => {
    expect(niceAxis([]).domain).toEqual([0, 1]);
    const flat = niceAxis([{ step: 0, s1: 5 }]);
    expect(flat.domain[0]).toBeLessThan(5);
    expect(flat.domain[1]).toBeGreaterThan(5);
  });
});
