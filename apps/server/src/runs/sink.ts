import { appendReports, type Db } from '@grokscope/db';
import type { PubSub } from '@grokscope/schema';
import type { StepReport } from '@grokscope/trainer';

export interface SinkOptions {
  /** Flush when this many reports wait. */
  batchSize?: number;
  /** ...or when the oldest has waited this long. */
  flushMs?: number;
}

/**
 * One run's telemetry sink: publishes each report as soon as it arrives and writes them in batches. A report
 * stays in `pending` until its batch is committed, so a new subscriber always finds it in `pending` or in the
 * database.
 */
export class RunSink {
  readonly pending: StepReport[] = [];
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly batchSize: number;
  private readonly flushMs: number;
  private failure: unknown;
  lastScalars: Record<string, number> = {};
  lastStep = -1;

  constructor(
    private readonly db: Db,
    private readonly pubsub: PubSub,
    readonly runId: string,
    options: SinkOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 200;
    this.flushMs = options.flushMs ?? 250;
  }

  add(report: StepReport): void {
    this.pending.push(report);
    this.lastStep = report.step;
    Object.assign(this.lastScalars, report.scalars);
    this.pubsub.publish('run', this.runId, { kind: 'reports', runId: this.runId, reports: [report] });
    if (this.pending.length >= this.batchSize) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  /** Writes everything received so far; resolves once it is committed. Rejects if a write failed. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.chain = this.chain.then(async () => {
      const count = this.pending.length;
      if (count === 0) return;
      try {
        await appendReports(this.db, this.runId, this.pending.slice(0, count));
        this.pending.splice(0, count);
      } catch (error) {
        this.failure = error;
      }
    });
    return this.chain.then(() => {
      if (this.failure) throw this.failure;
    });
  }
}
