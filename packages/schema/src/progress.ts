import type { RunRow } from '@grokscope/db';
import { builder } from './builder.ts';
import { latestPerKey } from './latest-per-key.ts';
import { type ProgressEvent, runProgressStream } from './progress-stream.ts';
import { RunRef, RunStatusRef } from './run.ts';
import { PhasesRef } from './run-summary.ts';
import { byName, ScalarRef, toScalars } from './scalar-value.ts';

const VectorRef = builder.objectRef<{ name: string; values: number[] }>('Vector').implement({
  description: 'A vector measure at one step (e.g. the embedding Fourier norms, index j = frequency j + 1).',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Measure id.' }),
    values: t.field({
      type: ['Float'],
      nullable: { list: false, items: true },
      description: 'The vector; null entries are non-finite.',
      resolve: (v) => v.values.map((x) => (Number.isFinite(x) ? x : null)),
    }),
  }),
});

const StepReportRef = builder.objectRef<ProgressEvent>('StepReport').implement({
  description:
    'The measures of one step. The last event of a stream carries the terminal status and repeats the last ' +
    'stored step with no measures (step -1 when the run stored none, e.g. stopped while queued).',
  fields: (t) => ({
    runId: t.exposeID('runId', { description: 'The run.' }),
    step: t.exposeInt('step', { description: 'Step t: the model after t updates.' }),
    status: t.field({
      type: RunStatusRef,
      description: 'Run status at this event.',
      resolve: (r) => r.status,
    }),
    scalars: t.field({
      type: [ScalarRef],
      description: 'Scalar measures due at this step.',
      resolve: (r) => toScalars(r.scalars),
    }),
    vectors: t.field({
      type: [VectorRef],
      description: 'Vector measures due at this step.',
      resolve: (r) => byName(r.vectors).map(([name, values]) => ({ name, values })),
    }),
    grokStep: t.exposeInt('grokStep', {
      nullable: true,
      description:
        "Run.grokStep's rule as of this step (test accuracy ≥ 0.99 from that step on); null: not grokked (yet, or any more).",
    }),
    phases: t.field({
      type: PhasesRef,
      description: 'Run.phases as of this step.',
      resolve: (r) => r.phases,
    }),
    elapsedMs: t.exposeFloat('elapsedMs', {
      nullable: true,
      description:
        'Training wall time (ms) when the step was measured; null for steps replayed from storage.',
    }),
  }),
});

builder.subscriptionFields((t) => ({
  runProgress: t.field({
    type: StepReportRef,
    description:
      'Stored steps after `sinceStep` (all when omitted), then live ones, in step order without gaps or duplicates; ' +
      'completes after the terminal status. Resume after a disconnect with `sinceStep` = the last step received.',
    args: {
      runId: t.arg.id({ required: true, description: 'The run to follow.' }),
      sinceStep: t.arg.int({ description: 'Last step already held by the client (exclusive).' }),
    },
    subscribe: (_root, args, ctx) => {
      const controller = new AbortController();
      const stream = runProgressStream(
        ctx,
        String(args.runId),
        args.sinceStep ?? undefined,
        controller.signal,
      );
      return withAbort(stream, controller);
    },
    resolve: (event) => event,
  }),
  runUpdated: t.field({
    type: RunRef,
    description: "Any run's status changes and progress (at most a few times a second per run).",
    // A subscriber that falls behind gets each run's latest row, never a growing backlog of stale ones.
    subscribe: (_root, _args, ctx) => latestPerKey(ctx.pubsub.subscribe('runs', '*'), (run) => run.id),
    resolve: (run: RunRow) => run,
  }),
}));

/** Ending the subscription early (client unsubscribes) must also end the pub/sub iteration. */
function withAbort<T>(stream: AsyncGenerator<T>, controller: AbortController): AsyncGenerator<T> {
  const ret = stream.return.bind(stream);
  stream.return = (value) => {
    controller.abort();
    return ret(value);
  };
  return stream;
}
