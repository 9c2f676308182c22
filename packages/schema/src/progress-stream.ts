import { getRun, type RunStatus, readReports, readSeries, TERMINAL_STATUSES } from '@grokscope/db';
import {
  GROKKING_INPUTS,
  type GrokkingState,
  GrokkingTracker,
  type StepReport,
  trackGrokking,
} from '@grokscope/trainer';
import type { Context } from './context.ts';
import { notFound } from './errors.ts';
import { createLiveBuffer } from './live-buffer.ts';

export interface ProgressEvent extends Omit<StepReport, 'elapsedMs'>, GrokkingState {
  runId: string;
  status: RunStatus;
  /** Null for steps replayed from storage, which keeps measures, not timings. */
  elapsedMs: number | null;
}

const REPLAY_PAGE = 500;

/**
 * Stored steps after `sinceStep`, then live ones, in step order with no gaps or duplicates; ends after the run's
 * terminal status, announced by a last event that repeats the last stored step with no measures (-1 when the run
 * stored none: stopped while queued).
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
    // The highest step this stream has sent; the terminal event repeats a step that exists, never `sinceStep`.
    let sent = -1;
    // Every event carries the grokking step and phases as of its step: the fold of everything up to it (the
    // stored steps before `sinceStep` included), the one the sink stores and the summary keeps.
    const grokking = await grokkingUpTo(ctx, runId, last);
    const emit = (
      report: Omit<StepReport, 'elapsedMs'> & { elapsedMs?: number },
      status: RunStatus,
    ): ProgressEvent => {
      last = report.step;
      sent = report.step;
      grokking.observe(report.step, report.scalars);
      return { ...report, ...grokking.state, runId, status, elapsedMs: report.elapsedMs ?? null };
    };
    /** The last stored step (the client may have asked from beyond it), or -1 when the run stored none. */
    const terminal = async (status: RunStatus): Promise<ProgressEvent> => {
      const top = Math.max(sent, (await getRun(ctx.db, runId))?.stepsDone ?? -1);
      const [stored] = top < 0 ? [] : await readReports(ctx.db, runId, { sinceStep: top - 1, limit: 1 });
      return terminalEvent(runId, stored?.step === top ? top : sent, status, grokking.state);
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
      yield await terminal(run.status);
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
        yield await terminal(item.status);
        return;
      }
    }
  } finally {
    await live.close();
  }
}

function terminalEvent(runId: string, step: number, status: RunStatus, state: GrokkingState): ProgressEvent {
  return { runId, step, status, scalars: {}, vectors: {}, elapsedMs: null, ...state };
}

/** A tracker holding the stored records up to `step` (none for -1): where a resumed stream picks up the fold. */
async function grokkingUpTo(ctx: Context, runId: string, step: number): Promise<GrokkingTracker> {
  if (step < 0) return new GrokkingTracker();
  const series = await readSeries(ctx.db, runId, GROKKING_INPUTS, { toStep: step });
  return trackGrokking(Object.fromEntries(series.map((s) => [s.name, s])));
}
