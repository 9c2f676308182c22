import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type AlgorithmLabel, classifyAlgorithm, GrokkingTracker } from '../analysis/index.ts';
import type { BackendInfo } from '../backends/provider.ts';
import { parseRunConfig, type RunConfigInput } from '../config.ts';
import { totalSteps } from '../models/kinds/index.ts';
import type { StepReport } from '../report.ts';
import { train } from '../train.ts';
import { type CheckResult, runChecks } from './checks.ts';
import { scalarSeriesCsv, spectrumCsv } from './csv.ts';
import { type IterationRow, renderReport } from './markdown.ts';
import { reproductionDir } from './output-dir.ts';
import { REPRODUCTIONS, type ReproductionName, type ReproductionSize } from './presets.ts';
import { RunRecorder } from './series.ts';

export interface ReproduceOptions {
  name: ReproductionName;
  size: ReproductionSize;
  /** Where report.md and the CSVs go (created); default `<cwd>/reproductions/<name>[-ci]-<timestamp>`. */
  outDir?: string;
  /** Base of the default outDir. */
  cwd?: string;
  /** Overrides of the preset config (backend, a step cap, a seed), merged over it. */
  overrides?: Pick<RunConfigInput, 'backend' | 'steps' | 'seed'>;
  signal?: AbortSignal;
  onBackend?: (info: BackendInfo) => void;
  onReport?: (report: StepReport) => void;
}

export interface ReproduceResult {
  /** Every check passed (and the run was not stopped). */
  passed: boolean;
  stopped: boolean;
  checks: CheckResult[];
  /** Null for an RFM (the Clock/Pizza measures are about networks). */
  verdict: AlgorithmLabel | null;
  grokStep: number | null;
  msPerStep: number;
  wallMs: number;
  dir: string;
  reportPath: string;
  scalarsPath: string;
  spectrumPath: string | null;
  /** The final (or, when stopped, the latest) value of every scalar measure. */
  final: Record<string, number>;
}

const SPECTRUM_ID = 'embed_fourier_norms';

/**
 * The preset merged with the command line's overrides. An RFM counts iterations, not optimiser steps, so a step cap
 * (`--steps`) caps `model.iterations` there.
 */
export function reproductionConfig(
  preset: RunConfigInput,
  overrides: ReproduceOptions['overrides'] = {},
): RunConfigInput {
  const { steps, ...rest } = overrides;
  if (preset.model?.kind === 'RFM' && steps !== undefined)
    return { ...preset, ...rest, model: { ...preset.model, iterations: steps } };
  return { ...preset, ...overrides };
}

/** The RFM report's per-iteration table. */
function iterationRows(recorder: RunRecorder): IterationRow[] {
  return recorder.scalarRows.map(({ step, scalars }) => ({
    step,
    trainAcc: scalars.train_acc ?? Number.NaN,
    testAcc: scalars.test_acc ?? Number.NaN,
    testLoss: scalars.test_loss ?? Number.NaN,
    circulantDeviation: scalars.circulant_deviation ?? Number.NaN,
    agopAlignment: scalars.agop_alignment ?? Number.NaN,
  }));
}

/** The latest value of every scalar: the final report has them all; a stopped run takes each one's last value. */
function latestScalars(recorder: RunRecorder): Record<string, number> {
  const latest: Record<string, number> = {};
  for (const row of recorder.scalarRows) Object.assign(latest, row.scalars);
  return latest;
}

/**
 * Runs one reproduction end to end through `train()`, writes report.md, scalars.csv and embed_fourier_norms.csv
 * into the output folder, and returns what the checks found. The CLI and the tests both call this.
 */
export async function runReproduction(options: ReproduceOptions): Promise<ReproduceResult> {
  const reproduction = REPRODUCTIONS[options.name];
  const config = parseRunConfig(reproductionConfig(reproduction.configs[options.size], options.overrides));
  const presetSteps = totalSteps(parseRunConfig(reproduction.configs[options.size]));
  const rfm = config.model.kind === 'RFM';
  const startedAt = new Date();
  const dir = reproductionDir(options.name, options.size, startedAt, options);
  const wallStart = performance.now();
  let backend = config.backend as string;
  const recorder = new RunRecorder([SPECTRUM_ID]);
  const grokking = new GrokkingTracker();
  for await (const report of train(config, {
    strictBackend: options.overrides?.backend !== undefined,
    onBackend: (info) => {
      backend = info.detail;
      options.onBackend?.(info);
    },
    ...(options.signal ? { signal: options.signal } : {}),
  })) {
    recorder.record(report);
    grokking.observe(report.step, report.scalars);
    options.onReport?.(report);
  }
  const last = recorder.last;
  const stepsDone = last?.step ?? 0;
  const stopped = stepsDone < totalSteps(config);

  const final = latestScalars(recorder);
  const verdict = rfm
    ? null
    : classifyAlgorithm(
        {
          gradientSymmetry: final.gradient_symmetry ?? Number.NaN,
          distanceIrrelevance: final.distance_irrelevance ?? Number.NaN,
          circularity: final.circularity ?? Number.NaN,
        },
        config.analysis.verdict,
      );
  const checks = runChecks(reproduction.expected, recorder, config.p, config.analysis.verdict);

  await mkdir(dir, { recursive: true });
  const scalarsPath = path.join(dir, 'scalars.csv');
  await writeFile(scalarsPath, scalarSeriesCsv(recorder));
  const spectrum = recorder.vectors.get(SPECTRUM_ID);
  const spectrumPath = spectrum ? path.join(dir, `${SPECTRUM_ID}.csv`) : null;
  if (spectrum && spectrumPath) await writeFile(spectrumPath, spectrumCsv(spectrum));

  const msPerStep = last && last.step > 0 ? last.elapsedMs / last.step : Number.NaN;
  const wallMs = performance.now() - wallStart;
  // The server's fold (sink, stream, summary): the report's grokking step and phases are the API's.
  const { grokStep: grok, phases } = grokking.state;
  const reportPath = path.join(dir, 'report.md');
  await writeFile(
    reportPath,
    renderReport({
      reproduction,
      size: options.size,
      config,
      backend,
      stepsDone,
      presetSteps,
      wallMs,
      msPerStep,
      grokStep: grok,
      phases,
      final: { step: stepsDone, scalars: final },
      verdict,
      checks,
      files: { scalars: path.basename(scalarsPath), spectrum: spectrumPath && path.basename(spectrumPath) },
      startedAt,
      ...(rfm ? { iterations: iterationRows(recorder) } : {}),
    }),
  );
  return {
    passed: !stopped && checks.every((c) => c.pass),
    stopped,
    checks,
    verdict,
    grokStep: grok,
    msPerStep,
    wallMs,
    dir,
    reportPath,
    scalarsPath,
    spectrumPath,
    final,
  };
}
