/**
 * The grokking forecast (docs/measures.md, “Grokking forecast”) computed on request from the stored test accuracy
 * and test loss: nothing is stored, so it always matches the stored history, live or finished.
 */
import { readSeries } from '@grokscope/db';
import { type ForecastBasis, forecastGrokStep, type GrokForecast } from '@grokscope/trainer';
import { builder } from './builder.ts';
import { badUserInput } from './errors.ts';
import { RunRef } from './run.ts';
import { summaryOf } from './run-summary.ts';

/** Records read per forecast: bounds the work per request; longer runs are read downsampled (bucket ends). */
const MAX_FORECAST_RECORDS = 4_000;

const ForecastBasisRef = builder.enumType('GrokForecastBasis', {
  description: 'What a grokking forecast extrapolates.',
  values: {
    OBSERVED: { value: 'observed', description: 'Already grokked: the observed step.' },
    TEST_ACCURACY: {
      value: 'test_accuracy',
      description: 'The rise of test accuracy (its logit, fitted on the latest quarter of the run).',
    },
    TEST_LOSS: {
      value: 'test_loss',
      description: 'The fall of test loss, between its linear and its exponential extrapolation.',
    },
  } as const satisfies Record<string, { value: ForecastBasis; description: string }>,
});

const GrokForecastRef = builder.objectRef<GrokForecast>('GrokForecast').implement({
  description:
    'When test accuracy is expected to reach 0.99 and stay (the grokking step), with a range; see docs/measures.md for its measured error.',
  fields: (t) => ({
    step: t.exposeInt('step', { description: 'Point estimate of the grokking step.' }),
    low: t.exposeInt('low', { description: 'Early end of the range.' }),
    high: t.exposeInt('high', { description: 'Late end of the range.' }),
    basis: t.field({ type: ForecastBasisRef, description: 'What it extrapolates.', resolve: (f) => f.basis }),
  }),
});

builder.objectFields(RunRef, (t) => ({
  grokForecast: t.field({
    type: GrokForecastRef,
    nullable: true,
    description:
      'Forecast of the grokking step from the trends of test accuracy and test loss so far; null while there is no ' +
      'trend to extrapolate (the memorisation plateau). Once grokked: the observed step.',
    args: {
      atStep: t.arg.int({
        required: false,
        description:
          'Forecast as it was at this step (from the records up to it), to judge it against what happened; default: now.',
      }),
    },
    resolve: async (run, { atStep }, ctx) => {
      if (atStep != null && atStep < 0) throw badUserInput([{ path: 'atStep', message: 'must be ≥ 0' }]);
      const observed = summaryOf(run).grokStep;
      if (observed != null && (atStep == null || atStep >= observed))
        return { step: observed, low: observed, high: observed, basis: 'observed' as const };
      const [testAcc, testLoss] = await readSeries(ctx.db, run.id, ['test_acc', 'test_loss'], {
        maxPoints: MAX_FORECAST_RECORDS,
        toStep: atStep ?? undefined,
      });
      if (!testAcc || !testLoss || testAcc.steps.length !== testLoss.steps.length) return null;
      return forecastGrokStep({ steps: testAcc.steps, testAcc: testAcc.values, testLoss: testLoss.values });
    },
  }),
}));
