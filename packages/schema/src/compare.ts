import { getRunsByIds, type RunRow, readSeriesForRuns, type Series } from '@grokscope/db';
import { builder } from './builder.ts';
import { badUserInput } from './errors.ts';
import { LIST_SIZE_EXTENSION, type ListSize, lengthOf } from './list-size.ts';
import { RunRef } from './run.ts';
import { MAX_SERIES_NAMES, SeriesRef, seriesListSize, seriesOptions } from './series.ts';

export const COMPARE_MAX_RUNS = 50;

interface RunSeries {
  runId: string;
  run: RunRow | null;
  series: Series[];
}

const RunSeriesRef = builder.objectRef<RunSeries>('RunSeries').implement({
  description: "One run's series in a comparison.",
  fields: (t) => ({
    runId: t.exposeID('runId', { description: 'The id as it was asked for.' }),
    run: t.field({
      type: RunRef,
      nullable: true,
      description: 'The run; null when no run has that id (its series are then empty).',
      resolve: (r) => r.run,
    }),
    series: t.field({
      type: [SeriesRef],
      description: 'The measures in the order of `names`, downsampled exactly as Run.series would.',
      resolve: (r) => r.series,
    }),
  }),
});

builder.queryFields((t) => ({
  compare: t.field({
    type: [RunSeriesRef],
    description:
      `The same scalar measures of several runs (at most ${COMPARE_MAX_RUNS}), one entry per id in the order ` +
      'asked, each series as Run.series returns it. Served by a fixed number of SQL statements however many ' +
      'runs and measures, so comparing many runs costs one request and no per-run queries.',
    args: {
      runIds: t.arg.idList({ required: true, description: `Run ids, 1..${COMPARE_MAX_RUNS}.` }),
      names: t.arg.stringList({
        required: true,
        description: `Scalar measure ids (see Query.measures), at most ${MAX_SERIES_NAMES}.`,
      }),
      maxPoints: t.arg.int({
        description: 'Downsample each series to at most this many buckets (as Run.series).',
      }),
      fromStep: t.arg.int({ description: 'First step, inclusive.' }),
      toStep: t.arg.int({ description: 'Last step, inclusive.' }),
    },
    extensions: {
      [LIST_SIZE_EXTENSION]: ((args) =>
        lengthOf(args.runIds, COMPARE_MAX_RUNS) * seriesListSize(args)) satisfies ListSize,
    },
    resolve: async (_root, args, ctx) => {
      const runIds = args.runIds.map(String);
      if (runIds.length === 0 || runIds.length > COMPARE_MAX_RUNS) {
        throw badUserInput([
          { path: 'runIds', message: `give 1 to ${COMPARE_MAX_RUNS} run ids, got ${runIds.length}` },
        ]);
      }
      const options = seriesOptions(args);
      const [rows, series] = await Promise.all([
        getRunsByIds(ctx.db, runIds),
        readSeriesForRuns(ctx.db, runIds, args.names, options),
      ]);
      return runIds.map((runId) => ({
        runId,
        run: rows.get(runId) ?? null,
        series: series.get(runId) ?? [],
      }));
    },
  }),
}));
