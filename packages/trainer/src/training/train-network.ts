import { type BackendInfo, BackendUnavailableError } from '../backends/provider.ts';
import { selectBackend } from '../backends/select.ts';
import { isNativeBackend, type RunConfig } from '../config.ts';
import { NativeUnavailableError } from '../native/runtime.ts';
import { selectNativeBackend } from '../native/select.ts';
import { createNativeSession } from '../native/session.ts';
import type { StepReport } from '../report.ts';
import { readReport } from './packing.ts';
import { createTrainingSession, type TrainingSession } from './session.ts';
import type { TrainOptions } from './train-options.ts';
import { yieldToEventLoop } from './yield-to-event-loop.ts';

/**
 * The training loop of every network kind (gradient descent on a backend): for t = 0..steps−1 the session runs the
 * forward/backward pass on θ_t, the test forward, the measures due at t, yields, and applies the update
 * θ_t → θ_{t+1}; a last report (step = steps) evaluates the final parameters with every measure.
 */
export async function* trainNetwork(
  run: RunConfig,
  options: TrainOptions,
): AsyncGenerator<StepReport, void, undefined> {
  const { signal } = options;
  const session = await openSession(run, options);
  if (signal?.aborted) {
    await session.dispose();
    return;
  }
  try {
    const start = performance.now();
    const { resume, checkpoint } = options;
    if (resume) await session.importState(resume);
    const elapsed = () => (resume?.elapsedMs ?? 0) + performance.now() - start;
    for (let t = resume?.step ?? 0; t < run.steps; t++) {
      const report = await readReport(await session.step(t), t, elapsed);
      yield report;
      const updates = t + 1;
      if (checkpoint && updates % checkpoint.everySteps === 0 && updates < run.steps) {
        await checkpoint.save({ ...(await session.exportState()), elapsedMs: elapsed() });
      }
      await yieldToEventLoop();
      if (signal?.aborted) {
        // Stopped between steps: a checkpoint of where it stopped lets another process continue from here.
        if (checkpoint && updates % checkpoint.everySteps !== 0 && updates < run.steps)
          await checkpoint.save({ ...(await session.exportState()), elapsedMs: elapsed() });
        return;
      }
    }
    yield await readReport(await session.evaluate(), run.steps, elapsed);
    if (checkpoint?.atEnd) await checkpoint.save({ ...(await session.exportState()), elapsedMs: elapsed() });
  } finally {
    await session.dispose();
  }
}

/** Selects the run's backend, reports it, and opens the session that trains on it. */
async function openSession(run: RunConfig, options: TrainOptions): Promise<TrainingSession> {
  if (!isNativeBackend(run.backend)) {
    const backend: BackendInfo = await selectBackend(run.backend);
    options.onBackend?.(backend);
    return createTrainingSession(run);
  }
  const selection = await selectNativeBackend(run.backend, options.strictBackend ?? false);
  options.onBackend?.(selection.info);
  if (selection.kind === 'fallback') return createTrainingSession(run);
  try {
    return await createNativeSession(run, selection.provider);
  } catch (error) {
    if (error instanceof NativeUnavailableError)
      throw new BackendUnavailableError(run.backend, error.message, { cause: error });
    throw error;
  }
}
