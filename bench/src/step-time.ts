import { type BackendName, type RunConfigInput, train } from '@grokscope/trainer';

export interface StepTiming {
  config: string;
  backend: BackendName;
  msPerStep: number;
  steps: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/**
 * Median ms per training step over `blocks` blocks after a warm-up, the same protocol as the PyTorch peer
 * (`../shared/bench/peer_torch.py`): full-batch AdamW steps, each step's scalars read back as the trainer does.
 */
export async function timeSteps(
  name: string,
  config: RunConfigInput,
  backend: BackendName,
  { warmup = 3, blocks = 5, perBlock = 10 } = {},
): Promise<StepTiming> {
  const steps = warmup + blocks * perBlock;
  const stamps: number[] = [];
  for await (const report of train({ ...config, backend, steps })) {
    if (report.step >= warmup && report.step < steps) stamps.push(performance.now());
  }
  const blockTimes: number[] = [];
  for (let b = 0; b + 1 < blocks; b++) {
    const start = stamps[b * perBlock];
    const end = stamps[(b + 1) * perBlock];
    if (start !== undefined && end !== undefined) blockTimes.push((end - start) / perBlock);
  }
  return { config: name, backend, msPerStep: median(blockTimes), steps };
}
