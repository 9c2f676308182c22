import type { Topics } from '@grokscope/schema';
import { createAsyncQueue } from './async-queue.ts';

/**
 * This process's subscribers, keyed `<topic>:<key>`; `<topic>:*` hears every key of a topic. Both pub/subs
 * deliver through it: the memory one when publishing, the PostgreSQL one when a notification arrives.
 */
export interface LocalFanout {
  deliver<T extends keyof Topics>(topic: T, key: string, event: Topics[T]): void;
  subscribe<T extends keyof Topics>(
    topic: T,
    key: string,
    signal?: AbortSignal,
  ): AsyncIterableIterator<Topics[T]>;
  /** Whether anyone here listens to this key (or to the whole topic). */
  hasSubscribers(topic: keyof Topics, key: string): boolean;
  /** Keys of a topic with a subscriber of their own (not `*`). */
  keys(topic: keyof Topics): string[];
  /** Ends every subscription. */
  endAll(): void;
}

export function createLocalFanout(
  onIdle: (topic: keyof Topics, key: string) => void = () => {},
): LocalFanout {
  const listeners = new Map<string, Set<{ push(event: unknown): void; end(): void }>>();
  const id = (topic: keyof Topics, key: string) => `${topic}:${key}`;

  return {
    deliver(topic, key, event) {
      for (const k of [id(topic, key), id(topic, '*')]) {
        for (const listener of listeners.get(k) ?? []) listener.push(event);
      }
    },
    subscribe<T extends keyof Topics>(topic: T, key: string, signal?: AbortSignal) {
      const k = id(topic, key);
      const set = listeners.get(k) ?? new Set();
      listeners.set(k, set);
      // Declared before the queue: an already aborted signal ends the queue (and calls onEnd) at creation.
      const listener = { push: (_event: unknown) => {}, end: () => {} };
      const queue = createAsyncQueue<Topics[T]>(() => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(k) === set) {
          listeners.delete(k);
          onIdle(topic, key);
        }
      }, signal);
      if (signal?.aborted) return queue.iterator;
      listener.push = (event) => queue.push(event as Topics[T]);
      listener.end = queue.end;
      set.add(listener);
      return queue.iterator;
    },
    hasSubscribers: (topic, key) => listeners.has(id(topic, key)) || listeners.has(id(topic, '*')),
    keys: (topic) =>
      [...listeners.keys()]
        .filter((k) => k.startsWith(`${topic}:`) && k !== id(topic, '*'))
        .map((k) => k.slice(topic.length + 1)),
    endAll() {
      for (const set of [...listeners.values()]) for (const listener of [...set]) listener.end();
    },
  };
}
