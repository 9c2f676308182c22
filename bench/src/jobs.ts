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

/** Steps with every measure off, then with one cadence key's measures due every step, per key. */
export interface MeasureCostsResult {
  kind: 'measure-costs';
  config: BenchConfigName;
  backend: BackendName;
  off: StepWindow;
  perKey: Record<string, StepWindow>;
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
  /** First step with test accuracy ≥ 0.95, or null when the run never got there. */
  grokStep: number | null;
  finalTestAcc: number;
}

export type JobResult = StepsResult | GrokResult | MeasureCostsResult;
