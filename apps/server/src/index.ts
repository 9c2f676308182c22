export { type App, type AppDeps, createApp } from './app.ts';
export { readEnv } from './env.ts';
export { createMemoryPubSub } from './pubsub/memory.ts';
export { createRunManager, type RunManager } from './runs/manager.ts';
