import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress-bar.ts';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 120, write: (text: string) => writes.push(text) } };
}

describe('ProgressBar', () => {
  it('shows the bar, step/total, rate, ETA and accuracies', () => {
    let t = 0;
    const { stream } = fakeStream(true);
    const bar = new ProgressBar({ total: 200, stream, now: () => t });
    t = 10_000;
    // 50 steps in 10 s: 5 steps/s, 150 left → 30 s.
    const line = bar.format({ step: 50, trainAcc: 1, testAcc: 0.4321 }, t);
    expect(line).toMatch(
      /^\[█{10}░{30}\] {2}50\/200 \| 5\.0 steps\/s \| ETA 0:30 \| train 100\.0% test 43\.2%$/,
    );
  });

  it('counts another unit and leaves the accuracies out when asked (grokscope recompute)', () => {
    let t = 0;
    const { stream } = fakeStream(true);
    const bar = new ProgressBar({ total: 4, stream, now: () => t, unit: 'checkpoints', accuracies: false });
    t = 2_000;
    expect(bar.format({ step: 1 }, t)).toMatch(/ 1\/4 \| 0\.5 checkpoints\/s \| ETA 0:06$/);
  });

  it('redraws in place at most every 100 ms on a terminal', () => {
    let t = 0;
    const { writes, stream } = fakeStream(true);
    const bar = new ProgressBar({ total: 1000, stream, now: () => t });
    for (let step = 0; step < 100; step++) {
      t = step * 10; // 10 ms per step → 1 s in all
      bar.update({ step });
    }
    expect(writes.length).toBe(10);
    expect(writes.every((w) => w.startsWith('\r') && w.endsWith('\x1b[K'))).toBe(true);
    bar.finish({ step: 100 });
    expect(writes.at(-1)).toBe('\n');
  });

  it('prints plain lines, less often, when not on a terminal', () => {
    let t = 0;
    const { writes, stream } = fakeStream(false);
    const bar = new ProgressBar({ total: 1000, stream, now: () => t, lineMs: 1000 });
    for (let step = 0; step < 300; step++) {
      t = step * 10;
      bar.update({ step });
    }
    bar.finish({ step: 300 });
    expect(writes.length).toBe(4);
    expect(writes.every((w) => w.endsWith('\n') && !w.includes('\r'))).toBe(true);
  });
});
