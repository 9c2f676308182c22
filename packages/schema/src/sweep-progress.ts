import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { notFound } from './errors.ts';
import { SweepRef, type SweepView, sweepView } from './sweep.ts';

/** At most one Sweep per this many ms per subscriber: a sweep's runs report many times a second together. */
export const SWEEP_PROGRESS_THROTTLE_MS = 250;

/**
 * The sweep now, then again whenever one of its runs changes status or reports (throttled, the latest state
 * wins), ending after the event in which no run of it waits or trains. Run rows arrive on the `runs` topic, which the
 * team pub/sub also fans out, so every instance's subscribers follow runs trained anywhere.
 */
async function* sweepProgressStream(
  ctx: Context,
  sweepId: string,
  signal: AbortSignal,
): AsyncGenerator<SweepView> {
  // Subscribe before the first read: a change between the read and the subscription would otherwise be lost.
  const rows = ctx.pubsub.subscribe('runs', '*', signal);
  const first = await sweepView(ctx.db, sweepId);
  if (!first) {
    await rows.return?.();
    throw notFound('sweep', sweepId);
  }
  let dirty = false;
  let wake: (() => void) | undefined;
  const pump = (async () => {
    for await (const row of rows) {
      if (row.sweepId !== sweepId) continue;
      dirty = true;
      wake?.();
    }
    wake?.();
  })();
  // Nothing of it waits or trains: finished, or stopped and every stopped run has ended.
  const settled = (view: SweepView) => view.counts.queued + view.counts.running === 0;
  try {
    yield first;
    if (settled(first)) return;
    while (!signal.aborted) {
      if (!dirty) await new Promise<void>((resolve) => (wake = resolve));
      if (signal.aborted) return;
      dirty = false;
      const view = await sweepView(ctx.db, sweepId);
      if (!view) return;
      yield view;
      if (settled(view)) return;
      await new Promise((resolve) => setTimeout(resolve, SWEEP_PROGRESS_THROTTLE_MS));
    }
  } finally {
    await rows.return?.();
    await pump.catch(() => {});
  }
}

builder.subscriptionFields((t) => ({
  sweepProgress: t.field({
    type: SweepRef,
    description:
      `The sweep now, then whenever one of its runs changes status or reports (at most every ` +
      `${SWEEP_PROGRESS_THROTTLE_MS} ms); completes after the event in which no run of it waits or trains.`,
    args: { sweepId: t.arg.id({ required: true, description: 'The sweep to follow.' }) },
    subscribe: (_root, args, ctx) => {
      const controller = new AbortController();
      const stream = sweepProgressStream(ctx, String(args.sweepId), controller.signal);
      const ret = stream.return.bind(stream);
      stream.return = (value) => {
        controller.abort();
        return ret(value);
      };
      return stream;
    },
    resolve: (view: SweepView) => view,
  }),
}));
