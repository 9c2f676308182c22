/**
 * Takes a subscription's events as fast as they arrive and keeps, per key, only the latest one not yet taken by
 * the consumer: for streams of snapshots (a run's row), where a subscriber that falls behind wants the current
 * state of each run, not every intermediate one. Memory is bounded by the number of distinct keys.
 */
export function latestPerKey<T>(
  source: AsyncIterableIterator<T>,
  keyOf: (event: T) => string,
): AsyncIterableIterator<T> {
  // A Map keeps first-insertion order: a run that changes again keeps its place, its snapshot is replaced.
  const pending = new Map<string, T>();
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;

  const pump = (async () => {
    try {
      for await (const event of source) {
        pending.set(keyOf(event), event);
        wake?.();
      }
    } catch (error) {
      failure = { error };
    } finally {
      ended = true;
      wake?.();
    }
  })();

  const iterator: AsyncIterableIterator<T> = {
    async next() {
      for (;;) {
        const first = pending.entries().next();
        if (!first.done) {
          const [key, value] = first.value;
          pending.delete(key);
          return { value, done: false };
        }
        if (failure) throw failure.error;
        if (ended) return { value: undefined, done: true };
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
    async return() {
      pending.clear();
      await source.return?.();
      await pump;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
