import { BackendUnavailableError } from './backends/provider.ts';
import type { RunConfig } from './config.ts';
import { trainBatch } from './native/train-batch.ts';
import type { TelemetryMessage } from './telemetry.ts';
import { trainMessages } from './train-messages.ts';
import { encodeCheckpoint } from './training/checkpoint.ts';

/** A message of run `run` (its index in the batch), or the end of that run's stream (nothing of it follows). */
export type BatchMessage = { run: number; message: TelemetryMessage } | { run: number; ended: true };

export interface BatchMessagesOptions {
  /** Per run: stops it between steps; its stream ends without `completed` (the side that stopped it knows). */
  stops: readonly AbortSignal[];
  /** Checkpoint every run every this many updates, where it is stopped, and after its final report. */
  checkpointEvery?: number;
}

/**
 * Runs that share shapes as one batched native step (trainBatch), as each run's telemetry messages, those
 * trainMessages would write for it: `started`, a `report` per step, `checkpoint`s, then `completed` or `failed`,
 * followed by `ended`. Where the native runtime cannot load, the runs train one after another on trainMessages'
 * own fallback instead, so a batch never fails where the runs alone would train.
 */
export async function* trainBatchMessages(
  configs: readonly RunConfig[],
  options: BatchMessagesOptions,
): AsyncGenerator<BatchMessage, void, undefined> {
  const { stops, checkpointEvery } = options;
  const queued: BatchMessage[] = [];
  const ended = configs.map(() => false);
  function* end(run: number): Generator<BatchMessage> {
    if (ended[run]) return;
    ended[run] = true;
    yield { run, ended: true };
  }
  let reported = false;
  try {
    const batch = trainBatch(configs, {
      stops,
      onBackend: (info) => {
        const detail = `${info.detail}; one batched step for ${configs.length} runs`;
        for (const run of configs.keys())
          queued.push({ run, message: { type: 'started', backend: info.name, detail } });
      },
      ...(checkpointEvery && {
        checkpoint: {
          everySteps: checkpointEvery,
          atEnd: true,
          save: (run, state) => {
            queued.push({
              run,
              message: { type: 'checkpoint', step: state.step, safetensors: encodeCheckpoint(state) },
            });
          },
        },
      }),
    });
    for await (const step of batch) {
      yield* queued.splice(0);
      for (const [run, report] of step.reports.entries()) {
        if (report) {
          reported = true;
          yield { run, message: { type: 'report', report } };
        } else yield* end(run);
      }
    }
    yield* queued.splice(0);
  } catch (error) {
    yield* queued.splice(0);
    if (error instanceof BackendUnavailableError && !reported) {
      yield* oneAfterAnother(configs, options);
      return;
    }
    const text = error instanceof Error ? error.message : String(error);
    for (const run of configs.keys()) {
      if (ended[run]) continue;
      yield { run, message: { type: 'failed', error: text } };
      yield* end(run);
    }
    return;
  }
  for (const run of configs.keys()) {
    if (ended[run]) continue;
    if (!stops[run]?.aborted) yield { run, message: { type: 'completed' } };
    yield* end(run);
  }
}

/** Each run alone, in order (trainMessages falls back from native to wasm where the runtime cannot load). */
async function* oneAfterAnother(
  configs: readonly RunConfig[],
  options: BatchMessagesOptions,
): AsyncGenerator<BatchMessage, void, undefined> {
  for (const [run, config] of configs.entries()) {
    const signal = options.stops[run];
    if (!signal?.aborted) {
      for await (const message of trainMessages(config, {
        ...(signal && { signal }),
        ...(options.checkpointEvery && { checkpointEvery: options.checkpointEvery }),
      }))
        yield { run, message };
    }
    yield { run, ended: true };
  }
}
