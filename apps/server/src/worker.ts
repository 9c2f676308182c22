import { createInterface } from 'node:readline';
import {
  decodeCheckpoint,
  encodeMessage,
  parseRunConfig,
  type TelemetryMessage,
  trainMessages,
} from '@grokscope/trainer';
import { exitWhenOrphaned, writeLine } from './runs/trainer-stdio.ts';
import { parseWorkerInput } from './runs/worker-input.ts';

/**
 * Child-process entry: one input (JSON: a config, or `{ config, resume?, checkpointEvery? }`) on stdin, telemetry
 * lines on stdout. SIGTERM stops between steps; a stopped run ends without `completed`, and the server, which
 * asked for the stop, marks it STOPPED (or, from a queue worker, hands it back from the checkpoint it wrote last).
 */
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());
process.on('SIGINT', () => controller.abort());
exitWhenOrphaned();

const write = (message: TelemetryMessage) => writeLine(encodeMessage(message));

async function readInput(): Promise<unknown> {
  for await (const line of createInterface({ input: process.stdin })) return JSON.parse(line);
  throw new Error('no config on stdin');
}

try {
  const input = parseWorkerInput(await readInput());
  const config = parseRunConfig(input.config);
  const resume = input.resume === undefined ? undefined : decodeCheckpoint(input.resume);
  for await (const message of trainMessages(config, {
    signal: controller.signal,
    ...(resume && { resume }),
    ...(input.checkpointEvery !== undefined && { checkpointEvery: input.checkpointEvery }),
  })) {
    await write(message);
    if (message.type === 'failed') process.exitCode = 1;
  }
} catch (error) {
  await write({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
}
