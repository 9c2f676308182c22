import { createInterface } from 'node:readline';
import { encodeMessage, parseRunConfig, trainBatchMessages } from '@grokscope/trainer';
import { parseBatchInput, parseStopLine } from './runs/batch-input.ts';
import { exitWhenOrphaned, writeLine } from './runs/trainer-stdio.ts';

/**
 * Child-process entry of a batch (runs/batch-process.ts): the first stdin line holds the runs' configs, each later
 * line `{"stop": i}` stops run i between steps. Stdout carries each run's telemetry lines prefixed with its index
 * and a tab, and `i\tend` once nothing more of run i follows. SIGTERM stops every run.
 */
const input = createInterface({ input: process.stdin });
const lines = input[Symbol.asyncIterator]();
exitWhenOrphaned();

const first = await lines.next();
const batch = parseBatchInput(first.done ? undefined : JSON.parse(first.value));
const configs = batch.configs.map((config) => parseRunConfig(config));
const stops = configs.map(() => new AbortController());
const stopAll = () => {
  for (const stop of stops) stop.abort();
};
process.on('SIGTERM', stopAll);
process.on('SIGINT', stopAll);
void (async () => {
  for (;;) {
    const next = await lines.next();
    if (next.done) return;
    const run = parseStopLine(next.value, configs.length);
    stops[run]!.abort();
  }
})();

for await (const item of trainBatchMessages(configs, {
  stops: stops.map((s) => s.signal),
  ...(batch.checkpointEvery !== undefined && { checkpointEvery: batch.checkpointEvery }),
})) {
  await writeLine(`${item.run}\t${'ended' in item ? 'end' : encodeMessage(item.message)}`);
}
// Stop reading stdin and let the process end by itself: process.exit() here would drop the stdout lines still
// queued for a parent that reads slowly (a pipe takes 64 KiB; the rest waits in libuv), the runs' last lines.
input.close();
process.stdin.destroy();
