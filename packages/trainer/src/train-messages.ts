import type { RunConfig, RunConfigInput } from './config.ts';
import type { TelemetryMessage } from './telemetry.ts';
import { type TrainOptions, train } from './train.ts';
import { encodeCheckpoint, type TrainingState } from './training/checkpoint.ts';

/**
 * A run as telemetry messages, for a worker process to write as NDJSON: `started` (backend), one `report` per
 * step, then `completed`, or `failed` with the error's message (invalid config, backend unavailable, a crash).
 * When `options.signal` aborts, the stream ends after the step in progress without `completed`: the side that
 * aborted knows the run was stopped.
 */
export async function* trainMessages(
  config: RunConfigInput | RunConfig,
  options: Pick<TrainOptions, 'signal' | 'resume'> & { checkpointEvery?: number } = {},
): AsyncGenerator<TelemetryMessage, void, undefined> {
  const started: TelemetryMessage[] = [];
  const { checkpointEvery, ...trainOptions } = options;
  try {
    const run = train(config, {
      ...trainOptions,
      onBackend: (info) => started.push({ type: 'started', backend: info.name, detail: info.detail }),
      // A checkpoint goes out after the report before it, in the same stream (`started` is the same queue).
      ...(checkpointEvery
        ? {
            checkpoint: {
              everySteps: checkpointEvery,
              // The finished run's parameters too: interventions at its last step read them.
              atEnd: true,
              save: (state: TrainingState) => {
                started.push({ type: 'checkpoint', step: state.step, safetensors: encodeCheckpoint(state) });
              },
            },
          }
        : {}),
    });
    for await (const report of run) {
      yield* started.splice(0);
      yield { type: 'report', report };
    }
    yield* started.splice(0);
  } catch (error) {
    yield* started.splice(0);
    yield { type: 'failed', error: error instanceof Error ? error.message : String(error) };
    return;
  }
  if (!options.signal?.aborted) yield { type: 'completed' };
}
