import { latestScalars, readSeriesPage, readSpectra, type SeriesOptions } from '@grokscope/db';
import { type CatalogueEntry, MEASURE_CATALOGUE } from '@grokscope/trainer';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { badUserInput } from './errors.ts';
import { clampedInt, LIST_SIZE_EXTENSION, type ListSize, lengthOf } from './list-size.ts';
import { RunRef } from './run.ts';
import { ScalarRef } from './scalar-value.ts';
import { finiteOrNull, NonFiniteKind, nonFiniteOf } from './scalars.ts';
import { loadSeries } from './series-loader.ts';

export const MAX_POINTS_CAP = 20_000;

interface SeriesData {
  name: string;
  steps: number[];
  values: number[];
  min?: number[] | undefined;
  max?: number[] | undefined;
  bucketSize: number;
}

const SpecialValueRef = builder
  .objectRef<{ step: number; kind: 'NaN' | 'Infinity' | '-Infinity' }>('SpecialValue')
  .implement({
    description: 'A point whose value GraphQL Float cannot carry (its `values` entry is null).',
    fields: (t) => ({
      step: t.exposeInt('step', { description: 'Step of the point.' }),
      kind: t.field({ type: NonFiniteKind, description: 'Which non-finite value.', resolve: (s) => s.kind }),
    }),
  });

export const SeriesRef = builder.objectRef<SeriesData>('Series').implement({
  description:
    'A measure over steps, columnar. Downsampled on the server when longer than maxPoints: per bucket the last ' +
    'point, with the bucket min and max; the first and last points are always kept.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Measure id (e.g. `test_loss`).' }),
    steps: t.exposeIntList('steps', { description: 'Steps, ascending.' }),
    values: t.field({
      type: ['Float'],
      nullable: { list: false, items: true },
      description: 'Value at each step; null where it is non-finite (see `specials`).',
      resolve: (s) => s.values.map(finiteOrNull),
    }),
    min: t.field({
      type: ['Float'],
      nullable: { list: true, items: true },
      description: 'Per-bucket minimum when downsampled, else null.',
      resolve: (s) => s.min?.map(finiteOrNull) ?? null,
    }),
    max: t.field({
      type: ['Float'],
      nullable: { list: true, items: true },
      description: 'Per-bucket maximum when downsampled, else null.',
      resolve: (s) => s.max?.map(finiteOrNull) ?? null,
    }),
    bucketSize: t.exposeInt('bucketSize', { description: 'Steps per bucket (1 when not downsampled).' }),
    specials: t.field({
      type: [SpecialValueRef],
      description:
        'Points whose value is NaN or ±Infinity (a diverging run), so they are shown, not dropped.',
      resolve: (s) =>
        s.values.flatMap((v, i) => {
          const kind = nonFiniteOf(v);
          return kind ? [{ step: s.steps[i] ?? 0, kind }] : [];
        }),
    }),
  }),
});

export const SERIES_PAGE_MAX = 20_000;
export const SERIES_PAGE_DEFAULT = 10_000;

interface SeriesPageData {
  name: string;
  steps: number[];
  values: number[];
  hasMore: boolean;
}

const SeriesPageRef = builder.objectRef<SeriesPageData>('SeriesPage').implement({
  description:
    'A page of one scalar measure exactly as stored (never downsampled), columnar. Continue with ' +
    '`seriesPage(afterStep: endStep)` while `hasMore`; the pages together hold every stored point once.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Measure id.' }),
    steps: t.exposeIntList('steps', { description: 'Steps, ascending.' }),
    values: t.field({
      type: ['Float'],
      nullable: { list: false, items: true },
      description:
        'Stored value at each step, as the float8 it is (JSON numbers carry doubles exactly, except that -0 ' +
        'reads as 0); null where it is non-finite (see `specials`).',
      resolve: (s) => s.values.map(finiteOrNull),
    }),
    specials: t.field({
      type: [SpecialValueRef],
      description: 'Points of this page whose value is NaN or ±Infinity.',
      resolve: (s) =>
        s.values.flatMap((v, i) => {
          const kind = nonFiniteOf(v);
          return kind ? [{ step: s.steps[i] ?? 0, kind }] : [];
        }),
    }),
    endStep: t.int({
      nullable: true,
      description: 'Last step of this page, to pass as `afterStep` for the next one; null for an empty page.',
      resolve: (s) => s.steps.at(-1) ?? null,
    }),
    hasMore: t.exposeBoolean('hasMore', {
      description: 'Whether stored points follow this page (up to `toStep`).',
    }),
  }),
});

const SpectrumRef = builder
  .objectRef<{ name: string; steps: number[]; values: number[][] }>('Spectrum')
  .implement({
    description:
      'A vector measure over steps (e.g. per-frequency Fourier norms): values[i] is the vector at steps[i].',
    fields: (t) => ({
      name: t.exposeString('name', { description: 'Measure id.' }),
      steps: t.exposeIntList('steps', { description: 'Steps, ascending.' }),
      values: t.field({
        type: [t.listRef('Float', { nullable: true })],
        description: 'One vector per step; for Fourier norms index j is frequency j + 1.',
        resolve: (s) => s.values.map((row) => row.map(finiteOrNull)),
      }),
    }),
  });

export const MAX_SERIES_NAMES = 64;

export function checkMaxPoints(maxPoints: number | null | undefined, path = 'maxPoints'): number | undefined {
  if (maxPoints == null) return undefined;
  if (maxPoints < 2 || maxPoints > MAX_POINTS_CAP) {
    throw badUserInput([{ path, message: `must be between 2 and ${MAX_POINTS_CAP}, got ${maxPoints}` }]);
  }
  return maxPoints;
}

const SHAPE_OF: ReadonlyMap<string, CatalogueEntry['shape']> = new Map(
  MEASURE_CATALOGUE.map((m) => [m.id, m.shape]),
);

/**
 * A name outside the catalogue is a typo, not an empty series: say so, and where to look. `custom` are the run's
 * own scalar names (an external run's Run.customScalars), read like catalogue scalars.
 */
export function checkMeasure(
  name: string,
  shape: 'scalar' | 'vector',
  path: string,
  custom: readonly string[] = [],
): void {
  if (shape === 'scalar' && custom.includes(name)) return;
  const shapeOf = SHAPE_OF.get(name);
  // Matrices are stored and read like vectors (row-major).
  const actual = shapeOf === 'matrix' ? 'vector' : shapeOf;
  if (actual === shape) return;
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  const message =
    actual === undefined
      ? `${shown} is not a measure id (see Query.measures)`
      : `${shown} is a ${actual} measure; read it with ${actual === 'scalar' ? 'Run.series' : 'Run.spectra'}`;
  throw badUserInput([{ path, message }]);
}

export function checkStepRange(fromStep: number | null | undefined, toStep: number | null | undefined): void {
  if (fromStep != null && fromStep < 0) {
    throw badUserInput([{ path: 'fromStep', message: `must be ≥ 0, got ${fromStep}` }]);
  }
  if (toStep != null && toStep < 0)
    throw badUserInput([{ path: 'toStep', message: `must be ≥ 0, got ${toStep}` }]);
  if (fromStep != null && toStep != null && fromStep > toStep) {
    throw badUserInput([{ path: 'fromStep', message: `must be ≤ toStep (${toStep}), got ${fromStep}` }]);
  }
}

/** Points Run.series returns at most per run: names × buckets (the cost limit's multiplier). */
export const seriesListSize: ListSize = (args) =>
  lengthOf(args.names, MAX_SERIES_NAMES) *
  clampedInt(args.maxPoints, MAX_POINTS_CAP, 2, MAX_POINTS_CAP, true);

/** The arguments Run.series and Query.compare share. */
export interface SeriesArgs {
  names: readonly string[];
  maxPoints?: number | null | undefined;
  fromStep?: number | null | undefined;
  toStep?: number | null | undefined;
}

/** Validates SeriesArgs (each problem a BAD_USER_INPUT naming its argument) into the storage read's options. */
export function seriesOptions(args: SeriesArgs, custom: readonly string[] = []): SeriesOptions {
  if (args.names.length > MAX_SERIES_NAMES) {
    throw badUserInput([
      { path: 'names', message: `at most ${MAX_SERIES_NAMES} names, got ${args.names.length}` },
    ]);
  }
  args.names.forEach((name, i) => {
    checkMeasure(name, 'scalar', `names.${i}`, custom);
  });
  checkStepRange(args.fromStep, args.toStep);
  // Without maxPoints the cap still applies: every point of a long run is what seriesPage is for.
  const maxPoints = checkMaxPoints(args.maxPoints) ?? MAX_POINTS_CAP;
  return {
    maxPoints,
    ...(args.fromStep != null && { fromStep: args.fromStep }),
    ...(args.toStep != null && { toStep: args.toStep }),
  };
}

builder.objectFields(RunRef, (t) => ({
  series: t.field({
    type: [SeriesRef],
    description:
      'Stored scalar measures by id, in the order asked; a catalogued id with no data gives empty lists, an id ' +
      "outside the catalogue and the run's customScalars (or a vector measure) is a BAD_USER_INPUT error naming it.",
    args: {
      names: t.arg.stringList({
        required: true,
        description: `Scalar measure ids (see Query.measures), at most ${MAX_SERIES_NAMES}.`,
      }),
      maxPoints: t.arg.int({
        description: `Downsample to at most this many buckets (2..${MAX_POINTS_CAP}; default ${MAX_POINTS_CAP}).`,
      }),
      fromStep: t.arg.int({ description: 'First step, inclusive.' }),
      toStep: t.arg.int({ description: 'Last step, inclusive.' }),
    },
    extensions: { [LIST_SIZE_EXTENSION]: seriesListSize },
    resolve: async (run, args, ctx) =>
      loadSeries(ctx, run.id, args.names, seriesOptions(args, run.customScalars)),
  }),
  seriesPage: t.field({
    type: SeriesPageRef,
    description:
      'FULL mode: one scalar measure losslessly, in keyset pages by step (`Run.series` downsamples instead). ' +
      "Start without `afterStep`, then pass each page's `endStep` while `hasMore`; points stored meanwhile " +
      'appear in later pages and never shift earlier ones.',
    args: {
      name: t.arg.string({ required: true, description: 'Scalar measure id (see Query.measures).' }),
      afterStep: t.arg.int({
        description:
          "Exclusive: start after this step (the previous page's `endStep`); omitted: from the start.",
      }),
      toStep: t.arg.int({ description: 'Last step, inclusive.' }),
      first: t.arg.int({
        description: `Points per page, 1..${SERIES_PAGE_MAX} (default ${SERIES_PAGE_DEFAULT}).`,
      }),
    },
    extensions: {
      [LIST_SIZE_EXTENSION]: ((args) =>
        clampedInt(args.first, SERIES_PAGE_DEFAULT, 1, SERIES_PAGE_MAX, true)) satisfies ListSize,
    },
    resolve: async (run, args, ctx) => {
      checkMeasure(args.name, 'scalar', 'name', run.customScalars);
      if (args.afterStep != null && args.afterStep < -1) {
        throw badUserInput([{ path: 'afterStep', message: `must be ≥ -1, got ${args.afterStep}` }]);
      }
      if (args.toStep != null && args.toStep < 0) {
        throw badUserInput([{ path: 'toStep', message: `must be ≥ 0, got ${args.toStep}` }]);
      }
      const first = args.first ?? SERIES_PAGE_DEFAULT;
      if (first < 1 || first > SERIES_PAGE_MAX) {
        throw badUserInput([
          { path: 'first', message: `must be between 1 and ${SERIES_PAGE_MAX}, got ${first}` },
        ]);
      }
      const page = await readSeriesPage(ctx.db, run.id, args.name, {
        first,
        ...(args.afterStep != null && { afterStep: args.afterStep }),
        ...(args.toStep != null && { toStep: args.toStep }),
      });
      return { name: args.name, ...page };
    },
  }),
  spectra: t.field({
    type: SpectrumRef,
    nullable: true,
    description:
      'A stored vector measure over steps; null when the run has none of that id in the range. An id outside ' +
      'the catalogue (or a scalar measure) is a BAD_USER_INPUT error.',
    args: spectrumArgs(t),
    resolve: (run, args, ctx) => readSpectrum(ctx, run.id, args),
  }),
  spectrum: t.field({
    type: SpectrumRef,
    nullable: true,
    deprecationReason: 'Use `spectra`, which also takes a step range.',
    description: 'The same as `spectra`.',
    args: spectrumArgs(t),
    resolve: (run, args, ctx) => readSpectrum(ctx, run.id, args),
  }),
  latestScalars: t.field({
    type: [ScalarRef],
    description: 'The last stored value of every scalar measure of the run.',
    resolve: async (run, _args, ctx) =>
      Object.entries(await latestScalars(ctx.db, run.id)).map(([name, point]) => ({
        name,
        value: point.value,
      })),
  }),
}));

type RunFieldBuilder = Parameters<Parameters<typeof builder.objectFields<typeof RunRef>>[1]>[0];

function spectrumArgs(t: RunFieldBuilder) {
  return {
    name: t.arg.string({ required: true, description: 'Vector measure id (e.g. `embed_fourier_norms`).' }),
    fromStep: t.arg.int({ description: 'First step, inclusive.' }),
    toStep: t.arg.int({ description: 'Last step, inclusive.' }),
    maxSteps: t.arg.int({ description: 'Keep at most this many evenly spaced steps (first and last kept).' }),
  };
}

async function readSpectrum(
  ctx: Context,
  runId: string,
  args: {
    name: string;
    fromStep?: number | null | undefined;
    toStep?: number | null | undefined;
    maxSteps?: number | null | undefined;
  },
) {
  checkMeasure(args.name, 'vector', 'name');
  checkStepRange(args.fromStep, args.toStep);
  const maxSteps = checkMaxPoints(args.maxSteps, 'maxSteps');
  const data = await readSpectra(ctx.db, runId, args.name, {
    ...(maxSteps !== undefined && { maxSteps }),
    ...(args.fromStep != null && { fromStep: args.fromStep }),
    ...(args.toStep != null && { toStep: args.toStep }),
  });
  return data.steps.length === 0 ? null : { name: args.name, ...data };
}
