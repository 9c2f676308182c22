import { createInterface } from 'node:readline';
import { encodeMessage, parseRunConfig, type TelemetryMessage, trainMessages } from '@grokscope/trainer';

/**
 * Child-process entry: one config (JSON) on stdin, telemetry lines on stdout. SIGTERM stops between steps; a
 * stopped run ends without `completed`, and the server, which asked for the stop, marks it STOPPED.
 */
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());
process.on('SIGINT', () => controller.abort());

function write(message: TelemetryMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(`${encodeMessage(message)}\n`)) resolve();
    else process.stdout.once('drain', resolve);
  });
}

async function readConfig(): Promise<unknown> {
  for await (const line of createInterface({ input: process.stdin })) return JSON.parse(line);
  throw new Error('no config on stdin');
}

try {
  const config = parseRunConfig(await readConfig());
  for await (const message of trainMessages(config, { signal: controller.signal })) {
    await write(message);
    if (message.type === 'failed') process.exitCode = 1;
  }
} catch (error) {
  await write({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
}
