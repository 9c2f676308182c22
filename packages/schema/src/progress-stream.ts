import { getRun, type RunStatus, readReports, TERMINAL_STATUSES } from '@grokscope/db';
import type { StepReport } from '@grokscope/trainer';
import type { Context } from './context.ts';
import { notFound } from './errors.ts';

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
 * live, and `last` drops the ones that are both.
 */
export async function* runProgressStream(
  ctx: Context,
  runId: string,
  sinceStep: number | undefined,
  signal: AbortSignal,
): AsyncGenerator<ProgressEvent> {
  const live = ctx.pubsub.subscribe('run', runId, signal);
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

    for (;;) {
      const page = await readReports(ctx.db, runId, { sinceStep: last, limit: REPLAY_PAGE });
      for (const report of page) yield emit(report, 'RUNNING');
      if (page.length < REPLAY_PAGE) break;
    }

    if (TERMINAL_STATUSES.includes(run.status)) {
      yield terminalEvent(runId, Math.max(last, run.stepsDone), run.status);
      return;
    }
    for await (const event of live) {
      if (event.kind === 'reports') {
        for (const report of event.reports) if (report.step > last) yield emit(report, 'RUNNING');
      } else if (TERMINAL_STATUSES.includes(event.status)) {
        // Reports flushed after the live snapshot but published before we subscribed are in the database now.
        for (const report of await readReports(ctx.db, runId, { sinceStep: last }))
          yield emit(report, 'RUNNING');
        yield terminalEvent(runId, Math.max(last, 0), event.status);
        return;
      }
    }
  } finally {
    await live.return?.();
  }
}

function terminalEvent(runId: string, step: number, status: RunStatus): ProgressEvent {
  return { runId, step, status, scalars: {}, vectors: {}, elapsedMs: null };
}
