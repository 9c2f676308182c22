import { type Db, listApiTokens } from '@grokscope/db';

/**
 * Ends open subscriptions of tokens revoked while they stream. A token is checked when a request or operation
 * starts; a subscription lives on, so the tokens behind open ones are polled. Polling the database (not an
 * in-process event) sees a revocation made anywhere: the admin API on another instance, or the CLI.
 */
export interface RevocationWatch {
  /** Calls `onRevoked` once `tokenId` is found revoked; the returned function stops watching. */
  watch(tokenId: string, onRevoked: () => void): () => void;
  close(): void;
}

/** Well inside the 5 s within which a revoked token's streams must end, for one small query per second. */
export const REVOCATION_POLL_MS = 1000;

export function createRevocationWatch(
  db: Db,
  options: { intervalMs?: number; log?: (message: string) => void } = {},
): RevocationWatch {
  const intervalMs = options.intervalMs ?? REVOCATION_POLL_MS;
  const log = options.log ?? (() => {});
  const watchers = new Map<string, Set<() => void>>();
  let timer: NodeJS.Timeout | undefined;
  let polling = false;

  async function poll() {
    if (polling || watchers.size === 0) return;
    polling = true;
    try {
      // The token table is small (people, not requests); one read covers every watched token.
      const revoked = (await listApiTokens(db)).filter((t) => t.revokedAt !== null && watchers.has(t.id));
      for (const token of revoked) {
        const callbacks = watchers.get(token.id);
        watchers.delete(token.id);
        for (const callback of callbacks ?? []) callback();
      }
    } catch (error) {
      log(`checking open subscriptions' tokens failed (retrying): ${String(error)}`);
    } finally {
      polling = false;
      if (watchers.size === 0 && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    }
  }

  return {
    watch(tokenId, onRevoked) {
      let callbacks = watchers.get(tokenId);
      if (!callbacks) {
        callbacks = new Set();
        watchers.set(tokenId, callbacks);
      }
      callbacks.add(onRevoked);
      timer ??= setInterval(() => void poll(), intervalMs);
      timer.unref();
      return () => {
        const set = watchers.get(tokenId);
        set?.delete(onRevoked);
        if (set?.size === 0) watchers.delete(tokenId);
      };
    },
    close() {
      watchers.clear();
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

/**
 * `source` until `stop` fires, then `final` (the error telling the client why) and the end. Returning early
 * (the client unsubscribed) stops watching.
 */
export function endWhen<T>(
  source: AsyncIterable<T>,
  watch: (stop: () => void) => () => void,
  final: T,
): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let stopped = false;
  let finished = false;
  let resolveStopped: () => void = () => {};
  const stoppedSignal = new Promise<'stopped'>((resolve) => {
    resolveStopped = () => resolve('stopped');
  });
  const unwatch = watch(() => {
    stopped = true;
    resolveStopped();
  });
  const finish = (): IteratorResult<T> => {
    unwatch();
    if (finished) return { value: undefined, done: true };
    finished = true;
    // Not awaited: a source waiting for its next event finishes its pending read first.
    void iterator.return?.()?.catch(() => {});
    return { value: final, done: false };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (stopped || finished) return finish();
      const result = await Promise.race([iterator.next(), stoppedSignal]);
      if (result === 'stopped') return finish();
      if (result.done) unwatch();
      return result;
    },
    async return() {
      unwatch();
      finished = true;
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      unwatch();
      finished = true;
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
  };
}
