import {
  getSweep,
  InvalidCursorError,
  latestValues,
  listRuns,
  listSweeps,
  type SweepCounts,
  type SweepRow,
  sweepCounts,
  sweepRuns,
  sweepStatus,
  TERMINAL_STATUSES,
} from '@grokscope/db';
import { planSweep, type SweepMode, SweepPlanError } from '@grokscope/trainer';
import { builder } from './builder.ts';
import { RunConfigInputRef } from './config-types.ts';
import { badUserInput, notFound } from './errors.ts';
import { clampedInt, LIST_SIZE_EXTENSION, type ListSize } from './list-size.ts';
import {
  type PhaseCell,
  type PhaseDiagram,
  type PhaseReduce,
  phaseDiagram,
  phaseMeasureOf,
} from './phase-diagram.ts';
import { PAGE_SIZE_MAX, PageInfoRef, RunConnectionRef, RunRef, RunStatusRef, runNameError } from './run.ts';
import { sweepRunName } from './sweep-names.ts';

/** A sweep row with its run counts, read together so a Sweep's numbers are one snapshot. */
export interface SweepView {
  row: SweepRow;
  counts: SweepCounts;
}

export async function sweepView(
  db: Parameters<typeof getSweep>[0],
  id: string,
): Promise<SweepView | undefined> {
  const row = await getSweep(db, id);
  if (!row) return undefined;
  const counts = (await sweepCounts(db, [row])).get(row.id);
  return counts && { row, counts };
}

export const PhaseReduceRef = builder.enumType('PhaseReduce', {
  description: 'How the runs of a phase-diagram cell become one value.',
  values: {
    MEDIAN: { description: 'The median of the runs’ values.' },
    MEAN: { description: 'The mean.' },
    MIN: { description: 'The smallest value.' },
    MAX: { description: 'The largest value.' },
    SHARE_ABOVE: { description: 'The share (0..1) of runs whose value is above `threshold`.' },
  } satisfies Record<PhaseReduce, { description: string }>,
});

const PhaseCellRef = builder.objectRef<PhaseCell>('PhaseCell').implement({
  description: 'One cell of a phase diagram: the runs at one x (and y) value.',
  fields: (t) => ({
    x: t.field({ type: 'JSON', description: 'The x axis value.', resolve: (c) => c.x }),
    y: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The y axis value; null without y.',
      resolve: (c) => c.y,
    }),
    value: t.float({
      nullable: true,
      description: 'The measure reduced over the cell’s runs that have it; null while none has.',
      resolve: (c) => c.value,
    }),
    runs: t.exposeInt('runs', { description: 'Runs in the cell.' }),
    done: t.exposeInt('done', { description: 'Runs in the cell that have ended (any terminal status).' }),
  }),
});

const PhaseDiagramRef = builder.objectRef<PhaseDiagram>('PhaseDiagram').implement({
  description: 'A measure over a sweep’s axes: one cell per x (× y) value, filled as runs report and finish.',
  fields: (t) => ({
    x: t.exposeString('x', { description: 'The x axis path.' }),
    y: t.exposeString('y', { nullable: true, description: 'The y axis path; null for a one-axis diagram.' }),
    xValues: t.field({ type: ['JSON'], description: 'x values in axis order.', resolve: (d) => d.xValues }),
    yValues: t.field({
      type: ['JSON'],
      description: 'y values in axis order (empty without y).',
      resolve: (d) => d.yValues,
    }),
    cells: t.field({
      type: [PhaseCellRef],
      description: 'Cells, x-major: every x value × every y value, empty cells included.',
      resolve: (d) => d.cells,
    }),
  }),
});

export const SweepRef = builder.objectRef<SweepView>('Sweep').implement({
  description: 'A base config × axes × seeds, trained as one run per combination.',
  fields: (t) => ({
    id: t.id({ description: 'Sweep id (UUID).', resolve: (s) => s.row.id }),
    name: t.string({ description: 'Its name.', resolve: (s) => s.row.name }),
    status: t.field({
      type: RunStatusRef,
      description:
        'From its runs: QUEUED before any started, RUNNING while any waits or trains, STOPPED once stopped, else ' +
        'COMPLETED (FAILED when every run failed, INTERRUPTED when a run was interrupted).',
      resolve: (s) => sweepStatus(s.row, s.counts),
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When it was created.',
      resolve: (s) => s.row.createdAt,
    }),
    finishedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When its last run ended.',
      resolve: (s) => s.row.finishedAt,
    }),
    total: t.int({ description: 'Runs planned.', resolve: (s) => s.counts.total }),
    completed: t.int({ description: 'Runs COMPLETED.', resolve: (s) => s.counts.completed }),
    failed: t.int({ description: 'Runs FAILED.', resolve: (s) => s.counts.failed }),
    running: t.int({ description: 'Runs RUNNING.', resolve: (s) => s.counts.running }),
    queued: t.int({ description: 'Runs still QUEUED.', resolve: (s) => s.counts.queued }),
    stopped: t.int({
      description: 'Runs STOPPED or INTERRUPTED.',
      resolve: (s) => s.counts.stopped + s.counts.interrupted,
    }),
    stepsDone: t.float({
      description: 'Steps stored over all its runs (progress and ETA by steps).',
      resolve: (s) => s.counts.stepsDone,
    }),
    totalSteps: t.float({
      description: 'Steps all its runs train for.',
      resolve: (s) => s.counts.totalSteps,
    }),
    axes: t.field({
      type: ['JSON'],
      description: 'The axes as given: `[{ path, values }]`.',
      resolve: (s) => s.row.axes,
    }),
    seeds: t.intList({
      description: 'The seeds each axis combination runs with.',
      resolve: (s) => s.row.seeds,
    }),
    base: t.field({ type: 'JSON', description: 'The base config as given.', resolve: (s) => s.row.base }),
    runs: t.field({
      type: RunConnectionRef,
      description: `Its runs, newest (last planned) first; \`first\` defaults to 20, capped at ${PAGE_SIZE_MAX}.`,
      args: {
        first: t.arg.int({ description: `Page size (0..${PAGE_SIZE_MAX}).` }),
        after: t.arg.string({ description: 'Cursor from a previous page.' }),
      },
      extensions: {
        [LIST_SIZE_EXTENSION]: ((args) => clampedInt(args.first, 20, 0, PAGE_SIZE_MAX)) satisfies ListSize,
      },
      resolve: async (s, args, ctx) => {
        const first = args.first ?? 20;
        if (first < 0) throw badUserInput([{ path: 'first', message: `must be ≥ 0, got ${first}` }]);
        const page = await listRuns(ctx.db, {
          first: Math.min(first, PAGE_SIZE_MAX),
          after: args.after,
          filter: { sweepId: s.row.id },
        }).catch(refuseCursor);
        return {
          edges: page.rows.map((row, i) => ({ node: row, cursor: page.cursors[i] ?? '' })),
          pageInfo: {
            hasNextPage: page.hasNextPage,
            hasPreviousPage: Boolean(args.after),
            startCursor: page.cursors[0] ?? null,
            endCursor: page.endCursor,
          },
          totalCount: page.totalCount,
        };
      },
    }),
    phaseDiagram: t.field({
      type: PhaseDiagramRef,
      description:
        'A measure over one or two axes (docs/api.md, Sweeps). `measure`: a scalar measure id (its final value; ' +
        'while a run trains, its latest stored value), `grok_step`, or an algorithm verdict (CLOCK, PIZZA, MIXED, ' +
        'NONCIRCULAR: the share of runs with a verdict that have it). `x`/`y`: axis paths of the sweep, or `seed`.',
      args: {
        x: t.arg.string({ required: true, description: 'Axis path for the columns.' }),
        y: t.arg.string({ description: 'Axis path for the rows; omit for one axis.' }),
        measure: t.arg.string({ required: true, description: 'Measure id, `grok_step` or a verdict.' }),
        reduce: t.arg({
          type: PhaseReduceRef,
          defaultValue: 'MEDIAN',
          description: 'How a cell’s runs become one value (ignored for a verdict: always the share).',
        }),
        threshold: t.arg.float({ description: 'For SHARE_ABOVE: the value runs must exceed.' }),
      },
      resolve: async (s, args, ctx) => {
        const axes = new Map<string, readonly unknown[]>(s.row.axes.map((a) => [a.path, a.values]));
        if (!axes.has('seed')) axes.set('seed', s.row.seeds);
        const issues = [];
        const known = [...axes.keys()].join(', ');
        if (!axes.has(args.x)) issues.push({ path: 'x', message: `is not an axis of this sweep (${known})` });
        if (args.y != null && !axes.has(args.y)) {
          issues.push({ path: 'y', message: `is not an axis of this sweep (${known})` });
        }
        const measure = phaseMeasureOf(args.measure);
        if (!measure) {
          issues.push({
            path: 'measure',
            message:
              'is not a scalar measure id (see Query.measures), grok_step, CLOCK, PIZZA, MIXED or NONCIRCULAR',
          });
        }
        const reduce = (args.reduce ?? 'MEDIAN') as PhaseReduce;
        if (reduce === 'SHARE_ABOVE' && (args.threshold == null || !Number.isFinite(args.threshold))) {
          issues.push({ path: 'threshold', message: 'is required with reduce: SHARE_ABOVE' });
        }
        if (issues.length > 0 || !measure) throw badUserInput(issues);
        const runs = await sweepRuns(ctx.db, s.row.id);
        const training = runs.filter((r) => !TERMINAL_STATUSES.includes(r.status)).map((r) => r.id);
        const live =
          measure.kind === 'scalar'
            ? await latestValues(ctx.db, training, measure.id)
            : new Map<string, number>();
        return phaseDiagram({
          runs,
          axes,
          x: args.x,
          y: args.y ?? null,
          measure,
          reduce,
          threshold: args.threshold ?? null,
          live,
        });
      },
    }),
  }),
});

builder.objectFields(RunRef, (t) => ({
  sweep: t.field({
    type: SweepRef,
    nullable: true,
    description: 'The sweep the run belongs to; null for a run started on its own.',
    resolve: async (run, _args, ctx) =>
      run.sweepId ? ((await sweepView(ctx.db, run.sweepId)) ?? null) : null,
  }),
  axisValues: t.field({
    type: 'JSON',
    nullable: true,
    description:
      'The value each sweep axis took in this run, by config path (`{ "model.alpha": 0.5 }`); null outside a sweep.',
    resolve: (run) => run.axisValues ?? null,
  }),
}));

function refuseCursor(error: unknown): never {
  if (error instanceof InvalidCursorError) {
    throw badUserInput([{ path: 'after', message: 'is not a cursor this API issued' }]);
  }
  throw error;
}

const SweepConnectionRef = builder
  .objectRef<{
    edges: { cursor: string; node: SweepView }[];
    pageInfo: {
      hasNextPage: boolean;
      hasPreviousPage: boolean;
      startCursor: string | null;
      endCursor: string | null;
    };
    totalCount: number;
  }>('SweepConnection')
  .implement({
    description: 'Sweeps in keyset pages, newest first.',
    fields: (t) => ({
      edges: t.field({
        type: [
          builder.objectRef<{ cursor: string; node: SweepView }>('SweepEdge').implement({
            description: 'A sweep in a page of sweeps.',
            fields: (e) => ({
              cursor: e.exposeString('cursor', { description: 'Opaque cursor; pass as `after`.' }),
              node: e.field({ type: SweepRef, description: 'The sweep.', resolve: (edge) => edge.node }),
            }),
          }),
        ],
        description: 'The page.',
        resolve: (c) => c.edges,
      }),
      pageInfo: t.field({ type: PageInfoRef, description: 'Paging state.', resolve: (c) => c.pageInfo }),
      totalCount: t.exposeInt('totalCount', { description: 'Number of sweeps in all pages.' }),
    }),
  });

const SweepAxisInputRef = builder.inputType('SweepAxisInput', {
  description: 'One axis: a RunConfig path and the values it takes.',
  fields: (t) => ({
    path: t.string({
      required: true,
      description:
        'A dotted RunConfig path: `model.alpha`, `model.dModel`, `trainFraction`, `optimizer.lr`, `p`, …',
    }),
    values: t.field({
      type: ['JSON'],
      required: true,
      description: 'Values for the path (numbers or enum names), each checked by the run config’s rules.',
    }),
  }),
});

const RandomSearchInputRef = builder.inputType('RandomSearchInput', {
  description: 'Random search instead of the grid: `count` draws, each axis value uniform, × seeds.',
  fields: (t) => ({
    count: t.int({ required: true, description: 'Points drawn (each trained once per seed).' }),
    seed: t.int({ description: 'Seed of the draws (default 0), so a plan is reproducible.' }),
  }),
});

export const StartSweepInputRef = builder.inputType('StartSweepInput', {
  description: 'A sweep: a base config, axes and seeds. The same JSON is `grokscope sweep --config`’s file.',
  fields: (t) => ({
    name: t.string({ description: 'Sweep name; defaults to its axis paths.' }),
    base: t.field({
      type: RunConfigInputRef,
      required: true,
      description: 'The config every run starts from.',
    }),
    axes: t.field({
      type: [SweepAxisInputRef],
      required: true,
      description: 'The axes (the grid of all values).',
    }),
    seeds: t.intList({ description: 'Seeds each combination runs with; default the base config’s seed.' }),
    random: t.field({
      type: RandomSearchInputRef,
      description: 'Random search: sample the axes instead of the full grid.',
    }),
  }),
});

builder.queryFields((t) => ({
  sweeps: t.field({
    type: SweepConnectionRef,
    description: `Sweeps, newest first; \`first\` defaults to 20, capped at ${PAGE_SIZE_MAX}.`,
    args: {
      first: t.arg.int({ description: `Page size (0..${PAGE_SIZE_MAX}).` }),
      after: t.arg.string({ description: 'Cursor from a previous page.' }),
    },
    extensions: {
      [LIST_SIZE_EXTENSION]: ((args) => clampedInt(args.first, 20, 0, PAGE_SIZE_MAX)) satisfies ListSize,
    },
    resolve: async (_root, args, ctx) => {
      const first = args.first ?? 20;
      if (first < 0) throw badUserInput([{ path: 'first', message: `must be ≥ 0, got ${first}` }]);
      const page = await listSweeps(ctx.db, {
        first: Math.min(first, PAGE_SIZE_MAX),
        after: args.after,
      }).catch(refuseCursor);
      const counts = await sweepCounts(ctx.db, page.rows);
      return {
        edges: page.rows.flatMap((row, i) => {
          const c = counts.get(row.id);
          return c ? [{ node: { row, counts: c }, cursor: page.cursors[i] ?? '' }] : [];
        }),
        pageInfo: {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: Boolean(args.after),
          startCursor: page.cursors[0] ?? null,
          endCursor: page.endCursor,
        },
        totalCount: page.totalCount,
      };
    },
  }),
  sweep: t.field({
    type: SweepRef,
    nullable: true,
    description: 'One sweep by id; null when there is none.',
    args: { id: t.arg.id({ required: true, description: 'Sweep id (UUID).' }) },
    resolve: async (_root, args, ctx) => (await sweepView(ctx.db, String(args.id))) ?? null,
  }),
}));

builder.mutationFields((t) => ({
  startSweep: t.field({
    type: SweepRef,
    description:
      'Plans the sweep (every run config validated; at most 10 000 runs), stores it and all its runs QUEUED in one ' +
      'transaction and queues them. Invalid input stores nothing: BAD_USER_INPUT naming each field ' +
      '(`input.axes.1.values.2`) with a code per issue.',
    args: { input: t.arg({ type: StartSweepInputRef, required: true, description: 'The sweep.' }) },
    resolve: async (_root, { input }, ctx) => {
      const name = input.name?.trim();
      const nameError = runNameError(name, 'input.name');
      if (nameError) throw badUserInput([nameError]);
      const axes = input.axes.map((a) => ({ path: a.path, values: [...a.values] }));
      const seeds = input.seeds ?? undefined;
      const mode: SweepMode = input.random
        ? { kind: 'random', count: input.random.count, seed: input.random.seed ?? 0 }
        : { kind: 'grid' };
      let planned: ReturnType<typeof planSweep>;
      try {
        planned = planSweep(input.base, axes, seeds, mode);
      } catch (error) {
        if (error instanceof SweepPlanError) throw badUserInput(error.issues, 'input');
        throw error;
      }
      const sweepName = name ?? (axes.map((a) => a.path).join(' × ') || 'sweep');
      const view = await ctx.runs.startSweep(
        {
          name: sweepName,
          base: input.base as Record<string, unknown>,
          axes,
          seeds: [...new Set(planned.map((p) => p.config.seed))],
          mode,
        },
        planned.map((p) => ({ ...p, name: sweepRunName(sweepName, p.axisValues, p.config.seed) })),
        ctx.viewer?.name ?? null,
      );
      const started = await sweepView(ctx.db, view.id);
      if (!started) throw notFound('sweep', view.id);
      return started;
    },
  }),
  stopSweep: t.field({
    type: SweepRef,
    description: 'Stops the sweep: its queued runs become STOPPED, its running runs are stopped. Idempotent.',
    args: { id: t.arg.id({ required: true, description: 'Sweep id; an unknown one is a NOT_FOUND error.' }) },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      const stopped = await ctx.runs.stopSweep(id);
      const view = stopped && (await sweepView(ctx.db, id));
      if (!view) throw notFound('sweep', id);
      return view;
    },
  }),
}));
