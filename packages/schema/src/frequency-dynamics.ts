/**
 * Frequency competition (measures.md §6.3–6.4) computed on request from the stored `frequency_signal` spectra:
 * nothing is stored, so a user can move the window freely and the answer always matches the stored history.
 */
import { readSpectra } from '@grokscope/db';
import {
  type FittestPrediction,
  type FittestScore,
  type FrequencyDynamicsFit,
  fitFrequencyDynamics,
  predictFittest,
  scoreFittestPrediction,
} from '@grokscope/trainer';
import { GraphQLError } from 'graphql';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { badUserInput } from './errors.ts';
import { RunRef } from './run.ts';

const SIGNAL = 'frequency_signal';
/** Records read for one fit: bounds the work per request (QR on records × K), and a 20 000-step window at
 * cadence 1 still fits whole. Longer windows are thinned evenly; the fit divides each difference by its gap. */
export const MAX_FIT_RECORDS = 20_000;
/** Early records read for the prediction before falling back to the whole history (t₀ = 3 at any cadence ≤ 500). */
const EARLY_STEPS = 1_000;

const FrequencyDynamicsRef = builder.objectRef<FrequencyDynamicsFit>('FrequencyDynamics').implement({
  description:
    'The fitted linear dynamics Δx = A·x + b of the per-frequency circle signal x = `frequency_signal` over a step ' +
    'window (per training step; see docs/measures.md, fitFrequencyDynamics).',
  fields: (t) => ({
    frequencies: t.exposeIntList('frequencies', {
      description: 'The frequencies k (1..(p−1)/2) of the rows and columns below, ascending.',
    }),
    steps: t.exposeIntList('steps', { description: 'The recorded steps in the window that the fit used.' }),
    interaction: t.field({
      type: [t.listRef('Float', { nullable: false })],
      description:
        'Matrix A, interaction[i][j]: how frequency j’s signal moves frequency i’s per step (> 0 helps, < 0 competes).',
      resolve: (fit) => fit.interaction,
    }),
    growth: t.floatList({
      description: 'The intercept b: the constant drive of each frequency per step.',
      resolve: (fit) => fit.intercept,
    }),
    r2: t.floatList({
      description: 'R² of the fitted differences, per frequency.',
      resolve: (fit) => fit.r2,
    }),
    r2Overall: t.exposeFloat('r2Overall', { description: 'Mean of `r2` over the frequencies.' }),
    simulated: t.field({
      type: [t.listRef('Float', { nullable: false })],
      description:
        'The fitted map iterated from the window’s first record: simulated[i][j] is frequency frequencies[i] at ' +
        'steps[j]. A diverging rollout is cut at its last finite record, so rows may be shorter than `steps`.',
      resolve: (fit) => transpose(fit.simulated, fit.frequencies.length),
    }),
    ridge: t.exposeFloat('ridge', {
      description:
        'The relative ridge actually used (0: ordinary least squares; > 0 when the design was singular).',
    }),
  }),
});

interface FittestData {
  prediction: FittestPrediction;
  score: FittestScore;
  finalStep: number;
  finalSignal: number[];
}

const FittestScoreRef = builder.objectRef<FittestScore>('FittestScore').implement({
  description: 'How well the early prediction matched the latest recorded signal.',
  fields: (t) => ({
    survivors: t.exposeIntList('survivors', {
      description: 'Frequencies whose latest signal exceeds 2× the mean DFT entry (§6.2), ascending.',
    }),
    precisionAtK: t.exposeFloat('precisionAtK', {
      nullable: true,
      description:
        'Share of the top-k predicted frequencies that survived, k = #survivors; null when none did.',
    }),
    spearman: t.exposeFloat('spearman', {
      nullable: true,
      description:
        'Spearman correlation of the fitness with the latest signal; null when either is constant.',
    }),
    spearmanSignal: t.exposeFloat('spearmanSignal', {
      nullable: true,
      description: 'The same for the initial signal alone.',
    }),
    spearmanGrowth: t.exposeFloat('spearmanGrowth', {
      nullable: true,
      description: 'The same for the early growth alone.',
    }),
  }),
});

const FittestPredictionRef = builder.objectRef<FittestData>('FittestPrediction').implement({
  description:
    'Survival of the fittest (§6.3): which frequencies the first records predict will survive, scored against ' +
    'the latest record (the final one once the run has ended).',
  fields: (t) => ({
    frequencies: t.intList({
      description: 'Frequencies k = 1..K, parallel to the lists below.',
      resolve: (d) => d.prediction.frequencies,
    }),
    initialSignal: t.floatList({
      description: 'Signal at the first record.',
      resolve: (d) => d.prediction.initialSignal,
    }),
    growth: t.floatList({
      description: 'Relative growth per step between the two records of `growthSteps`.',
      resolve: (d) => d.prediction.growth,
    }),
    fitness: t.floatList({
      description:
        'Combined fitness in [0, 1] (mean normalised rank of signal and growth; higher is fitter).',
      resolve: (d) => d.prediction.fitness,
    }),
    ranking: t.intList({
      description: 'Frequencies ordered fittest first.',
      resolve: (d) => d.prediction.ranking,
    }),
    growthSteps: t.intList({
      description: 'The two steps the growth was measured between.',
      resolve: (d) => d.prediction.growthSteps,
    }),
    finalStep: t.exposeInt('finalStep', {
      description: 'Step of the record the prediction is scored against.',
    }),
    finalSignal: t.floatList({
      description: 'The signal at `finalStep`, per frequency.',
      resolve: (d) => d.finalSignal,
    }),
    score: t.field({
      type: FittestScoreRef,
      description: 'The prediction against the signal at `finalStep`.',
      resolve: (d) => d.score,
    }),
  }),
});

builder.objectFields(RunRef, (t) => ({
  frequencyDynamics: t.field({
    type: FrequencyDynamicsRef,
    nullable: true,
    description:
      'Fits Δx = A·x + b to the stored `frequency_signal` records in [fromStep, toStep] (≥ 3 needed; record it every ' +
      'step for an exact fit). Null when no window is given and the run has fewer than 3 records (an RFM run, or ' +
      'one that has just started); with a window, too few records is a BAD_USER_INPUT error naming the argument.',
    args: {
      fromStep: t.arg.int({
        description: 'First step of the window, inclusive (default: the first record).',
      }),
      toStep: t.arg.int({ description: 'Last step of the window, inclusive (default: the latest record).' }),
    },
    resolve: (run, args, ctx) =>
      resolveDynamics(ctx, run.id, args.fromStep ?? undefined, args.toStep ?? undefined),
  }),
  fittest: t.field({
    type: FittestPredictionRef,
    nullable: true,
    description:
      'Which frequencies the early `frequency_signal` records predict will survive, and how that compares with the ' +
      'latest record. Null until there are two records at or after step 3.',
    resolve: (run, _args, ctx) => resolveFittest(ctx, run.id),
  }),
}));

async function resolveDynamics(
  ctx: Context,
  runId: string,
  fromStep: number | undefined,
  toStep: number | undefined,
): Promise<FrequencyDynamicsFit | null> {
  checkWindow(fromStep, toStep);
  const data = await readSpectra(ctx.db, runId, SIGNAL, {
    maxSteps: MAX_FIT_RECORDS,
    ...(fromStep !== undefined && { fromStep }),
    ...(toStep !== undefined && { toStep }),
  });
  const windowed = fromStep !== undefined || toStep !== undefined;
  if (data.steps.length < 3) {
    if (!windowed) return null;
    const path = fromStep !== undefined ? 'fromStep' : 'toStep';
    const span = `[${fromStep ?? 'first'}, ${toStep ?? 'latest'}]`;
    throw badUserInput([
      {
        path,
        message: `the window ${span} holds ${data.steps.length} ${SIGNAL} record(s); the fit needs at least 3`,
      },
    ]);
  }
  if (data.values.some((row) => row.some((v) => !Number.isFinite(v)))) {
    throw badUserInput([
      {
        path: fromStep !== undefined ? 'fromStep' : 'toStep',
        message: `${SIGNAL} is not finite in this window`,
      },
    ]);
  }
  const fit = fitFrequencyDynamics(data);
  if (!allFinite(fit)) {
    throw new GraphQLError('The frequency dynamics fit did not converge to finite values for this window', {
      extensions: { code: 'FIT_FAILED' },
    });
  }
  return fit;
}

function checkWindow(fromStep: number | undefined, toStep: number | undefined): void {
  if (fromStep !== undefined && fromStep < 0)
    throw badUserInput([{ path: 'fromStep', message: `must be ≥ 0, got ${fromStep}` }]);
  if (toStep !== undefined && toStep < 0)
    throw badUserInput([{ path: 'toStep', message: `must be ≥ 0, got ${toStep}` }]);
  if (fromStep !== undefined && toStep !== undefined && fromStep > toStep) {
    throw badUserInput([{ path: 'fromStep', message: `must be ≤ toStep (${toStep}), got ${fromStep}` }]);
  }
}

function allFinite(fit: FrequencyDynamicsFit): boolean {
  const finite = (xs: readonly number[]) => xs.every(Number.isFinite);
  return (
    Number.isFinite(fit.r2Overall) &&
    Number.isFinite(fit.ridge) &&
    finite(fit.intercept) &&
    finite(fit.r2) &&
    fit.interaction.every(finite)
  );
}

async function resolveFittest(ctx: Context, runId: string): Promise<FittestData | null> {
  // The first and the latest record: keeping at most 2 evenly spaced steps keeps exactly those.
  const ends = await readSpectra(ctx.db, runId, SIGNAL, { maxSteps: 2 });
  const finalSignal = ends.values.at(-1);
  const finalStep = ends.steps.at(-1);
  if (finalSignal === undefined || finalStep === undefined || ends.steps.length < 2) return null;
  const early = await readSpectra(ctx.db, runId, SIGNAL, { toStep: EARLY_STEPS });
  const prediction = predictOrNull(early) ?? predictOrNull(await readSpectra(ctx.db, runId, SIGNAL));
  if (!prediction) return null;
  if (![...prediction.initialSignal, ...prediction.growth, ...finalSignal].every(Number.isFinite))
    return null;
  return { prediction, score: scoreFittestPrediction(prediction, finalSignal), finalStep, finalSignal };
}

function predictOrNull(data: { steps: number[]; values: number[][] }): FittestPrediction | null {
  try {
    return predictFittest(data, { t0: 3 });
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** rows[step][k] → out[k][step]; a short (cut) rollout gives short rows. */
function transpose(rows: readonly (readonly number[])[], width: number): number[][] {
  return Array.from({ length: width }, (_, k) => rows.map((row) => row[k] ?? Number.NaN));
}
