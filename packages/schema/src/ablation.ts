import { checkpointAtOrBefore, getRun } from '@grokscope/db';
import { type Ablation, type RunConfig, type SplitScores, totalSteps } from '@grokscope/trainer';
import { GraphQLError } from 'graphql';
import { builder } from './builder.ts';
import type { UserError } from './user-error.ts';

/** Frequencies of Z_p's real Fourier basis: 1..(p − 1)/2. */
function frequencyCount(p: number): number {
  return (p - 1) / 2;
}

/** Every refused argument at once, as BAD_USER_INPUT with `{ path, message, code }` issues (the FieldError convention). */
function refused(issues: UserError[]): GraphQLError {
  return new GraphQLError(`Invalid input: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
    extensions: { code: 'BAD_USER_INPUT', issues },
  });
}

interface AblationResult extends Ablation {
  runId: string;
  step: number;
  checkpointStep: number;
}

const ScoresRef = builder.objectRef<SplitScores>('AblationScores').implement({
  description: "A model's loss and accuracy on the run's train and test pairs.",
  fields: (t) => ({
    trainLoss: t.exposeFloat('trainLoss', { description: 'Mean cross-entropy on the train pairs.' }),
    trainAccuracy: t.exposeFloat('trainAcc', { description: 'Share of train pairs answered correctly.' }),
    testLoss: t.exposeFloat('testLoss', { description: 'Mean cross-entropy on the test pairs.' }),
    testAccuracy: t.exposeFloat('testAcc', { description: 'Share of test pairs answered correctly.' }),
  }),
});

const AblationModeRef = builder.enumType('AblationMode', {
  description: 'What an ablation does with the listed frequencies.',
  values: {
    KEEP: { value: 'keep', description: 'Keep only them (and the constant component, the mean embedding).' },
    REMOVE: { value: 'remove', description: 'Remove their cos/sin pairs; keep everything else.' },
  } as const,
});

const AblationRef = builder.objectRef<AblationResult>('Ablation').implement({
  description:
    "A Fourier ablation of a run's token embedding at a stored checkpoint (E' = Bᵀ·diag(m)·B·E; the rest of the " +
    'network untouched), with the unablated model at the same checkpoint beside it.',
  fields: (t) => ({
    runId: t.exposeID('runId', { description: 'The run.' }),
    step: t.exposeInt('step', { description: 'The step asked for.' }),
    checkpointStep: t.exposeInt('checkpointStep', {
      description:
        'The stored checkpoint used: the newest at or before `step` (runs keep a log-spaced history).',
    }),
    mode: t.field({ type: AblationModeRef, resolve: (a) => a.mode, description: 'Keep or remove.' }),
    frequencies: t.exposeIntList('frequencies', {
      description: 'The frequencies acted on, ascending, once each.',
    }),
    ablated: t.field({ type: ScoresRef, resolve: (a) => a.ablated, description: 'The ablated model.' }),
    unablated: t.field({
      type: ScoresRef,
      resolve: (a) => a.baseline,
      description: 'The same checkpoint as stored.',
    }),
  }),
});

/** The refused arguments of an ablation request; empty when it may run. */
export function ablationIssues(
  config: RunConfig,
  args: {
    step: number;
    keep?: readonly number[] | null | undefined;
    remove?: readonly number[] | null | undefined;
  },
): UserError[] {
  const issues: UserError[] = [];
  const last = totalSteps(config);
  if (config.model.kind === 'RFM')
    issues.push({ path: 'runId', code: 'INVALID_VALUE', message: 'RFM runs have no embedding to ablate' });
  if (!Number.isInteger(args.step) || args.step < 0 || args.step > last)
    issues.push({ path: 'step', code: 'OUT_OF_RANGE', message: `must be in 0..${last}, got ${args.step}` });
  const given = (['keep', 'remove'] as const).filter((f) => args[f] != null);
  if (given.length !== 1) {
    const message = given.length === 0 ? 'give one of keep or remove' : 'give only one of keep or remove';
    issues.push({ path: given[1] ?? 'keep', code: 'INVALID_VALUE', message });
    return issues;
  }
  const field = given[0]!;
  const K = frequencyCount(config.p);
  const list = args[field] ?? [];
  // Repeats are allowed (each frequency acts once); the bound only keeps a request small.
  if (list.length > config.p)
    issues.push({ path: field, code: 'TOO_MANY', message: `at most ${config.p} entries (p = ${config.p})` });
  list.forEach((k, i) => {
    if (k < 1 || k > K)
      issues.push({
        path: `${field}.${i}`,
        code: 'OUT_OF_RANGE',
        message: `frequency ${k} is not in 1..${K} (p = ${config.p})`,
      });
  });
  return issues;
}

builder.queryFields((t) => ({
  ablate: t.field({
    type: AblationRef,
    description:
      "Fourier ablation of a run's embedding at a stored checkpoint: `remove` the listed frequencies, or `keep` " +
      'only them (give exactly one), each in 1..(p − 1)/2. Returns train and test loss and accuracy of the ablated ' +
      'and the unablated model, and the checkpoint step used (the newest at or before `step`). Computed in a ' +
      'process of its own; takes about a second for a small model.',
    args: {
      runId: t.arg.id({ required: true, description: 'The run.' }),
      step: t.arg.int({
        required: true,
        description: 'The step (the nearest checkpoint at or before it is used).',
      }),
      keep: t.arg.intList({ description: 'Keep only these frequencies.' }),
      remove: t.arg.intList({ description: 'Remove these frequencies.' }),
    },
    resolve: async (_root, args, ctx) => {
      const runId = String(args.runId);
      const run = await getRun(ctx.db, runId);
      if (!run) throw refused([{ path: 'runId', code: 'NOT_FOUND', message: `no run with id '${runId}'` }]);
      const config = run.config as RunConfig;
      const issues = ablationIssues(config, args);
      if (issues.length > 0) throw refused(issues);
      const checkpoint = await checkpointAtOrBefore(ctx.db, runId, args.step);
      if (!checkpoint)
        throw refused([
          {
            path: 'step',
            code: 'NOT_FOUND',
            message: `the run has no stored checkpoint at or before step ${args.step}`,
          },
        ]);
      const spec = args.keep != null ? { keep: args.keep } : { remove: args.remove ?? [] };
      const result = await ctx.interventions.ablate(config, checkpoint.state, spec);
      if (!result.ok) {
        if (result.field)
          throw refused([{ path: result.field, code: 'OUT_OF_RANGE', message: result.error }]);
        throw new Error(`ablation failed: ${result.error}`);
      }
      return { ...result.ablation, runId, step: args.step, checkpointStep: checkpoint.step };
    },
  }),
}));
