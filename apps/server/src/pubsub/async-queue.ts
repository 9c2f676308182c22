/**
 * A push-to-pull bridge: producers `push`, one consumer iterates. Ending (return, abort or `end`) releases the
 * waiting consumer and runs `onEnd` once, so subscriptions never leak listeners.
 */
export function createAsyncQueue<T>(
  onEnd: () => void,
  signal?: AbortSignal,
): {
  push(value: T): void;
  end(): void;
  iterator: AsyncIterableIterator<T>;
} {
  const buffer: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let done = false;

  const finish = () => {
    if (done) return;
    done = true;
    buffer.length = 0;
    signal?.removeEventListener('abort', finish);
    onEnd();
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
  };
  if (signal?.aborted) finish();
  else signal?.addEventListener('abort', finish, { once: true });

  const iterator: AsyncIterableIterator<T> = {
    next: () => {
      const value = buffer.shift();
      if (value !== undefined) return Promise.resolve({ value, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return: () => {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };

  return {
    push(value) {
      if (done) return;
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value, done: false });
      } else buffer.push(value);
    },
    end: finish,
    iterator,
  };
}
