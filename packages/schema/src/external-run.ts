import { type Db, getRun, type RunRow } from '@grokscope/db';
import { LOGGED_MEASURE_IDS, MEASURE_CATALOGUE, parseRunConfig, RunConfigError } from '@grokscope/trainer';
import { GraphQLError } from 'graphql';
import { builder } from './builder.ts';
import { RunConfigInputRef } from './config-types.ts';
import { type LoggedStep, RunRefusal } from './context.ts';
import { badUserInput } from './errors.ts';
import { defaultName, RunRef, RunStatusRef, runNameError } from './run.ts';
import { normaliseTags } from './run-annotations.ts';
import { ScalarRef, toScalars } from './scalar-value.ts';

/** Steps one logSteps call takes: a client flushes in batches well below it. */
export const MAX_STEPS_PER_CALL = 1000;
/** Scalars one step takes. */
export const MAX_SCALARS_PER_STEP = 64;
/**
 * Safetensors bytes one logWeights call takes: base64 (4/3 larger) must stay under the 1 MiB request body limit
 * with room for the rest of the request. A float32 model of up to ~184 000 parameters (Nanda's transformer at
 * p = 113 has ~226 000: send it as F16 or BF16, which the reader takes too).
 */
export const MAX_WEIGHTS_BYTES = 720 * 1024;
/** A custom scalar name: a letter, then letters, digits, `_ . - /`; at most 64 characters. */
const SCALAR_NAME = /^[A-Za-z][A-Za-z0-9_.\-/]{0,63}$/;
/** Catalogue ids the server computes (from weights, or wall_time from the call's time): not the client's to log. */
const COMPUTED_IDS = new Set<string>(
  MEASURE_CATALOGUE.map((m) => m.id).filter((id) => !LOGGED_MEASURE_IDS.includes(id)),
);

interface ScalarInput {
  name: string;
  value: number;
}

const ScalarInputRef = builder.inputRef<ScalarInput>('ScalarInput').implement({
  description:
    'One logged scalar: a catalogue loss/accuracy id (`train_loss`, `train_acc`, `test_loss`, `test_acc`) or a ' +
    'name of your own (a letter, then letters, digits, `_ . - /`, at most 64 characters). Values must be finite.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Scalar name.' }),
    value: t.float({ required: true, description: 'Its value at the step (finite).' }),
  }),
});

const StepInputRef = builder.inputRef<{ step: number; scalars: ScalarInput[] }>('StepInput').implement({
  description: 'The scalars of one step (the model after `step` optimiser updates).',
  fields: (t) => ({
    step: t.int({ required: true, description: 'Step ≥ 0.' }),
    scalars: t.field({
      type: [ScalarInputRef],
      required: true,
      description: `At most ${MAX_SCALARS_PER_STEP}, each name once.`,
    }),
  }),
});

const CreateExternalRunInputRef = builder
  .inputRef<{ name?: string | null; config: unknown; tags?: string[] | null }>('CreateExternalRunInput')
  .implement({
    description: 'A run your own code trains and logs to (logSteps, logWeights, finishExternalRun).',
    fields: (t) => ({
      name: t.string({ description: 'Run name; defaults to a summary of the config.' }),
      config: t.field({
        type: RunConfigInputRef,
        required: true,
        description:
          'What you train, in grokscope terms: p, operation, split (trainFraction, seed), model and steps. It ' +
          'decides the weights logWeights takes and the measures computed from them.',
      }),
      tags: t.stringList({ description: 'Labels, as updateRun sets them.' }),
    }),
  });

const WeightsInputRef = builder.inputRef<{ safetensors: string }>('WeightsInput').implement({
  description:
    "A model's parameters: a safetensors file (F32, F64, F16 or BF16 tensors) named and shaped like grokscope's " +
    "own model for the run's config (docs/api.md lists the names per model kind).",
  fields: (t) => ({
    safetensors: t.string({
      required: true,
      description: `The file's bytes, base64 (standard alphabet); at most ${MAX_WEIGHTS_BYTES} bytes decoded.`,
    }),
  }),
});

const LogStepsPayloadRef = builder
  .objectRef<{ run: RunRow; written: number[]; unchanged: number[] }>('LogStepsPayload')
  .implement({
    description: 'What logSteps stored.',
    fields: (t) => ({
      run: t.field({ type: RunRef, description: 'The run after the call.', resolve: (p) => p.run }),
      written: t.intList({ description: 'Steps that got new values.', resolve: (p) => p.written }),
      unchanged: t.intList({
        description: 'Steps whose values were all stored already (a re-sent batch): nothing was written.',
        resolve: (p) => p.unchanged,
      }),
    }),
  });

const LogWeightsPayloadRef = builder
  .objectRef<{ run: RunRow; step: number; scalars: Record<string, number>; vectors: string[] }>(
    'LogWeightsPayload',
  )
  .implement({
    description: 'The measures logWeights computed from the weights and stored at the step.',
    fields: (t) => ({
      run: t.field({ type: RunRef, description: 'The run after the call.', resolve: (p) => p.run }),
      step: t.exposeInt('step', { description: 'The step.' }),
      scalars: t.field({
        type: [ScalarRef],
        description: 'Scalar measures computed (the measures due at the step, every one at config.steps).',
        resolve: (p) => toScalars(p.scalars),
      }),
      vectors: t.stringList({
        description: 'Ids of the vector measures computed and stored (read them with Run.spectra).',
        resolve: (p) => p.vectors,
      }),
    }),
  });

builder.objectFields(RunRef, (t) => ({
  external: t.boolean({
    description: 'Whether your own code trains this run and logs to it (createExternalRun).',
    resolve: (run) => run.source === 'external',
  }),
  customScalars: t.exposeStringList('customScalars', {
    description:
      'Scalar series this run logged under its own names (outside the measure catalogue), in order of first ' +
      'use; read them with Run.series like any measure.',
  }),
}));

type Issue = { path: string; message: string };

function scalarIssues(scalars: readonly ScalarInput[], path: string): Issue[] {
  const issues: Issue[] = [];
  if (scalars.length > MAX_SCALARS_PER_STEP)
    issues.push({ path, message: `at most ${MAX_SCALARS_PER_STEP} scalars, got ${scalars.length}` });
  const seen = new Set<string>();
  scalars.forEach(({ name, value }, j) => {
    const at = `${path}.${j}`;
    if (!SCALAR_NAME.test(name))
      issues.push({
        path: `${at}.name`,
        message: `${JSON.stringify(name.slice(0, 80))} is not a scalar name (a letter, then letters, digits, _ . - /; at most 64)`,
      });
    else if (COMPUTED_IDS.has(name))
      issues.push({
        path: `${at}.name`,
        message: `${name} is a measure grokscope computes (from logWeights, or the time of the call); log yours under another name`,
      });
    else if (seen.has(name))
      issues.push({ path: `${at}.name`, message: `${name} is given twice for this step` });
    seen.add(name);
    // GraphQL Float cannot carry NaN or ±Infinity; checked anyway, so storage never sees one from a client.
    if (!Number.isFinite(value)) issues.push({ path: `${at}.value`, message: 'must be finite' });
  });
  return issues;
}

function stepIssue(step: number, path: string): Issue[] {
  return step >= 0 ? [] : [{ path, message: `must be ≥ 0, got ${step}` }];
}

/** Service refusals as GraphQL errors (BAD_USER_INPUT with issues; NOT_FOUND with the id). */
async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof RunRefusal)) throw error;
    if (error.code === 'NOT_FOUND')
      throw new GraphQLError(`No run: ${error.message}`, { extensions: { code: 'NOT_FOUND' } });
    throw badUserInput(error.issues);
  }
}

const asRecord = (scalars: readonly ScalarInput[]) =>
  Object.fromEntries(scalars.map((s) => [s.name, s.value])) as Record<string, number>;

builder.mutationFields((t) => ({
  createExternalRun: t.field({
    type: RunRef,
    description:
      'Stores a RUNNING run that your own code trains: log its steps with logSteps, its weights with logWeights ' +
      '(grokscope computes its measures from them) and end it with finishExternalRun. It is listed, streamed ' +
      '(runProgress) and compared like any run; with no logged call for GROKSCOPE_EXTERNAL_TIMEOUT_S (600 s) it ' +
      'becomes INTERRUPTED.',
    args: {
      input: t.arg({ type: CreateExternalRunInputRef, required: true, description: 'Name, config, tags.' }),
    },
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
      const tags = normaliseTags(input.tags ?? [], 'input.tags');
      const issues = [...(nameError ? [nameError] : []), ...tags.errors];
      if (issues.length > 0) throw badUserInput(issues);
      return ctx.runs.createExternal(
        name ?? defaultName(config),
        config,
        tags.tags,
        ctx.viewer?.name ?? null,
      );
    },
  }),
  logSteps: t.field({
    type: LogStepsPayloadRef,
    description:
      'Stores logged scalars of a RUNNING external run and streams them to runProgress subscribers once ' +
      'committed. Idempotent per (step, name): a value already stored is skipped, so a batch may be re-sent; a ' +
      'different value for a stored one refuses the whole call (`steps.<i>.scalars.<j>: step S already has …`). ' +
      'Log steps in increasing order: live subscribers are sent each step once, so values added to a step they ' +
      `have passed are stored (and in the history) but not streamed. At most ${MAX_STEPS_PER_CALL} steps a call.`,
    args: {
      runId: t.arg.id({ required: true, description: 'The external run.' }),
      steps: t.arg({ type: [StepInputRef], required: true, description: 'Steps and their scalars.' }),
    },
    resolve: async (_root, args, ctx) => {
      const issues: Issue[] = [];
      if (args.steps.length > MAX_STEPS_PER_CALL)
        issues.push({
          path: 'steps',
          message: `at most ${MAX_STEPS_PER_CALL} steps a call, got ${args.steps.length}`,
        });
      args.steps.forEach((s, i) => {
        issues.push(
          ...stepIssue(s.step, `steps.${i}.step`),
          ...scalarIssues(s.scalars, `steps.${i}.scalars`),
        );
      });
      if (issues.length > 0) throw badUserInput(issues);
      const steps: LoggedStep[] = args.steps.map((s) => ({ step: s.step, scalars: asRecord(s.scalars) }));
      const runId = String(args.runId);
      const result = await refusing(() => ctx.runs.logSteps(runId, steps));
      const run = await refusing(() => runOrRefuse(ctx, runId));
      return { run, ...result };
    },
  }),
  logWeights: t.field({
    type: LogWeightsPayloadRef,
    description:
      "Computes every measure due at `step` (each at its cadence; all of them at config.steps) from the model's " +
      "weights with the trainer's own measure code, and stores them with `scalars` (the step's logged values) as " +
      'one step, like a native run. Weights that do not fit the run are refused with the names and shapes its ' +
      'model takes. Re-sending the same weights is a no-op; other weights for a step already measured are refused.',
    args: {
      runId: t.arg.id({ required: true, description: 'The external run.' }),
      step: t.arg.int({ required: true, description: 'The step the weights are the model of.' }),
      weights: t.arg({ type: WeightsInputRef, required: true, description: 'The parameters.' }),
      scalars: t.arg({
        type: [ScalarInputRef],
        description:
          'Logged scalars of the same step, stored with the measures (so they stream as one step).',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const scalars = args.scalars ?? [];
      const issues = [...stepIssue(args.step, 'step'), ...scalarIssues(scalars, 'scalars')];
      const encoded = args.weights.safetensors;
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0)
        issues.push({ path: 'weights.safetensors', message: 'is not base64 (standard alphabet, padded)' });
      const bytes = Buffer.from(encoded, 'base64');
      if (bytes.byteLength > MAX_WEIGHTS_BYTES)
        issues.push({
          path: 'weights.safetensors',
          message: `${bytes.byteLength} bytes; at most ${MAX_WEIGHTS_BYTES} (send F16 or BF16 tensors for a larger model)`,
        });
      if (issues.length > 0) throw badUserInput(issues);
      const runId = String(args.runId);
      const result = await refusing(() =>
        ctx.runs.logWeights(runId, args.step, new Uint8Array(bytes), asRecord(scalars)),
      );
      const run = await refusing(() => runOrRefuse(ctx, runId));
      return { run, step: result.step, scalars: result.scalars, vectors: Object.keys(result.vectors) };
    },
  }),
  finishExternalRun: t.field({
    type: RunRef,
    description:
      'Ends an external run with a final status (COMPLETED, FAILED, STOPPED or INTERRUPTED): waits for its ' +
      'logged steps to be stored, stores its summary and ends runProgress streams. A run already ended is ' +
      'returned as it is.',
    args: {
      runId: t.arg.id({ required: true, description: 'The external run.' }),
      status: t.arg({ type: RunStatusRef, required: true, description: 'The final status.' }),
    },
    resolve: (_root, args, ctx) => refusing(() => ctx.runs.finishExternal(String(args.runId), args.status)),
  }),
}));

async function runOrRefuse(ctx: { db: Db }, runId: string): Promise<RunRow> {
  const run = await getRun(ctx.db, runId);
  if (!run) throw new RunRefusal('NOT_FOUND', [{ path: 'runId', message: `no run with id '${runId}'` }]);
  return run;
}
