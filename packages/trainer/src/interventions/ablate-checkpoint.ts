import { selectBackend } from '../backends/select.ts';
import type { RunConfig } from '../config.ts';
import type { TrainingState } from '../training/checkpoint.ts';
import { createTrainingSession } from '../training/session.ts';
import { type Ablation, type AblationSpec, ablateFrequencies } from './ablate.ts';

/**
 * Fourier ablation of a stored checkpoint: rebuilds the run's model on the tfjs cpu backend (a checkpoint of either
 * engine has the same θ layout, see training/checkpoint.ts), loads θ and ablates. The cpu backend because this runs
 * once per request on a model of at most a few hundred thousand weights, and gives the same answer everywhere.
 */
export async function ablateCheckpoint(
  config: RunConfig,
  state: TrainingState,
  spec: AblationSpec,
): Promise<Ablation> {
  if (config.model.kind === 'RFM') throw new Error('RFM runs have no embedding to ablate');
  await selectBackend('cpu');
  const session = createTrainingSession({ ...config, backend: 'cpu' });
  try {
    await session.importState(state);
    return await ablateFrequencies(session.model, config, spec);
  } finally {
    await session.dispose();
  }
}
