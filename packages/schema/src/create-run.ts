import { parseRunConfig } from '@grokscope/trainer';
import { builder } from './builder.ts';
import { defaultName, RunRef, runNameError, StartRunInputRef } from './run.ts';
import type { RunPayload } from './run-annotations.ts';
import { configUserErrors, type UserError, UserErrorRef } from './user-error.ts';

const CreateRunPayloadRef = builder.objectRef<RunPayload>('CreateRunPayload').implement({
  description: 'The outcome of createRun: the queued run, or every reason the input was refused.',
  fields: (t) => ({
    run: t.field({
      type: RunRef,
      nullable: true,
      description: 'The stored QUEUED run; null when `errors` is not empty (then nothing was stored).',
      resolve: (p) => p.run,
    }),
    errors: t.field({
      type: [UserErrorRef],
      description: 'Every refused field (name and config together); empty on success.',
      resolve: (p) => p.errors,
    }),
  }),
});

builder.mutationFields((t) => ({
  createRun: t.field({
    type: CreateRunPayloadRef,
    description:
      'startRun with typed errors: validates name and config with the same rules and, when valid, stores and ' +
      'queues the run. Validation failures come back in `errors` (nothing stored) instead of as a GraphQL error.',
    args: { input: t.arg({ type: StartRunInputRef, required: true, description: 'Name and config.' }) },
    resolve: async (_root, { input }, ctx): Promise<RunPayload> => {
      const errors: UserError[] = configUserErrors(input.config, 'input.config');
      const name = input.name?.trim();
      const nameError = runNameError(name, 'input.name');
      if (nameError) errors.push(nameError);
      if (errors.length > 0) return { run: null, errors };
      const config = parseRunConfig(input.config);
      return {
        run: await ctx.runs.start(name ?? defaultName(config), config, ctx.viewer?.name ?? null),
        errors: [],
      };
    },
  }),
}));
