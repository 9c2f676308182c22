import { createLocalFanout } from './local-fanout.ts';
import type { ServerPubSub } from './pubsub.ts';

/** Single-process pub/sub (embedded mode): events reach subscribers of this server only. */
export function createMemoryPubSub(): ServerPubSub {
  const fanout = createLocalFanout();
  return {
    publish: (topic, key, event) => fanout.deliver(topic, key, event),
    subscribe: (topic, key, signal) => fanout.subscribe(topic, key, signal),
    close: async () => fanout.endAll(),
  };
}
