import { describe, expect, it } from 'vitest';
import { readEnv, readWorkerEnv } from '../src/env.ts';

describe('job queue settings', () => {
  it('refuses the queue without the database it lives in, naming the variable', () => {
    expect(() => readEnv({ GROKSCOPE_QUEUE: 'pg-boss' })).toThrow(
      /GROKSCOPE_QUEUE: the job queue lives in PostgreSQL/,
    );
    expect(() => readEnv({ GROKSCOPE_QUEUE: 'redis' })).toThrow(/GROKSCOPE_QUEUE/);
    const env = readEnv({ DATABASE_URL: 'postgres://x@127.0.0.1/y', GROKSCOPE_QUEUE: 'pg-boss' });
    expect(env.GROKSCOPE_QUEUE).toBe('pg-boss');
    expect(env.GROKSCOPE_LOCAL_WORKERS).toBeUndefined(); // main.ts then uses GROKSCOPE_CONCURRENCY
    expect(readEnv({}).GROKSCOPE_QUEUE).toBe('none');
  });

  it("reads a worker's environment: DATABASE_URL required, pg-boss's 10 s heartbeat floor kept", () => {
    expect(() => readWorkerEnv({})).toThrow(/DATABASE_URL: required: the team database/);
    expect(() =>
      readWorkerEnv({ DATABASE_URL: 'postgres://x@127.0.0.1/y', GROKSCOPE_QUEUE_HEARTBEAT_S: '5' }),
    ).toThrow(/GROKSCOPE_QUEUE_HEARTBEAT_S/);
    const env = readWorkerEnv({
      DATABASE_URL: 'postgres://x@127.0.0.1/y',
      GROKSCOPE_WORKER_CONCURRENCY: '2',
    });
    expect(env).toMatchObject({
      GROKSCOPE_WORKER_CONCURRENCY: 2,
      GROKSCOPE_CHECKPOINT_EVERY: 500,
      GROKSCOPE_QUEUE_HEARTBEAT_S: 30,
    });
  });
});
