import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { ServerProcess } from './server-process.ts';

const PROGRESS = `subscription($runId: ID!) { runProgress(runId: $runId) { step status scalars { name value } } }`;

export interface Follower {
  steps: number[];
  losses: Map<number, number | null>;
  statuses: string[];
  /** Resolves when the subscription completes (after the run's terminal status). */
  done: Promise<void>;
  close(): Promise<void>;
}

/** A live graphql-ws subscriber to one run, recording every step in arrival order. */
/** `token` where the server requires one (team mode). */
export function follow(server: ServerProcess, runId: string, token?: string): Follower {
  const client = createClient({
    url: server.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    ...(token && { connectionParams: { authorization: `Bearer ${token}` } }),
  });
  const steps: number[] = [];
  const losses = new Map<number, number | null>();
  const statuses: string[] = [];
  const done = new Promise<void>((resolve, reject) => {
    client.subscribe<{
      runProgress: { step: number; status: string; scalars: { name: string; value: number | null }[] };
    }>(
      { query: PROGRESS, variables: { runId } },
      {
        next: ({ data, errors }) => {
          if (errors) reject(new Error(JSON.stringify(errors)));
          if (!data) return;
          const { step, status, scalars } = data.runProgress;
          if (statuses.at(-1) !== status) statuses.push(status);
          // The terminal event repeats the last step with no measures: a status, not a step. A RUNNING event
          // without measures would be a broken step, and is recorded as one so the comparison catches it.
          if (scalars.length === 0 && status !== 'RUNNING') return;
          steps.push(step);
          losses.set(step, scalars.find((s) => s.name === 'train_loss')?.value ?? null);
        },
        error: reject,
        complete: resolve,
      },
    );
  });
  return {
    steps,
    losses,
    statuses,
    done,
    close: async () => {
      await client.dispose();
    },
  };
}
