import type { BackendInfo } from './backends/provider.ts';
import { selectBackend } from './backends/select.ts';
import { parseRunConfig, type RunConfig, type RunConfigInput } from './config.ts';
import type { StepReport } from './report.ts';
import { trainRfm } from './rfm/train-rfm.ts';
import { readReport } from './training/packing.ts';
import { createTrainingSession } from './training/session.ts';

export interface TrainOptions {
  /** Stops the run between steps; see `train`. */
  signal?: AbortSignal;
  /** Called once the backend is active, before the first step. */
  onBackend?: (info: BackendInfo) => void;
}

/** Lets timers, I/O and signal handlers (Ctrl-C) run between steps: on cpu/wasm a read-back is only a microtask. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
  );
}

/**
 * Trains one run, full batch with AdamW, and yields a StepReport per step.
 *
 * Step semantics: the report of step t measures the parameters after t updates. For t = 0..steps−1 the loop runs
 * the forward/backward pass on θ_t (train loss and accuracy of step t), the test forward on θ_t, the vector
 * measures due at t (t mod cadence = 0), yields, and applies the update θ_t → θ_{t+1}. A last report,
 * step = steps, evaluates the final parameters (no update) with every vector measure.
 *
 * RFM runs (`model.kind = 'RFM'`) report one step per iteration instead, steps 0..model.iterations, with the same
 * StepReport shape (see src/rfm/train-rfm.ts); they use no TensorFlow.js backend.
 *
 * Same config (seed included) and backend ⇒ the same numbers. The run selects `config.backend` process-wide (tfjs
 * has one active backend per process), so run one training per process.
 *
 * Stopping: when `signal` aborts, the iterable ends quietly after the step in progress (no error, no final report);
 * check `signal.aborted` to tell a stopped run from a finished one. Breaking out of a `for await` stops it the same
 * way. Either way every tensor the run made is freed.
 *
 * @throws RunConfigError when the config is invalid (the message names each field).
 * @throws BackendUnavailableError when the backend cannot run here (the message says what to install).
 */
export async function* train(
  config: RunConfigInput | RunConfig,
  options: TrainOptions = {},
): AsyncGenerator<StepReport, void, undefined> {
  const run = parseRunConfig(config);
  const { signal } = options;
  if (run.model.kind === 'RFM') {
    // A kernel machine solved exactly on the host (src/rfm/): no TensorFlow.js backend is selected or used.
    options.onBackend?.({ name: run.backend, detail: 'not used: the RFM runs on the host in float64' });
    if (signal?.aborted) return;
    yield* trainRfm(run, run.model, signal);
    return;
  }
  const backend = await selectBackend(run.backend);
  options.onBackend?.(backend);
  if (signal?.aborted) return;

  const session = createTrainingSession(run);
  try {
    const start = performance.now();
    const elapsed = () => performance.now() - start;
    for (let t = 0; t < run.steps; t++) {
      const report = await readReport(await session.step(t), t, elapsed);
      yield report;
      await yieldToEventLoop();
      if (signal?.aborted) return;
    }
    yield await readReport(await session.evaluate(), run.steps, elapsed);
  } finally {
    session.dispose();
  }
}
