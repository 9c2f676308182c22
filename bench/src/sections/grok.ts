import type { BackendName } from '@grokscope/trainer';
import { runJob } from '../child.ts';
import type { GrokResult } from '../jobs.ts';

/** Engines the grok section compares: the default (native) and the reference (wasm); cpu takes hours here. */
const GROK_BACKENDS: readonly BackendName[] = ['native', 'wasm'];

export interface GrokSection {
  runs: (GrokResult | { backend: BackendName; unavailable: string })[];
  /** |native − wasm| ÷ wasm of the grokking steps, when both grokked (issue 14: within 2 %). */
  relativeDifference?: number;
}

/**
 * The bench's mlp-59 configuration with the default cadences, trained on each engine in a child process: its
 * grokking step (the product's rule) and wall time. Same seed, same θ_0; the engines round differently in float32.
 */
export async function benchGrok(steps: number, backends: readonly BackendName[]): Promise<GrokSection> {
  const runs: GrokSection['runs'] = [];
  for (const backend of GROK_BACKENDS.filter((b) => backends.includes(b))) {
    const outcome = await runJob({ kind: 'grok', config: 'mlp-59', backend, steps });
    runs.push(
      outcome.ok && outcome.result.kind === 'grok'
        ? outcome.result
        : { backend, unavailable: outcome.ok ? 'unexpected result' : outcome.reason },
    );
  }
  const step = (backend: BackendName) => {
    const run = runs.find((r) => r.backend === backend);
    return run && 'grokStep' in run ? run.grokStep : null;
  };
  const [native, wasm] = [step('native'), step('wasm')];
  return {
    runs,
    ...(native !== null && wasm !== null && { relativeDifference: Math.abs(native - wasm) / wasm }),
  };
}
