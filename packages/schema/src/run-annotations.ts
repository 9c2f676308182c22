import { type RunPatch, type RunRow, updateRun } from '@grokscope/db';
import { builder } from './builder.ts';
import { RunRef } from './run.ts';
import { unprintableReason } from './text-rules.ts';
import { type UserError, UserErrorRef } from './user-error.ts';

export const MAX_TAGS = 32;
export const MAX_TAG_LENGTH = 64;
export const MAX_NOTES_LENGTH = 10_000;

/**
 * Tags as stored: trimmed, first occurrence kept (order is the caller's), at most MAX_TAGS of at most
 * MAX_TAG_LENGTH characters. Errors name the position in the list as given.
 */
export function normaliseTags(
  tags: readonly string[],
  path: string,
): { tags: string[]; errors: UserError[] } {
  const errors: UserError[] = [];
  const seen = new Set<string>();
  tags.forEach((raw, i) => {
    const tag = raw.trim();
    const at = `${path}.${i}`;
    if (tag.length === 0) errors.push({ path: at, message: 'must not be empty', code: 'INVALID_VALUE' });
    else if (tag.length > MAX_TAG_LENGTH) {
      errors.push({
        path: at,
        message: `at most ${MAX_TAG_LENGTH} characters, got ${tag.length}`,
        code: 'TOO_LONG',
      });
    } else {
      // Control characters would make tags invisible or break one-line listings.
      const unprintable = unprintableReason(tag);
      if (unprintable) errors.push({ path: at, message: unprintable, code: 'INVALID_VALUE' });
      else seen.add(tag);
    }
  });
  if (errors.length === 0 && seen.size > MAX_TAGS) {
    errors.push({ path, message: `at most ${MAX_TAGS} distinct tags, got ${seen.size}`, code: 'TOO_MANY' });
  }
  return { tags: [...seen], errors };
}

builder.objectFields(RunRef, (t) => ({
  tags: t.exposeStringList('tags', {
    description: `Labels set with updateRun (trimmed, distinct, at most ${MAX_TAGS}); filter with RunFilter.tags.`,
  }),
  notes: t.exposeString('notes', {
    description: `Free-form notes set with updateRun (at most ${MAX_NOTES_LENGTH} characters); empty by default.`,
  }),
}));

interface UpdateRunInput {
  id: string | number;
  tags?: string[] | null | undefined;
  notes?: string | null | undefined;
}

const UpdateRunInputRef = builder.inputRef<UpdateRunInput>('UpdateRunInput').implement({
  description: 'What to change on a run; omitted fields stay as they are.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The run to change.' }),
    tags: t.stringList({
      description:
        `Replaces the run's tags. Each is trimmed; repeats are dropped; at most ${MAX_TAGS} tags of at most ` +
        `${MAX_TAG_LENGTH} characters. An empty list clears them.`,
    }),
    notes: t.string({
      description: `Replaces the run's notes (at most ${MAX_NOTES_LENGTH} characters); "" clears them.`,
    }),
  }),
});

export interface RunPayload {
  run: RunRow | null;
  errors: UserError[];
}

export const UpdateRunPayloadRef = builder.objectRef<RunPayload>('UpdateRunPayload').implement({
  description: 'The outcome of updateRun: the changed run, or the reasons nothing was changed.',
  fields: (t) => ({
    run: t.field({
      type: RunRef,
      nullable: true,
      description: 'The run after the change; null when `errors` is not empty.',
      resolve: (p) => p.run,
    }),
    errors: t.field({
      type: [UserErrorRef],
      description: 'Why the input was refused; empty on success.',
      resolve: (p) => p.errors,
    }),
  }),
});

builder.mutationFields((t) => ({
  updateRun: t.field({
    type: UpdateRunPayloadRef,
    description:
      "Sets a run's tags and/or notes. Invalid input or an unknown id changes nothing and comes back in " +
      '`errors`; the change is announced on `runUpdated`.',
    args: {
      input: t.arg({ type: UpdateRunInputRef, required: true, description: 'Run id and new values.' }),
    },
    resolve: async (_root, { input }, ctx): Promise<RunPayload> => {
      const errors: UserError[] = [];
      const patch: RunPatch = {};
      if (input.tags != null) {
        const normalised = normaliseTags(input.tags, 'input.tags');
        errors.push(...normalised.errors);
        patch.tags = normalised.tags;
      }
      if (input.notes != null) {
        if (input.notes.length > MAX_NOTES_LENGTH) {
          errors.push({
            path: 'input.notes',
            message: `at most ${MAX_NOTES_LENGTH} characters, got ${input.notes.length}`,
            code: 'TOO_LONG',
          });
        } else {
          // PostgreSQL text cannot hold NUL; refused here rather than failing in the database.
          const unprintable = unprintableReason(input.notes, { multiline: true });
          if (unprintable) errors.push({ path: 'input.notes', message: unprintable, code: 'INVALID_VALUE' });
          else patch.notes = input.notes;
        }
      }
      if (errors.length > 0) return { run: null, errors };
      const id = String(input.id);
      const run = await updateRun(ctx.db, id, patch);
      if (!run) {
        return {
          run: null,
          errors: [{ path: 'input.id', message: `no run with id '${id}'`, code: 'NOT_FOUND' }],
        };
      }
      if (Object.keys(patch).length > 0) ctx.pubsub.publish('runs', run.id, run);
      return { run, errors: [] };
    },
  }),
}));
