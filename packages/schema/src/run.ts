import { getRun, InvalidCursorError, listRuns, type RunRow } from '@grokscope/db';
import { parseRunConfig, RunConfigError } from '@grokscope/trainer';
import { builder } from './builder.ts';
import { BackendRef, RunConfigInputRef, RunConfigRef } from './config-types.ts';
import { badUserInput, notFound } from './errors.ts';
import { clampedInt, LIST_SIZE_EXTENSION, type ListSize } from './list-size.ts';
import { RunFilterRef, RunOrderByRef, toRunFilter, toRunOrder } from './run-filter.ts';
import { RunStatusRef } from './run-status.ts';
import { readStoredRun } from './stored-run.ts';
import { unprintableReason } from './text-rules.ts';
import type { UserError } from './user-error.ts';

export { RunStatusRef };

export const RunRef = builder.objectRef<RunRow>('Run');

export const PAGE_SIZE_MAX = 100;

RunRef.implement({
  description: 'One training run: its configuration, status and stored history.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable run id (UUID).' }),
    name: t.exposeString('name', { description: 'Human-readable name.' }),
    status: t.field({ type: RunStatusRef, description: 'Current status.', resolve: (run) => run.status }),
    stepsDone: t.exposeInt('stepsDone', {
      description: 'Highest step stored (step t = the model after t updates).',
    }),
    totalSteps: t.exposeInt('totalSteps', { description: 'Steps the run will train for (config.steps).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the run was created.' }),
    startedAt: t.expose('startedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When training began.',
    }),
    finishedAt: t.expose('finishedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the run reached a terminal status.',
    }),
    backend: t.field({
      type: BackendRef,
      description: 'TensorFlow.js backend requested in the config.',
      resolve: (run) => run.backend,
    }),
    error: t.exposeString('error', { nullable: true, description: 'Why the run failed (FAILED only).' }),
    owner: t.exposeString('owner', {
      nullable: true,
      description:
        'Name of the API token that started the run (team mode); null for runs started without one.',
    }),
    config: t.field({
      type: RunConfigRef,
      description: 'The validated configuration with every default filled in.',
      resolve: (run) => readStoredRun(run).config,
    }),
  }),
});

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export const PageInfoRef = builder.objectRef<PageInfo>('PageInfo').implement({
  description: 'Relay page information.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', {
      description: 'Whether `after: endCursor` returns more.',
    }),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', {
      description: 'Whether runs precede this page (true when it was asked for `after` a cursor).',
    }),
    startCursor: t.exposeString('startCursor', { nullable: true, description: 'Cursor of the first edge.' }),
    endCursor: t.exposeString('endCursor', { nullable: true, description: 'Cursor of the last edge.' }),
  }),
});

const RunEdgeRef = builder.objectRef<{ cursor: string; node: RunRow }>('RunEdge').implement({
  description: 'A run in a page of runs.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Opaque cursor; pass as `after` to continue after it.' }),
    node: t.field({ type: RunRef, description: 'The run.', resolve: (edge) => edge.node }),
  }),
});

export const RunConnectionRef = builder
  .objectRef<{
    edges: { cursor: string; node: RunRow }[];
    pageInfo: PageInfo;
    totalCount: number;
  }>('RunConnection')
  .implement({
    description:
      'Runs in keyset pages (newest first unless `orderBy` says otherwise) that stay stable while runs are created.',
    fields: (t) => ({
      edges: t.field({ type: [RunEdgeRef], description: 'The page.', resolve: (c) => c.edges }),
      pageInfo: t.field({ type: PageInfoRef, description: 'Paging state.', resolve: (c) => c.pageInfo }),
      totalCount: t.exposeInt('totalCount', { description: 'Number of runs in all pages.' }),
    }),
  });

builder.queryFields((t) => ({
  runs: t.field({
    type: RunConnectionRef,
    description:
      `Runs matching \`filter\`, sorted by \`orderBy\` (default newest first). \`first\` defaults to 20 and is ` +
      `capped at ${PAGE_SIZE_MAX}; \`totalCount\` counts every matching run.`,
    args: {
      first: t.arg.int({ description: `Page size (0..${PAGE_SIZE_MAX}; larger values are capped).` }),
      after: t.arg.string({
        description: 'Cursor from a previous page of the same filter and orderBy; the page starts after it.',
      }),
      filter: t.arg({ type: RunFilterRef, description: 'Which runs; all when omitted.' }),
      orderBy: t.arg({ type: RunOrderByRef, description: 'Sort order; default CREATED_AT DESC.' }),
      archived: t.arg.boolean({
        description: 'true: archived runs only (archiveRun); omitted or false: archived runs are left out.',
      }),
    },
    extensions: {
      [LIST_SIZE_EXTENSION]: ((args) => clampedInt(args.first, 20, 0, PAGE_SIZE_MAX)) satisfies ListSize,
    },
    resolve: async (_root, args, ctx) => {
      const first = args.first ?? 20;
      if (first < 0) throw badUserInput([{ path: 'first', message: `must be ≥ 0, got ${first}` }]);
      const filter = { ...(args.filter ? toRunFilter(args.filter) : {}), archived: args.archived ?? false };
      const orderBy = args.orderBy ? toRunOrder(args.orderBy) : undefined;
      const page = await listRuns(ctx.db, {
        first: Math.min(first, PAGE_SIZE_MAX),
        after: args.after,
        filter,
        orderBy,
      }).catch((error: unknown) => {
        if (error instanceof InvalidCursorError) {
          throw badUserInput([
            { path: 'after', message: 'is not a cursor this API issued for this orderBy' },
          ]);
        }
        throw error;
      });
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
  run: t.field({
    type: RunRef,
    nullable: true,
    description: 'One run by id; null when there is none.',
    args: { id: t.arg.id({ required: true, description: 'Run id (UUID); anything else gives null.' }) },
    resolve: async (_root, args, ctx) => (await getRun(ctx.db, String(args.id))) ?? null,
  }),
}));

export const StartRunInputRef = builder.inputType('StartRunInput', {
  description: 'What to train.',
  fields: (t) => ({
    name: t.string({ description: 'Run name; defaults to a summary of the config.' }),
    config: t.field({ type: RunConfigInputRef, required: true, description: 'The run configuration.' }),
  }),
});

export const RUN_NAME_MAX = 200;

/** Why a run name given to startRun/createRun is refused (trimmed first), or undefined when it is fine. */
export function runNameError(name: string | undefined, path: string): UserError | undefined {
  if (name === undefined) return undefined;
  if (name.length === 0 || name.length > RUN_NAME_MAX) {
    return {
      path,
      message: `must be 1 to ${RUN_NAME_MAX} characters`,
      code: name.length === 0 ? 'INVALID_VALUE' : 'TOO_LONG',
    };
  }
  const unprintable = unprintableReason(name);
  return unprintable ? { path, message: unprintable, code: 'INVALID_VALUE' } : undefined;
}

/** A default name that tells runs apart in a list: model, modulus, seed. */
export function defaultName(config: ReturnType<typeof parseRunConfig>): string {
  return `${config.model.kind.toLowerCase()}-p${config.p}-s${config.seed}`;
}

builder.mutationFields((t) => ({
  startRun: t.field({
    type: RunRef,
    description: 'Validates the config, stores a QUEUED run and queues it. Invalid input stores nothing.',
    args: { input: t.arg({ type: StartRunInputRef, required: true, description: 'Name and config.' }) },
    resolve: async (_root, { input }, ctx) => {
      let config: ReturnType<typeof parseRunConfig>;
      try {
        config = parseRunConfig(input.config);
      } catch (error) {
        if (error instanceof RunConfigError) throw badUserInput(error.issues, 'input.config');
        throw error;
      }
      const name = input.name?.trim();
      const nameError = runNameError(name, 'input.name');
      if (nameError) throw badUserInput([nameError]);
      return ctx.runs.start(name ?? defaultName(config), config, ctx.viewer?.name ?? null);
    },
  }),
  stopRun: t.field({
    type: RunRef,
    description: 'Stops a queued or running run (status STOPPED); a finished run is returned unchanged.',
    args: { id: t.arg.id({ required: true, description: 'Run id; an unknown one is a NOT_FOUND error.' }) },
    resolve: async (_root, args, ctx) => {
      const run = await ctx.runs.stop(String(args.id));
      if (!run) throw notFound('run', String(args.id));
      return run;
    },
  }),
}));
