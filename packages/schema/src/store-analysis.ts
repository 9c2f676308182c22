import { appendReports, type Db, insertRun, type RunRow } from '@grokscope/db';
import { type CheckpointAnalysis, classifyAlgorithm, MEASURE_CATALOGUE, NO_PHASES } from '@grokscope/trainer';
import type { RunSummary } from './run-summary.ts';

export interface StoreAnalysisOptions {
  name: string;
  tags?: readonly string[];
  /** The API token's name in team mode; null when anonymous. */
  owner?: string | null;
  /** What was analysed (a file name), kept in the summary. */
  source?: string;
}

/**
 * Stores an analysed checkpoint as a one-step COMPLETED run: its measures are the points of step 0 (scalars in
 * metric_points, per-frequency vectors in spectra), its summary the same facts a trained run's has (final scalars,
 * the algorithm verdict) plus `imported`: what was read and how (layout, format, architecture, notes). Tagged
 * `imported`. Used by the analyseModel mutation and by `grokscope analyse --store`.
 */
export async function storeAnalysis(
  db: Db,
  analysis: CheckpointAnalysis,
  options: StoreAnalysisOptions,
): Promise<RunRow> {
  const scalars: Record<string, number> = {};
  const vectors: Record<string, number[]> = {};
  for (const [id, value] of Object.entries(analysis.measures)) {
    if (Array.isArray(value)) vectors[id] = value;
    else scalars[id] = value;
  }
  const gs = scalars.gradient_symmetry;
  const q = scalars.distance_irrelevance;
  const circ = scalars.circularity;
  const summary: RunSummary & { imported: Record<string, unknown> } = {
    finalScalars: scalars,
    finalStep: 0,
    grokStep: null,
    algorithm:
      gs === undefined || q === undefined || circ === undefined
        ? null
        : classifyAlgorithm(
            { gradientSymmetry: gs, distanceIrrelevance: q, circularity: circ },
            analysis.config.analysis.verdict,
          ),
    phases: NO_PHASES,
    measureVersions: Object.fromEntries(MEASURE_CATALOGUE.map((m) => [m.id, m.version ?? 1])),
    imported: {
      ...(options.source !== undefined && { source: options.source }),
      format: analysis.format,
      layout: analysis.layout,
      architecture: { ...analysis.architecture },
      notes: analysis.notes,
    },
  };
  const now = new Date();
  const tags = [...new Set(['imported', ...(options.tags ?? [])])];
  const run = await insertRun(db, {
    name: options.name,
    status: 'COMPLETED',
    kind: analysis.config.model.kind,
    config: analysis.config,
    backend: analysis.config.backend,
    seed: analysis.config.seed,
    totalSteps: 0,
    stepsDone: 0,
    tags,
    owner: options.owner ?? null,
    startedAt: now,
    finishedAt: now,
    summary,
  });
  await appendReports(db, run.id, [{ step: 0, scalars, vectors }]);
  return run;
}
