import type { BackendName, RunConfigInput } from '../../src/config.ts';
import type { StepReport } from '../../src/report.ts';
import { train } from '../../src/train.ts';

/** A small MLP that trains in milliseconds per step even on the cpu backend. */
export function smallRun(backend: BackendName, overrides: RunConfigInput = {}): RunConfigInput {
  return {
    p: 23,
    trainFraction: 0.5,
    steps: 30,
    seed: 1,
    model: { kind: 'MLP', embedDim: 32, hiddenDim: 64 },
    cadence: { embed_fourier_norms: 10 },
    backend,
    ...overrides,
  };
}

/** Every report of a run, in order. */
export async function collect(config: RunConfigInput, signal?: AbortSignal): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  for await (const report of train(config, signal ? { signal } : {})) reports.push(report);
  return reports;
}

/** Reports without their wall-clock field, for exact comparisons. */
export function withoutTimes(reports: StepReport[]): Omit<StepReport, 'elapsedMs'>[] {
  return reports.map(({ elapsedMs: _elapsedMs, ...rest }) => rest);
}
