import { createInterface } from 'node:readline';
import { encodeMessage, parseRunConfig, type TelemetryMessage, train } from '@grokscope/trainer';

/** Child-process entry: one config on stdin, telemetry lines on stdout, SIGTERM stops between steps. */
async function main(): Promise<void> {
  const controller = new AbortController();
  process.on('SIGTERM', () => controller.abort());
  process.on('SIGINT', () => controller.abort());

  const write = (message: TelemetryMessage) =>
    new Promise<void>((resolve) => {
      if (process.stdout.write(`${encodeMessage(message)}\n`)) resolve();
      else process.stdout.once('drain', resolve);
    });

  try {
    const lines = createInterface({ input: process.stdin });
    let first = '';
    for await (const line of lines) {
      first = line;
      break;
    }
    const config = parseRunConfig(JSON.parse(first));
    const iterable = train(config, {
      signal: controller.signal,
      onBackend: (info) => void write({ type: 'started', backend: info.name, detail: info.detail }),
    });
    for await (const report of iterable) await write({ type: 'report', report });
    await write({ type: 'completed' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await write({ type: 'failed', error: message });
    process.exitCode = 1;
  }
}

await main();
