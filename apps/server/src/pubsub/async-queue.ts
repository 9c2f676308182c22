/**
 * A push-to-pull bridge: producers `push`, one consumer iterates. Ending (return, abort or `end`) drops what is
 * buffered, releases the waiting consumer and runs `onEnd` once, so subscriptions never leak listeners; `close`
 * ends it once the consumer has taken what is buffered (then throwing `error`, if given), for streams whose every
 * item counts.
 */
export function createAsyncQueue<T>(
  onEnd: () => void,
  signal?: AbortSignal,
): {
  push(value: T): void;
  end(): void;
  close(error?: Error): void;
  iterator: AsyncIterableIterator<T>;
} {
  const buffer: T[] = [];
  let waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: Error) => void } | undefined;
  let done = false;
  let closing: { error: Error | undefined } | undefined;

  const finish = () => {
    if (done) return;
    done = true;
    buffer.length = 0;
    signal?.removeEventListener('abort', finish);
    onEnd();
    waiting?.resolve({ value: undefined, done: true });
    waiting = undefined;
  };
  if (signal?.aborted) finish();
  else signal?.addEventListener('abort', finish, { once: true });

  /** Ends a closing queue whose buffer is empty: done, or the close's error. */
  const settle = (): Promise<IteratorResult<T>> => {
    const error = closing?.error;
    finish();
    return error ? Promise.reject(error) : Promise.resolve({ value: undefined, done: true });
  };

  const iterator: AsyncIterableIterator<T> = {
    next: () => {
      const value = buffer.shift();
      if (value !== undefined) return Promise.resolve({ value, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      if (closing) return settle();
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
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
      if (done || closing) return;
      if (waiting) {
        const { resolve } = waiting;
        waiting = undefined;
        resolve({ value, done: false });
      } else buffer.push(value);
    },
    end: finish,
    close(error) {
      if (done || closing) return;
      closing = { error };
      // A waiting consumer has taken everything already.
      if (waiting) {
        const { resolve, reject } = waiting;
        waiting = undefined;
        settle().then(resolve, reject);
      }
    },
    iterator,
  };
}
