import { parseRunConfig } from '@grokscope/trainer';
import { describe, expect, it } from 'vitest';
import { spawnBatch } from '../src/runs/batch-process.ts';

describe('batch process', () => {
  it('delivers every run’s last lines to a parent that reads slowly', async () => {
    const configs = [0, 1, 2].map((seed) =>
      parseRunConfig({
        p: 23,
        steps: 300,
        seed,
        backend: 'native',
        model: { kind: 'MLP', embedDim: 128, hiddenDim: 256 },
      }),
    );
    // A busy parent (a server storing telemetry): its event loop reads the pipe only between 300 ms stalls, so the
    // batch's last lines (each run's final checkpoint, 1.4 MB of base64 here, then `completed`) are still queued in
    // the child when its runs end. The batch used to exit at once and lose them.
    const stall = setInterval(() => {
      const until = Date.now() + 300;
      while (Date.now() < until) {}
    }, 310);
    try {
      const handles = spawnBatch(configs, { checkpointEvery: 100 });
      const seen = await Promise.all(
        handles.map(async (handle) => {
          const types: string[] = [];
          let reports = 0;
          for await (const message of handle.messages) {
            if (message.type === 'report') reports++;
            else types.push(message.type);
          }
          return { types, reports, exit: await handle.exited };
        }),
      );
      for (const run of seen) {
        expect(run.reports).toBe(301);
        expect(run.types).toEqual(['started', 'checkpoint', 'checkpoint', 'checkpoint', 'completed']);
        expect(run.exit.code).toBe(0);
      }
    } finally {
      clearInterval(stall);
    }
  }, 120_000);
});
