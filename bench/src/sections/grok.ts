import { runJob } from '../child.ts';
import type { GrokResult } from '../jobs.ts';

/** The default p = 59 MLP run (the demo run) on wasm, in a child process: its grokking step and wall time. */
export async function benchGrok(steps: number): Promise<GrokResult | { unavailable: string }> {
  const outcome = await runJob({ kind: 'grok', config: 'mlp-59', backend: 'wasm', steps });
  if (!outcome.ok) return { unavailable: outcome.reason };
  return outcome.result.kind === 'grok' ? outcome.result : { unavailable: 'unexpected result' };
}
