import { describe, expect, it } from 'vitest';
import { keyEmergence, keyIntervals, keySetAt } from './key-frequency-intervals.ts';

// Frequencies 1..4; k = 2 is key from step 100 on, k = 4 joins at 100, leaves at 200 and rejoins at 300.
const steps = [0, 100, 200, 300];
const vectors = [
  [0, 0, 0, 0],
  [0, 1, 0, 1],
  [0, 1, 0, 0],
  [0, 1, 0, 1],
];

describe('keyIntervals', () => {
  it('turns indicator snapshots into step ranges, the open ones reaching endStep', () => {
    expect(keyIntervals(steps, vectors, 350)).toEqual([
      { k: 2, from: 100, to: 350 },
      { k: 4, from: 100, to: 200 },
      { k: 4, from: 300, to: 350 },
    ]);
  });
  it('is empty without snapshots', () => {
    expect(keyIntervals([], [], 10)).toEqual([]);
  });
});

describe('keySetAt', () => {
  it('reads the latest snapshot at or before the step', () => {
    expect(keySetAt(steps, vectors, 250)).toEqual([2]);
    expect(keySetAt(steps, vectors, 300)).toEqual([2, 4]);
    expect(keySetAt(steps, vectors, -1)).toEqual([]);
  });
});

describe('keyEmergence', () => {
  it('dates each final key frequency from the start of its unbroken last interval', () => {
    expect(keyEmergence(keyIntervals(steps, vectors, 350), 350, 0)).toEqual([
      { k: 2, step: 100 },
      { k: 4, step: 300 },
    ]);
  });
  it('leaves out frequencies key since the first snapshot: they did not emerge in view', () => {
    const early = keyIntervals(
      [0, 100],
      [
        [1, 0],
        [1, 1],
      ],
      200,
    );
    expect(keyEmergence(early, 200, 0)).toEqual([{ k: 2, step: 100 }]);
  });
});
