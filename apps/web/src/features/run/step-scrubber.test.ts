import { describe, expect, it } from 'vitest';
import { indexAtOrBefore, pinFromSlider, replayFrames, resolveStep } from './step-scrubber.ts';

describe('resolveStep / pinFromSlider', () => {
  it('follows the last step until pinned, and clamps a pin', () => {
    expect(resolveStep(null, 0, 500)).toBe(500);
    expect(resolveStep(120, 0, 500)).toBe(120);
    expect(resolveStep(900, 0, 500)).toBe(500);
    expect(resolveStep(-3, 0, 500)).toBe(0);
  });
  it('pins anywhere but the end; the end means follow', () => {
    expect(pinFromSlider(120, 500)).toBe(120);
    expect(pinFromSlider(500, 500)).toBeNull();
  });
});

describe('indexAtOrBefore', () => {
  const steps = [0, 10, 20, 30];
  it('finds the latest entry at or before a step', () => {
    expect(indexAtOrBefore(steps, 20)).toBe(2);
    expect(indexAtOrBefore(steps, 25)).toBe(2);
    expect(indexAtOrBefore(steps, 99)).toBe(3);
    expect(indexAtOrBefore(steps, -1)).toBe(-1);
    expect(indexAtOrBefore([], 5)).toBe(-1);
  });
});

describe('replayFrames', () => {
  const steps = Array.from({ length: 101 }, (_, i) => i * 10); // 0..1000
  it('spreads at most `frames` stored steps from the start and always ends on the last', () => {
    const frames = replayFrames(steps, 0, 10);
    expect(frames[0]).toBe(0);
    expect(frames.at(-1)).toBe(1000);
    expect(frames.length).toBeLessThanOrEqual(11);
    expect(frames.every((s) => steps.includes(s))).toBe(true);
  });
  it('starts from the stored step at or before `from`', () => {
    expect(replayFrames(steps, 955, 100)).toEqual([950, 960, 970, 980, 990, 1000]);
  });
  it('is empty without steps', () => {
    expect(replayFrames([], 0, 10)).toEqual([]);
  });
});
