import { deleteFinishedRun, getRun, type RunRow, setRunArchived, updateRun } from '@grokscope/db';
import { parseRunConfig, RunConfigError } from '@grokscope/trainer';
import { builder } from './builder.ts';
import { RunConfigInputRef } from './config-types.ts';
import { badUserInput, notFound } from './errors.ts';
import { RUN_NAME_MAX, RunRef, runNameError } from './run.ts';

builder.objectFields(RunRef, (t) => ({
  archivedAt: t.expose('archivedAt', {
    type: 'DateTime',
    nullable: true,
    description: 'When archiveRun hid the run from the default runs list; null when it is not archived.',
  }),
}));

const DeleteRunPayloadRef = builder.objectRef<{ id: string; name: string }>('DeleteRunPayload').implement({
  description: 'The run deleteRun removed.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Its id (now unknown to every query).' }),
    name: t.exposeString('name', { description: 'Its name.' }),
  }),
});

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `base` with the given fields of `overrides` (null and omitted fields keep the base's), objects merged field by
 * field; a model of another kind replaces the base's model whole (its fields mean nothing to the other kind).
 */
export function mergeConfig(base: Json, overrides: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null || value === undefined) continue;
    const before = out[key];
    const otherKind = key === 'model' && isObject(value) && isObject(before) && value.kind !== before.kind;
    out[key] = isObject(value) && isObject(before) && !otherKind ? mergeConfig(before, value) : value;
  }
  return out;
}

async function existing(ctx: { db: Parameters<typeof getRun>[0] }, id: string): Promise<RunRow> {
  const run = await getRun(ctx.db, id);
  if (!run) throw notFound('run', id);
  return run;
}

builder.mutationFields((t) => ({
  renameRun: t.field({
    type: RunRef,
    description: `Renames a run (1 to ${RUN_NAME_MAX} printable characters, trimmed); announced on runUpdated.`,
    args: {
      id: t.arg.id({ required: true, description: 'The run; an unknown id is a NOT_FOUND error.' }),
      name: t.arg.string({ required: true, description: 'The new name.' }),
    },
    resolve: async (_root, args, ctx) => {
      const name = args.name.trim();
      const error = runNameError(name, 'name');
      if (error) throw badUserInput([error]);
      const run = await updateRun(ctx.db, String(args.id), { name });
      if (!run) throw notFound('run', String(args.id));
      ctx.pubsub.publish('runs', run.id, run);
      return run;
    },
  }),
  deleteRun: t.field({
    type: DeleteRunPayloadRef,
    description:
      'Deletes a run with everything stored for it (metric points, rollups, spectra). A QUEUED or RUNNING run is ' +
      'refused (BAD_USER_INPUT): stop it first with stopRun.',
    args: { id: t.arg.id({ required: true, description: 'The run; an unknown id is a NOT_FOUND error.' }) },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      const result = await deleteFinishedRun(ctx.db, id);
      if (result.outcome === 'missing') throw notFound('run', id);
      if (result.outcome === 'unfinished') {
        throw badUserInput([
          { path: 'id', message: `the run is ${result.row.status}; stop it first (stopRun), then delete it` },
        ]);
      }
      return { id: result.row.id, name: result.row.name };
    },
  }),
  cloneRun: t.field({
    type: RunRef,
    description:
      "Queues a new run with the run's config, the given `overrides` applied field by field (a model of another " +
      'kind replaces the model), validated like startRun (errors name `overrides.<field>`). Works for external ' +
      'runs too: the clone is trained by this server.',
    args: {
      id: t.arg.id({ required: true, description: 'The run to clone; an unknown id is a NOT_FOUND error.' }),
      overrides: t.arg({ type: RunConfigInputRef, description: 'Config fields to change; omitted: none.' }),
      name: t.arg.string({ description: 'Name of the clone; default the source name with " (clone)".' }),
    },
    resolve: async (_root, args, ctx) => {
      const source = await existing(ctx, String(args.id));
      let config: ReturnType<typeof parseRunConfig>;
      try {
        config = parseRunConfig(mergeConfig(source.config, (args.overrides ?? {}) as Json));
      } catch (error) {
        if (error instanceof RunConfigError) throw badUserInput(error.issues, 'overrides');
        throw error;
      }
      const name = args.name?.trim() ?? `${source.name} (clone)`.slice(0, RUN_NAME_MAX);
      const nameError = runNameError(name, 'name');
      if (nameError) throw badUserInput([nameError]);
      return ctx.runs.start(name, config, ctx.viewer?.name ?? null);
    },
  }),
  archiveRun: t.field({
    type: RunRef,
    description: 'Hides a run from the default runs list (list it with `runs(archived: true)`); idempotent.',
    args: { id: t.arg.id({ required: true, description: 'The run; an unknown id is a NOT_FOUND error.' }) },
    resolve: async (_root, args, ctx) => {
      const run = await setRunArchived(ctx.db, String(args.id), true);
      if (!run) throw notFound('run', String(args.id));
      ctx.pubsub.publish('runs', run.id, run);
      return run;
    },
  }),
  unarchiveRun: t.field({
    type: RunRef,
    description: 'Shows an archived run in the default runs list again; idempotent.',
    args: { id: t.arg.id({ required: true, description: 'The run; an unknown id is a NOT_FOUND error.' }) },
    resolve: async (_root, args, ctx) => {
      const run = await setRunArchived(ctx.db, String(args.id), false);
      if (!run) throw notFound('run', String(args.id));
      ctx.pubsub.publish('runs', run.id, run);
      return run;
    },
  }),
}));
