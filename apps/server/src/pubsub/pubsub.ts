import type { Tx } from '@grokscope/db';
import type { PubSub } from '@grokscope/schema';
import type { StepReport } from '@grokscope/trainer';

/**
 * The server's side of the pub/sub: the schema's `PubSub` plus what the sink and main need. The sink asks
 * `transactional` whether reports are announced by the transaction that stores them (team mode: pg_notify,
 * delivered on commit to every instance, this one included) or must be published after commit (memory).
 */
export interface ServerPubSub extends PubSub {
  readonly transactional?: {
    /** Runs inside the insert transaction of `reports`; the event is delivered when it commits. */
    notifyReports(tx: Tx, runId: string, reports: readonly StepReport[]): Promise<void>;
  };
  /** Stops listening and releases connections; subscribers' iterations are ended. */
  close(): Promise<void>;
}
