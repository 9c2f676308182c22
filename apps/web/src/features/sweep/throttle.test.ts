import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createThrottle } from './throttle.ts';

describe('createThrottle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('calls at once, then at most once per interval, and once more after a burst', async () => {
    const calls: number[] = [];
    const throttle = createThrottle(async () => {
      calls.push(Date.now());
    }, 1000);
    const start = Date.now();
    throttle.trigger();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 10; i++) {
      throttle.trigger();
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls.map((t) => t - start)).toEqual([0, 1000]);
  });

  it('never overlaps a slow call and still fetches after it', async () => {
    let active = 0;
    let most = 0;
    let calls = 0;
    const throttle = createThrottle(async () => {
      calls += 1;
      active += 1;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      active -= 1;
    }, 500);
    throttle.trigger();
    await vi.advanceTimersByTimeAsync(600);
    throttle.trigger();
    await vi.advanceTimersByTimeAsync(10_000);
    expect([calls, most]).toEqual([2, 1]);
    throttle.cancel();
  });
});
