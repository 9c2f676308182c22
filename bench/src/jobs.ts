import type { BackendName } from '@grokscope/trainer';
import type { BenchConfigName } from './configs.ts';
import type { MatmulPeak } from './matmul-peak.ts';
import type { StepWindow } from './step-time.ts';

/** What the parent asks a child process to do (one backend per process: tfjs holds one active backend). */
export type Job =
  | {
      kind: 'steps';
      config: BenchConfigName;
      backend: BackendName;
      warmup: number;
      window: number;
      /** Also time the same window with the default measure cadences (for the overhead). */
      overhead: boolean;
      matmulSize: number;
    }
  | { kind: 'grok'; config: BenchConfigName; backend: BackendName; steps: number }
  | { kind: 'measure-costs'; config: BenchConfigName; backend: BackendName; warmup: number; window: number };

/**
 * Per cadence key, a window with every measure off and, right after it, one with that key's measures due every
 * step: each key is compared with the machine as it was a moment before.
 */
export interface MeasureCostsResult {
  kind: 'measure-costs';
  config: BenchConfigName;
  backend: BackendName;
  perKey: Record<string, { off: StepWindow; due: StepWindow }>;
}

export interface StepsResult {
  kind: 'steps';
  config: BenchConfigName;
  backend: BackendName;
  /** The backend as the trainer describes it, e.g. `wasm (SIMD, 1 thread)`. */
  detail: string;
  matmul: MatmulPeak;
  measuresOff: StepWindow;
  /** Default cadences; the longest ones at their probe cadences when `probed` (see step-stats.ts). */
  measuresDefault: { window: StepWindow; probed: boolean; offAfter: StepWindow } | null;
}

export interface GrokResult {
  kind: 'grok';
  config: BenchConfigName;
  backend: BackendName;
  steps: number;
  wallSeconds: number;
  msPerStep: number;
  /** The grokking step by the product's rule (Run.grokStep: test accuracy ≥ 0.99 from there on), or null. */
  grokStep: number | null;
  finalTestAcc: number;
}

export type JobResult = StepsResult | GrokResult | MeasureCostsResult;
