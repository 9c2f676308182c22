import { type RunConfigInput, train } from '@grokscope/trainer';

export interface GrokTiming {
  config: string;
  backend: string;
  steps: number;
  wallSeconds: number;
  msPerStep: number;
  /** First step with test accuracy ≥ 0.95, or null when the run never got there. */
  grokStep: number | null;
  finalTestAcc: number;
}

/** One whole run, as the dashboard's demo would train it: when does it grok, and how long does it take? */
export async function timeGrokking(name: string, config: RunConfigInput): Promise<GrokTiming> {
  const start = performance.now();
  let grokStep: number | null = null;
  let finalTestAcc = Number.NaN;
  let steps = 0;
  for await (const report of train(config)) {
    const acc = report.scalars.test_acc;
    if (acc !== undefined) {
      finalTestAcc = acc;
      if (grokStep === null && acc >= 0.95) grokStep = report.step;
    }
    steps = report.step;
  }
  const wallSeconds = (performance.now() - start) / 1000;
  return {
    config: name,
    backend: config.backend ?? 'wasm',
    steps,
    wallSeconds,
    msPerStep: (wallSeconds * 1000) / Math.max(1, steps),
    grokStep,
    finalTestAcc,
  };
}
