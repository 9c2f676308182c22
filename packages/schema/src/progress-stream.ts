import { getRun, type RunStatus, readReports, TERMINAL_STATUSES } from '@grokscope/db';
import type { StepReport } from '@grokscope/trainer';
import type { Context } from './context.ts';
import { notFound } from './errors.ts';
import { createLiveBuffer } from './live-buffer.ts';

export interface ProgressEvent extends Omit<StepReport, 'elapsedMs'> {
  runId: string;
  status: RunStatus;
  /** Null for steps replayed from storage, which keeps measures, not timings. */
  elapsedMs: number | null;
}

const REPLAY_PAGE = 500;

/**
 * Stored steps after `sinceStep`, then live ones, in step order with no gaps or duplicates; ends after the run's
 * terminal status, announced by a last event that repeats the last step with no measures.
 *
 * Order matters: the live subscription starts before the database is read. Reports are published only after they
 * are committed, so a report published before we subscribed is in what we read, one published after reaches us
 * live, and `last` drops the ones that are both. A subscriber that falls behind gets a `gap` instead of the live
 * reports it has not taken (see live-buffer.ts) and reads them from the database like the first replay.
 */
export async function* runProgressStream(
  ctx: Context,
  runId: string,
  sinceStep: number | undefined,
  signal: AbortSignal,
): AsyncGenerator<ProgressEvent> {
  const live = createLiveBuffer(ctx.pubsub.subscribe('run', runId, signal));
  try {
    const run = await getRun(ctx.db, runId);
    if (!run) throw notFound('run', runId);
    let last = sinceStep ?? -1;
    const emit = (
      report: Omit<StepReport, 'elapsedMs'> & { elapsedMs?: number },
      status: RunStatus,
    ): ProgressEvent => {
      last = report.step;
      return { ...report, runId, status, elapsedMs: report.elapsedMs ?? null };
    };

    async function* replay() {
      for (;;) {
        const page = await readReports(ctx.db, runId, { sinceStep: last, limit: REPLAY_PAGE });
        for (const report of page) yield emit(report, 'RUNNING');
        if (page.length < REPLAY_PAGE) return;
      }
    }
    yield* replay();

    if (TERMINAL_STATUSES.includes(run.status)) {
      yield terminalEvent(runId, Math.max(last, run.stepsDone), run.status);
      return;
    }
    for (let item = await live.next(); item; item = await live.next()) {
      if (item.kind === 'reports') {
        for (const report of item.reports) if (report.step > last) yield emit(report, 'RUNNING');
      } else if (item.kind === 'gap') {
        yield* replay();
      } else if (TERMINAL_STATUSES.includes(item.status)) {
        // Reports flushed after the live snapshot but published before we subscribed are in the database now.
        yield* replay();
        yield terminalEvent(runId, Math.max(last, 0), item.status);
        return;
      }
    }
  } finally {
    await live.close();
  }
}

function terminalEvent(runId: string, step: number, status: RunStatus): ProgressEvent {
  return { runId, step, status, scalars: {}, vectors: {}, elapsedMs: null };
}
