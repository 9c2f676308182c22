import { describe, expect, it } from 'vitest';
import { smallRun } from '../test/helpers/runs.ts';
import { decodeMessage, encodeMessage, type TelemetryMessage } from './telemetry.ts';
import { trainMessages } from './train-messages.ts';

async function messages(...args: Parameters<typeof trainMessages>): Promise<TelemetryMessage[]> {
  const out: TelemetryMessage[] = [];
  // Through the wire and back, as a worker and the server would see them.
  for await (const m of trainMessages(...args)) out.push(decodeMessage(encodeMessage(m)));
  return out;
}

describe('trainMessages', () => {
  it('streams started, a report per step, then completed', async () => {
    const out = await messages(smallRun('wasm', { steps: 2 }));
    expect(out.map((m) => m.type)).toEqual(['started', 'report', 'report', 'report', 'completed']);
    expect(out[0]).toEqual({ type: 'started', backend: 'wasm', detail: expect.stringMatching(/^wasm \(/) });
  });

  it('reports an invalid config as failed, naming the field', async () => {
    expect(await messages({ p: 58 })).toEqual([{ type: 'failed', error: 'p: must be a prime number' }]);
  });

  it('ends without completed when stopped', async () => {
    const controller = new AbortController();
    const types: string[] = [];
    for await (const m of trainMessages(smallRun('wasm', { steps: 50 }), { signal: controller.signal })) {
      types.push(m.type);
      if (types.length === 3) controller.abort();
    }
    expect(types).toEqual(['started', 'report', 'report']);
  });
});
