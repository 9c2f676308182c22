export { type App, type AppDeps, createApp } from './app.ts';
export { readEnv } from './env.ts';
export { createMemoryPubSub } from './pubsub/memory.ts';
export { createPgNotifyPubSub, type PgNotifyPubSub } from './pubsub/pg-notify.ts';
export type { ServerPubSub } from './pubsub/pubsub.ts';
export { createRunQueue, type RunQueue } from './queue/run-queue.ts';
export { spawnBatch } from './runs/batch-process.ts';
export { createRunManager, type RunManager } from './runs/manager.ts';
