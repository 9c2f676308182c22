import { type BackendInfo, BackendUnavailableError } from '../backends/provider.ts';
import type { RunConfig, RunConfigInput } from '../config.ts';
import { createRng } from '../data/rng.ts';
import { splitPairs } from '../data/split.ts';
import { registerGradients } from '../gradients/index.ts';
import { createModel } from '../models/index.ts';
import type { Model } from '../models/model.ts';
import type { StepReport } from '../report.ts';
import type { TrainingState } from '../training/checkpoint.ts';
import { createMeasurePass, type MeasurePass } from '../training/measure-pass.ts';
import { readReport } from '../training/packing.ts';
import { parseBatchConfigs } from './batch-shapes.ts';
import { BatchedNativeEngine, type BatchedStepResult } from './batched-engine.ts';
import { MeasureGraphs, nativeMeasureSources } from './measure-graphs.ts';
import { NativeUnavailableError } from './runtime.ts';
import { selectNativeBackend } from './select.ts';
import { packNativeValues } from './session.ts';

/**
 * One step of a batch: run r's report (the same shape train() yields) at `reports[r]`, in config order; null for a
 * run its own stop signal ended.
 */
export interface BatchStepReport {
  step: number;
  reports: (StepReport | null)[];
}

export interface TrainBatchOptions {
  /** Stops every run between steps, as train()'s signal does. */
  signal?: AbortSignal;
  /**
   * Per run, in config order: stops that run between steps. Its reports end (null from the next step on) and its
   * measures stop; the batched step still carries it (its shapes are the graph's), and the batch ends once every
   * run has stopped.
   */
  stops?: readonly (AbortSignal | undefined)[];
  /** Called once the runtime is active, before the first step. */
  onBackend?: (info: BackendInfo) => void;
  /**
   * Each run's checkpoints, as train()'s `checkpoint` takes them (every `everySteps` updates, where a run is
   * stopped, and with `atEnd` after the final report); `save` gets the run's index.
   */
  checkpoint?: {
    everySteps: number;
    atEnd?: boolean;
    save: (run: number, state: TrainingState) => void | Promise<void>;
  };
}

interface RunMeasures {
  config: RunConfig;
  model: Model;
  measures: MeasurePass;
  graphs: MeasureGraphs;
}

/**
 * Trains runs that share shapes (they may differ in seed — hence split and θ_0 —, α, optimiser settings, measure
 * cadences) together: one batched native step per step for all of them, in this process (batched-step-graph.ts).
 * Yields, per step, each run's StepReport exactly as train() would (the same step semantics, the final report at
 * step = steps); each run's measures run on its own tfjs model from its slice of the batched θ_t, at its cadences.
 *
 * @throws RunConfigError naming `runs.<i>.<field>` when a config is invalid or differs from run 0 in a shape field.
 * @throws BackendUnavailableError when the native runtime cannot load here (a batch has no wasm fallback).
 */
export async function* trainBatch(
  inputs: readonly (RunConfigInput | RunConfig)[],
  options: TrainBatchOptions = {},
): AsyncGenerator<BatchStepReport, void, undefined> {
  const configs = parseBatchConfigs(inputs);
  const first = configs[0]!;
  const selection = await selectNativeBackend(
    first.backend === 'native_webgpu' || first.backend === 'native_cuda' ? first.backend : 'native',
    true,
  );
  if (selection.kind !== 'native') throw new BackendUnavailableError(first.backend, selection.info.detail);
  options.onBackend?.(selection.info);
  registerGradients();
  const splits = configs.map((c) =>
    splitPairs(c.p, c.trainFraction, createRng(c.seed, 'split'), c.operation),
  );
  const runs: RunMeasures[] = [];
  let engine: BatchedNativeEngine | undefined;
  try {
    // Each run's tfjs model draws its θ_0 (as train() does) and later computes its measures.
    const models = configs.map((config) => createModel(config, createRng(config.seed, 'init')));
    const initial = models.map((model) => model.variables.map((v) => v.dataSync() as Float32Array));
    try {
      engine = await BatchedNativeEngine.create(configs, splits, initial, selection.provider);
    } catch (error) {
      for (const model of models) model.dispose();
      if (error instanceof NativeUnavailableError)
        throw new BackendUnavailableError(first.backend, error.message, { cause: error });
      throw error;
    }
    const batch = engine;
    const shapes = models[0]!.variables.map((v) => [...v.shape]);
    // The step being reported: each run's measure graphs read its slice of θ_t from it (as runtime tensors).
    let current: BatchedStepResult | undefined;
    for (const [r, config] of configs.entries()) {
      const model = models[r]!;
      const graphs = new MeasureGraphs(batch.runtime, config, splits[r]!, selection.provider);
      const params = () => batch.runParams(current!, r, shapes);
      const sources = nativeMeasureSources(config, {
        grid: (keyMask) => graphs.grid(params(), keyMask),
        inputAgop: () => graphs.inputAgop(params()),
      });
      runs.push({ config, model, graphs, measures: createMeasurePass(config, model, splits[r]!, sources) });
    }
    const start = performance.now();
    const elapsed = () => performance.now() - start;
    const stopped = configs.map(() => false);
    const report = async (
      step: number,
      final: boolean,
      result: BatchedStepResult,
    ): Promise<BatchStepReport> => {
      current = result;
      const reports: (StepReport | null)[] = [];
      for (const [r, run] of runs.entries()) {
        if (stopped[r]) {
          reports.push(null);
          continue;
        }
        const packed = await packNativeValues(
          run.config,
          run.model,
          run.measures,
          step,
          final,
          result.scalars(r),
          result.params(r),
        );
        reports.push(await readReport(packed, step, elapsed));
      }
      return { step, reports };
    };
    const { checkpoint } = options;
    const save = async (r: number) => {
      const state = batch.exportRunState(r);
      await checkpoint!.save(r, { ...state, step: batch.updates, elapsedMs: elapsed(), shapes });
    };
    for (let t = 0; t < first.steps; t++) {
      yield await report(t, false, await engine.step());
      const updates = t + 1;
      const due = checkpoint && updates % checkpoint.everySteps === 0 && updates < first.steps;
      for (const r of configs.keys()) if (due && !stopped[r]) await save(r);
      await new Promise((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) return;
      for (const r of configs.keys()) {
        if (stopped[r] || !options.stops?.[r]?.aborted) continue;
        stopped[r] = true;
        // As train(): where it stopped, so another process could continue the run from there.
        if (checkpoint && !due && updates < first.steps) await save(r);
      }
      if (stopped.every(Boolean)) return;
    }
    yield await report(first.steps, true, await engine.evaluate());
    if (checkpoint?.atEnd) for (const r of configs.keys()) if (!stopped[r]) await save(r);
  } finally {
    for (const run of runs) {
      run.measures.dispose();
      run.model.dispose();
      await run.graphs.dispose();
    }
    await engine?.dispose();
  }
}
