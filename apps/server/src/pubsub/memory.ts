import type { PubSub, Topics } from '@grokscope/schema';
import { createAsyncQueue } from './async-queue.ts';

/** Single-process pub/sub: events reach subscribers of this server only. */
export function createMemoryPubSub(): PubSub {
  const listeners = new Map<string, Set<(event: unknown) => void>>();

  return {
    publish(topic, key, event) {
      for (const k of [`${topic}:${key}`, `${topic}:*`]) {
        for (const listener of listeners.get(k) ?? []) listener(event);
      }
    },
    subscribe<T extends keyof Topics>(topic: T, key: string, signal?: AbortSignal) {
      const id = `${topic}:${key}`;
      const set = listeners.get(id) ?? new Set();
      listeners.set(id, set);
      const queue = createAsyncQueue<Topics[T]>(() => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(id);
      }, signal);
      const listener = (event: unknown) => queue.push(event as Topics[T]);
      set.add(listener);
      return queue.iterator;
    },
  };
}
