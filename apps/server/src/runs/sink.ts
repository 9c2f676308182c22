import { appendReports, type Db } from '@grokscope/db';
import { type GrokkingState, GrokkingTracker, type StepReport } from '@grokscope/trainer';
import type { ServerPubSub } from '../pubsub/pubsub.ts';
import { type SpaceGuard, StorageFullError } from './disk-space.ts';
import { describeDbError, isTransientDbError } from './transient.ts';

/** What the sink tells its owner about the database, so an outage is logged and an overflow ends the run. */
export type SinkEvent =
  /** A write failed with a connection-level error; the batch stays first in line and is retried. */
  | { kind: 'retrying'; error: string; buffered: number; attempt: number; delayMs: number }
  /** A write succeeded after failures; `buffered` reports (this batch included) were waiting, and go in order. */
  | { kind: 'recovered'; downMs: number; buffered: number }
  /** The buffer is full: reports from `firstDroppedStep` on are not kept (the run must end FAILED). */
  | { kind: 'overflow'; firstDroppedStep: number; lastKeptStep: number; maxBuffered: number };

export interface SinkOptions {
  /** Most reports one insert carries; more wait for the next. */
  maxBatch?: number;
  /** Reports held in memory while the database is unreachable; past this the sink drops and reports overflow. */
  maxBuffered?: number;
  /** Backoff between attempts at a failed write, doubling from min to max. */
  retryDelayMs?: { min: number; max: number };
  onEvent?: (event: SinkEvent) => void;
  /** Embedded mode: writes wait (as in an outage) while the data folder's disk is short of space. */
  spaceGuard?: SpaceGuard;
  /**
   * The grokking fold to go on from when steps are stored before this sink opens (a resumed run, an external
   * run's later call: its stored history folded); a fresh one otherwise.
   */
  grokking?: GrokkingTracker;
}

/** Default bound: at a fast MLP's few hundred steps/s this rides out a few minutes of database outage. */
export const DEFAULT_MAX_BUFFERED = 50_000;

/** Series id of the stored wall time: seconds since training started, one point per reported step. */
export const WALL_TIME = 'wall_time';

/**
 * The report as stored and published: its `elapsedMs` becomes the ordinary scalar `wall_time` (seconds), so
 * series, compare, seriesPage and CSV export read timings like any measure. A report without a finite
 * `elapsedMs` gets none (never a made-up time).
 */
export function withWallTime(report: StepReport): StepReport {
  if (!Number.isFinite(report.elapsedMs) || report.elapsedMs < 0) return report;
  return { ...report, scalars: { ...report.scalars, [WALL_TIME]: report.elapsedMs / 1000 } };
}

/**
 * One run's telemetry sink, with group commit: a report is written at once when no write is in flight, and the
 * reports that arrive during a write go together in the next one. So a slow trainer's step reaches subscribers
 * after one insert, and a fast trainer's steps are batched by however long an insert takes.
 *
 * Reports are published only after their batch has committed. A subscriber therefore never sees a step the
 * database could lose (a crash after the publish cannot take it back), and one that subscribes before reading
 * the database cannot miss a step: a step published before it subscribed was committed before it read.
 *
 * Database outage: a write that fails with a connection-level error is retried with backoff, the batch staying
 * first in line, while new reports queue behind it (the trainer is never held up). The queue is bounded by
 * `maxBuffered`; past it reports are dropped and `overflow` is signalled once, so the owner ends the run FAILED
 * naming the first step lost: never a silent gap. Any other error (a constraint, a deleted run) fails the sink.
 */
export class RunSink {
  private queue: StepReport[] = [];
  private writing: Promise<void> | undefined;
  private failure: unknown;
  private overflowed = false;
  private abandoned = false;
  private wake: (() => void) | undefined;
  private readonly maxBatch: number;
  private readonly maxBuffered: number;
  private readonly delays: { min: number; max: number };
  private readonly onEvent: (event: SinkEvent) => void;
  private readonly spaceGuard: SpaceGuard | undefined;
  lastScalars: Record<string, number> = {};
  lastStep = -1;
  /** Last step committed to the database. */
  storedStep = -1;
  /** The grokking fold over the committed reports; each batch stores its state with its rows (runs.summary). */
  private grokking = new GrokkingTracker();

  constructor(
    private readonly db: Db,
    private readonly pubsub: ServerPubSub,
    readonly runId: string,
    options: SinkOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 2000;
    this.maxBuffered = options.maxBuffered ?? DEFAULT_MAX_BUFFERED;
    this.delays = options.retryDelayMs ?? { min: 100, max: 2000 };
    this.onEvent = options.onEvent ?? (() => {});
    if (options.grokking) this.grokking = options.grokking;
    this.spaceGuard = options.spaceGuard;
  }

  /** Grokking step and phases as of the last committed step: what runs.summary holds while the run trains. */
  get live(): GrokkingState {
    return this.grokking.state;
  }

  /** Reports waiting to be written (in flight included). */
  get buffered(): number {
    return this.queue.length;
  }

  add(trained: StepReport): void {
    if (this.overflowed) return;
    const report = withWallTime(trained);
    if (this.queue.length >= this.maxBuffered) {
      this.overflowed = true;
      this.onEvent({
        kind: 'overflow',
        firstDroppedStep: report.step,
        lastKeptStep: this.lastStep,
        maxBuffered: this.maxBuffered,
      });
      return;
    }
    this.queue.push(report);
    this.lastStep = report.step;
    Object.assign(this.lastScalars, report.scalars);
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    let failedSince: number | undefined;
    let attempt = 0;
    let delay = this.delays.min;
    while (this.queue.length > 0 && !this.failure && !this.abandoned) {
      // The batch is only taken off the queue once it has committed, so a retry writes the same reports.
      const batch = this.queue.slice(0, this.maxBatch);
      try {
        await this.write(batch);
      } catch (error) {
        if (!isTransientDbError(error)) {
          this.failure = error;
          break;
        }
        failedSince ??= Date.now();
        attempt += 1;
        this.onEvent({
          kind: 'retrying',
          error: describeDbError(error),
          buffered: this.queue.length,
          attempt,
          delayMs: delay,
        });
        await this.sleep(delay);
        delay = Math.min(delay * 2, this.delays.max);
        continue;
      }
      const buffered = this.queue.length;
      this.queue.splice(0, batch.length);
      this.storedStep = batch.at(-1)?.step ?? this.storedStep;
      if (failedSince !== undefined) {
        this.onEvent({ kind: 'recovered', downMs: Date.now() - failedSince, buffered });
        failedSince = undefined;
        attempt = 0;
        delay = this.delays.min;
      }
    }
    this.writing = undefined;
  }

  private async write(batch: StepReport[]): Promise<void> {
    const shortage = this.spaceGuard?.shortage();
    if (shortage) throw new StorageFullError(shortage);
    const { transactional } = this.pubsub;
    // Folded into a copy: a batch that fails to commit is retried and must not be counted twice.
    const grokking = this.grokking.clone();
    for (const report of batch) grokking.observe(report.step, report.scalars);
    const summary = { ...grokking.state };
    if (transactional) {
      // Team mode: the NOTIFY commits with the rows, so no instance hears of a step it cannot read yet.
      await appendReports(this.db, this.runId, batch, {
        summary,
        inTransaction: (tx) => transactional.notifyReports(tx, this.runId, batch),
      });
    } else {
      await appendReports(this.db, this.runId, batch, { summary });
      this.pubsub.publish('run', this.runId, { kind: 'reports', runId: this.runId, reports: batch });
    }
    this.grokking = grokking;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /**
   * Resolves once everything received so far is committed and published; rejects if a write failed for good, or
   * when `timeoutMs` passes first (the database is still away): the sink then stops retrying and the error
   * names the reports left unwritten.
   */
  async flush(timeoutMs?: number): Promise<void> {
    if (timeoutMs !== undefined && this.writing) {
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<'expired'>((resolve) => {
        timer = setTimeout(() => resolve('expired'), timeoutMs);
      });
      const outcome = await Promise.race([this.writing.then(() => 'written' as const), expired]);
      clearTimeout(timer);
      if (outcome === 'expired') {
        this.abandoned = true;
        this.wake?.();
        await this.writing;
        throw new Error(
          `database unreachable: ${this.queue.length} report(s) after step ${this.storedStep} were not stored`,
        );
      }
    }
    while (this.writing) await this.writing;
    if (this.failure) throw this.failure;
  }
}
