import { describe, expect, it } from 'vitest';
import { createFrameScheduler, type FrameClock } from './frame-scheduler.ts';

function fakeClock() {
  let time = 0;
  let queue: (() => void)[] = [];
  const clock: FrameClock = {
    requestFrame: (cb) => queue.push(cb),
    cancelFrame: () => {
      queue = [];
    },
    now: () => time,
  };
  /** Advances time by `ms` and runs the callbacks queued for this frame. */
  const frame = (ms = 16) => {
    time += ms;
    const run = queue;
    queue = [];
    for (const cb of run) cb();
  };
  return { clock, frame };
}

describe('createFrameScheduler', () => {
  it('collapses many schedules into one flush per frame', () => {
    const { clock, frame } = fakeClock();
    let flushes = 0;
    const s = createFrameScheduler(() => flushes++, { minIntervalMs: 0, clock });
    for (let i = 0; i < 1000; i++) s.schedule();
    frame();
    expect(flushes).toBe(1);
    frame();
    frame();
    expect(flushes).toBe(1); // nothing new scheduled
  });

  it('waits for the minimum interval between flushes', () => {
    const { clock, frame } = fakeClock();
    let flushes = 0;
    const s = createFrameScheduler(() => flushes++, { minIntervalMs: 100, clock });
    s.schedule();
    frame(); // t=16: first flush
    s.schedule();
    frame(); // t=32: too soon
    frame(); // t=48
    expect(flushes).toBe(1);
    for (let i = 0; i < 6; i++) frame(); // t=144 ≥ 16 + 100
    expect(flushes).toBe(2);
  });

  it('spaces flushes by a multiple of what the last one cost', () => {
    const { clock, frame } = fakeClock();
    const at: number[] = [];
    let t = 0;
    const s = createFrameScheduler(() => at.push(t), { minIntervalMs: 0, costFactor: 4, clock });
    const step = (ms: number) => {
      t += ms;
      frame(ms);
    };
    s.schedule();
    step(16); // flush at 16
    s.schedule();
    step(50); // next frame at 66: the flush cost 50 ms, so wait until 16 + 200
    for (let i = 0; i < 8; i++) step(16); // t = 194
    expect(at).toEqual([16]);
    step(16); // t = 210
    step(16); // t = 226 ≥ 216
    expect(at).toEqual([16, 226]);
  });

  it('cancel drops a pending flush', () => {
    const { clock, frame } = fakeClock();
    let flushes = 0;
    const s = createFrameScheduler(() => flushes++, { minIntervalMs: 0, clock });
    s.schedule();
    s.cancel();
    frame();
    expect(flushes).toBe(0);
  });
});
