import type { Db, RunRow, RunStatus, TokenScope } from '@grokscope/db';
import type { RunConfig, StepReport } from '@grokscope/trainer';

/**
 * What travels on a run's topic: reports once they are committed (never before), and status changes after the
 * row is updated.
 */
export type RunEvent =
  | { kind: 'reports'; runId: string; reports: StepReport[] }
  | { kind: 'status'; runId: string; status: RunStatus; error: string | null };

/** Topics and their payloads; `run:<id>` carries one run's stream, `runs` every run's row changes. */
export interface Topics {
  run: RunEvent;
  runs: RunRow;
}

/**
 * Publish/subscribe behind one interface: an in-memory implementation on one machine, a distributed one
 * (PostgreSQL LISTEN/NOTIFY or Redis) for a team. Nothing else knows which is in use.
 */
export interface PubSub {
  publish<T extends keyof Topics>(topic: T, key: string, event: Topics[T]): void;
  /** Events published after this call; ending the iteration unsubscribes. */
  subscribe<T extends keyof Topics>(
    topic: T,
    key: string,
    signal?: AbortSignal,
  ): AsyncIterableIterator<Topics[T]>;
}

/** The part of the run manager the API needs. */
export interface RunService {
  /** Stores a QUEUED run for an already validated config and hands it to the queue; `owner` null when anonymous. */
  start(name: string, config: RunConfig, owner?: string | null): Promise<RunRow>;
  /** Stops a queued or running run; undefined when no such run exists. */
  stop(id: string): Promise<RunRow | undefined>;
}

/** Who sent the operation: the API token that authenticated it. */
export interface Viewer {
  tokenId: string;
  /** The token's name; runs started with the token record it as their owner. */
  name: string;
  scope: TokenScope;
}

export interface Context {
  db: Db;
  pubsub: PubSub;
  runs: RunService;
  /** null without a token (embedded mode, where none is needed). */
  viewer: Viewer | null;
}
