import { type Db, latestScalars, readSeries } from '@grokscope/db';
import type { RunSummary } from '@grokscope/schema';
import { classifyAlgorithm, grokStep, phaseBoundaries, type RunConfig } from '@grokscope/trainer';

/**
 * The facts a finished run is listed and compared by, computed from what was stored (not from the stream), so a
 * run's summary always agrees with its history: final scalars, grokking step, algorithm verdict, phases.
 */
export async function summarizeRun(db: Db, runId: string, config: RunConfig): Promise<RunSummary> {
  const [latest, series] = await Promise.all([
    latestScalars(db, runId),
    readSeries(db, runId, ['test_acc', 'test_loss', 'excluded_loss']),
  ]);
  const [testAcc, testLoss, excludedLoss] = series;
  const finalScalars = Object.fromEntries(Object.entries(latest).map(([name, point]) => [name, point.value]));
  const finalStep = Math.max(-1, ...Object.values(latest).map((point) => point.step));
  const verdictInputs = ['gradient_symmetry', 'distance_irrelevance', 'circularity'].map(
    (id) => latest[id]?.value,
  );
  const [gradientSymmetry, distanceIrrelevance, circularity] = verdictInputs;
  const algorithm =
    gradientSymmetry === undefined || distanceIrrelevance === undefined || circularity === undefined
      ? null
      : classifyAlgorithm({ gradientSymmetry, distanceIrrelevance, circularity }, config.analysis.verdict);
  return {
    finalScalars,
    finalStep,
    grokStep: testAcc ? grokStep(testAcc.steps, testAcc.values) : null,
    algorithm,
    phases: phasesOf(testLoss, excludedLoss),
  };
}

type SeriesData = { steps: number[]; values: number[] } | undefined;

/** Test loss is stored every step, excluded loss at its cadence: the phases are read at excluded-loss steps. */
function phasesOf(testLoss: SeriesData, excludedLoss: SeriesData): NonNullable<RunSummary['phases']> {
  const none = { memorisationEnd: null, circuitFormationEnd: null, cleanupEnd: null };
  if (!testLoss || !excludedLoss || excludedLoss.steps.length === 0) return none;
  const testAt = new Map(testLoss.steps.map((step, i) => [step, testLoss.values[i] ?? Number.NaN]));
  return phaseBoundaries({
    steps: excludedLoss.steps,
    excludedLoss: excludedLoss.values,
    testLoss: excludedLoss.steps.map((step) => testAt.get(step) ?? Number.NaN),
  });
}
