import { type Db, latestScalars, readSeries } from '@grokscope/db';
import type { RunSummary } from '@grokscope/schema';
import {
  classifyAlgorithm,
  GROKKING_INPUTS,
  grokkingFromSeries,
  MEASURE_CATALOGUE,
  type RunConfig,
} from '@grokscope/trainer';

/**
 * The facts a finished run is listed and compared by, computed from what was stored (not from the stream), so a
 * run's summary always agrees with its history: final scalars, grokking step, algorithm verdict, phases. The
 * grokking step and phases are the same fold the sink stored live (GrokkingTracker), over the same points.
 */
export async function summarizeRun(db: Db, runId: string, config: RunConfig): Promise<RunSummary> {
  const [latest, series] = await Promise.all([
    latestScalars(db, runId),
    readSeries(db, runId, GROKKING_INPUTS),
  ]);
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
  const { grokStep, phases } = grokkingFromSeries(Object.fromEntries(series.map((s) => [s.name, s])));
  return {
    finalScalars,
    finalStep,
    grokStep,
    algorithm,
    phases,
    // The trainer that computed the points runs from the same code as this server: its catalogue's versions.
    measureVersions: Object.fromEntries(MEASURE_CATALOGUE.map((m) => [m.id, m.version ?? 1])),
  };
}
