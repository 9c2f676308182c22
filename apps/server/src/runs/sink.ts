import { appendReports, type Db } from '@grokscope/db';
import type { StepReport } from '@grokscope/trainer';
import type { ServerPubSub } from '../pubsub/pubsub.ts';

export interface SinkOptions {
  /** Most reports one insert carries; more wait for the next. */
  maxBatch?: number;
}

/**
 * One run's telemetry sink, with group commit: a report is written at once when no write is in flight, and the
 * reports that arrive during a write go together in the next one. So a slow trainer's step reaches subscribers
 * after one insert, and a fast trainer's steps are batched by however long an insert takes.
 *
 * Reports are published only after their batch has committed. A subscriber therefore never sees a step the
 * database could lose (a crash after the publish cannot take it back), and one that subscribes before reading
 * the database cannot miss a step: a step published before it subscribed was committed before it read.
 */
export class RunSink {
  private queue: StepReport[] = [];
  private writing: Promise<void> | undefined;
  private failure: unknown;
  private readonly maxBatch: number;
  lastScalars: Record<string, number> = {};
  lastStep = -1;

  constructor(
    private readonly db: Db,
    private readonly pubsub: ServerPubSub,
    readonly runId: string,
    options: SinkOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 2000;
  }

  add(report: StepReport): void {
    this.queue.push(report);
    this.lastStep = report.step;
    Object.assign(this.lastScalars, report.scalars);
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.failure) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const { transactional } = this.pubsub;
        if (transactional) {
          // Team mode: the NOTIFY commits with the rows, so no instance hears of a step it cannot read yet.
          await appendReports(this.db, this.runId, batch, {
            inTransaction: (tx) => transactional.notifyReports(tx, this.runId, batch),
          });
        } else {
          await appendReports(this.db, this.runId, batch);
          this.pubsub.publish('run', this.runId, { kind: 'reports', runId: this.runId, reports: batch });
        }
      } catch (error) {
        this.failure = error;
      }
    }
    this.writing = undefined;
  }

  /** Resolves once everything received so far is committed and published; rejects if a write failed. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure) throw this.failure;
  }
}
