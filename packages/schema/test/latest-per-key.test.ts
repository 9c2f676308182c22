import { describe, expect, it } from 'vitest';
import { latestPerKey } from '../src/latest-per-key.ts';

/** A source that pushes as fast as it is pulled (as the pub/sub queue does), recording how far it got. */
function snapshots(count: number, keys: number) {
  const state = { produced: 0, returned: false };
  async function* source() {
    try {
      for (let i = 0; i < count; i++) {
        state.produced++;
        yield { id: `run-${i % keys}`, version: i };
        // Yield to the event loop now and then, as events arriving over time would.
        if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      state.returned = true;
    }
  }
  return { state, iterator: source() };
}

describe('latestPerKey', () => {
  it('gives a consumer that fell behind each key once, at its latest version', async () => {
    const { state, iterator } = snapshots(10_000, 3);
    const stream = latestPerKey(iterator, (e) => e.id);
    // The consumer takes nothing until the source has produced everything.
    while (state.produced < 10_000) await new Promise((resolve) => setImmediate(resolve));
    const taken: { id: string; version: number }[] = [];
    for await (const event of stream) taken.push(event);
    expect(taken).toEqual([
      { id: 'run-0', version: 9999 },
      { id: 'run-1', version: 9997 },
      { id: 'run-2', version: 9998 },
    ]);
  });

  it('keeps versions increasing for a consumer that keeps pulling, and ending it ends the source', async () => {
    const { state, iterator } = snapshots(1_000_000, 3);
    const stream = latestPerKey(iterator, (e) => e.id);
    const versions: number[] = [];
    for await (const event of stream) {
      versions.push(event.version);
      if (versions.length === 50) break;
    }
    expect(versions.length).toBe(50);
    expect(versions.every((v, i) => i === 0 || v > (versions[i - 1] ?? -1))).toBe(true);
    expect(state.returned).toBe(true);
    expect(state.produced).toBeLessThan(1_000_000);
  });
});
