import { expect } from 'vitest';
import { collect, type TestServer } from './server.ts';

const START = `mutation($input: StartRunInput!) { startRun(input: $input) { id } }`;
const PROGRESS = `subscription($runId: ID!) { runProgress(runId: $runId) { step status } }`;

/** The small run the checkpoint tests (ablation, recompute, weights download) train once per storage. */
export const CHECKPOINTED_RUN = { p: 23, steps: 300, checkpointEvery: 100 } as const;

/**
 * Trains a p = 23 MLP for 300 steps to COMPLETED on a server started with `{ checkpointEvery: 100 }` and returns
 * its id: checkpoints at 100, 200 and 300 (the final step). It memorises (train accuracy → 1) in that time.
 */
export async function trainCheckpointedRun(server: TestServer, name: string): Promise<string> {
  const { p, steps } = CHECKPOINTED_RUN;
  const started = await server.gql<{ startRun: { id: string } }>(START, {
    input: {
      name,
      config: {
        p,
        steps,
        trainFraction: 0.6,
        // Periodic measures at the end only (the final report computes them all): short on a loaded machine.
        cadence: {
          embed_fourier_norms: steps,
          logit_map_fourier_norms: steps,
          restricted_loss: steps,
          gradient_symmetry: steps,
          circularity: steps,
        },
        backend: 'cpu',
        model: { kind: 'MLP', embedDim: 32, hiddenDim: 128 },
        optimizer: { lr: 0.01, weightDecay: 1 },
      },
    },
  });
  expect(started.errors).toBeUndefined();
  const runId = started.data!.startRun.id;
  const events = await collect<{ runProgress: { status: string } }>(server.ws(), PROGRESS, { runId });
  expect(events.at(-1)!.runProgress.status).toBe('COMPLETED');
  return runId;
}
