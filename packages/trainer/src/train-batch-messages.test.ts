import { afterEach, describe, expect, it } from 'vitest';
import { parseRunConfig, type RunConfigInput } from './config.ts';
import type { StepReport } from './report.ts';
import type { TelemetryMessage } from './telemetry.ts';
import { train } from './train.ts';
import { type BatchMessage, trainBatchMessages } from './train-batch-messages.ts';
import { decodeCheckpoint } from './training/checkpoint.ts';

const BASE: RunConfigInput = {
  p: 13,
  steps: 12,
  backend: 'native',
  model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 },
  cadence: { restricted_loss: 4, weight_norm: 1 },
};
const configs = [0, 1, 2].map((seed) =>
  parseRunConfig({ ...BASE, seed, optimizer: { lr: 1e-3 * (seed + 1) } }),
);

/** Each run's messages in order, and the order in which runs ended. */
async function collect(
  stream: AsyncIterable<BatchMessage>,
  onMessage: (run: number, message: TelemetryMessage) => void = () => {},
) {
  const perRun: TelemetryMessage[][] = configs.map(() => []);
  const endedAfter: number[] = configs.map(() => -1);
  for await (const item of stream) {
    expect(endedAfter[item.run], `a message of run ${item.run} after its end`).toBe(-1);
    if ('ended' in item) endedAfter[item.run] = perRun[item.run]!.length;
    else {
      perRun[item.run]!.push(item.message);
      onMessage(item.run, item.message);
    }
  }
  return { perRun, endedAfter };
}

const reportsOf = (messages: TelemetryMessage[]) =>
  messages.flatMap((m) => (m.type === 'report' ? [m.report] : []));
const checkpointsOf = (messages: TelemetryMessage[]) =>
  messages.flatMap((m) => (m.type === 'checkpoint' ? [m] : []));

describe('trainBatchMessages', () => {
  const threads = process.env.GROKSCOPE_NATIVE_THREADS;
  afterEach(() => {
    if (threads === undefined) delete process.env.GROKSCOPE_NATIVE_THREADS;
    else process.env.GROKSCOPE_NATIVE_THREADS = threads;
  });

  it('stops one run of a batch while the others complete, each with its checkpoints', async () => {
    const stops = configs.map(() => new AbortController());
    const { perRun, endedAfter } = await collect(
      trainBatchMessages(configs, { stops: stops.map((s) => s.signal), checkpointEvery: 5 }),
      (run, message) => {
        if (run === 1 && message.type === 'report' && message.report.step === 3) stops[1]!.abort();
      },
    );
    for (const run of [0, 2]) {
      const messages = perRun[run]!;
      expect(messages[0]).toMatchObject({ type: 'started', backend: 'native' });
      expect(messages.at(-1)).toEqual({ type: 'completed' });
      expect(endedAfter[run]).toBe(messages.length);
      expect(reportsOf(messages).map((r) => r.step)).toEqual([...Array(13).keys()]);
      // Every 5 updates, then θ_12 after the final report (what interventions on a finished run read).
      expect(checkpointsOf(messages).map((c) => c.step)).toEqual([5, 10, 12]);
    }
    // The stopped run: its reports up to the stop, the checkpoint where it stopped, no `completed`, then its end.
    const stopped = perRun[1]!;
    expect(reportsOf(stopped).map((r) => r.step)).toEqual([0, 1, 2, 3]);
    expect(checkpointsOf(stopped).map((c) => c.step)).toEqual([4]);
    expect(stopped.some((m) => m.type === 'completed' || m.type === 'failed')).toBe(false);
    expect(endedAfter[1]).toBe(stopped.length);
  });

  it('writes checkpoints a single run continues from, reporting what the batch reported', async () => {
    const { perRun } = await collect(
      trainBatchMessages(configs, {
        stops: configs.map(() => new AbortController().signal),
        checkpointEvery: 5,
      }),
    );
    const run = 2;
    const batched = reportsOf(perRun[run]!);
    const at5 = checkpointsOf(perRun[run]!)[0]!;
    const state = decodeCheckpoint(at5.safetensors);
    expect(state.step).toBe(5);
    const resumed: StepReport[] = [];
    for await (const report of train(configs[run]!, { resume: state, strictBackend: true }))
      resumed.push(report);
    expect(resumed.map((r) => r.step)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    for (const report of resumed) {
      const reference = batched[report.step]!;
      for (const [id, value] of Object.entries(reference.scalars)) {
        if (id === 'wall_time') continue;
        expect(Math.abs(report.scalars[id]! - value), `${id} at ${report.step}`).toBeLessThanOrEqual(
          1e-4 * Math.abs(value) + 1e-6,
        );
      }
    }
  });

  it('trains the runs one after another where the native runtime cannot load', async () => {
    process.env.GROKSCOPE_NATIVE_THREADS = 'none';
    const short = configs.map((c) => ({ ...c, steps: 3 }));
    const order: number[] = [];
    const perRun: TelemetryMessage[][] = short.map(() => []);
    for await (const item of trainBatchMessages(short, {
      stops: short.map(() => new AbortController().signal),
    })) {
      if ('ended' in item) order.push(item.run);
      else perRun[item.run]!.push(item.message);
    }
    expect(order).toEqual([0, 1, 2]);
    for (const messages of perRun) {
      expect(messages[0]).toMatchObject({
        type: 'started',
        backend: 'wasm',
        detail: expect.stringContaining('GROKSCOPE_NATIVE_THREADS'),
      });
      expect(reportsOf(messages).map((r) => r.step)).toEqual([0, 1, 2, 3]);
      expect(messages.at(-1)).toEqual({ type: 'completed' });
    }
  });
});
