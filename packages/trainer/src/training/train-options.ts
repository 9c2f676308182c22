import type { BackendInfo } from '../backends/provider.ts';
import type { TrainingState } from './checkpoint.ts';

export interface TrainOptions {
  /** Stops the run between steps; see `train`. */
  signal?: AbortSignal;
  /** Called once the backend is active, before the first step. */
  onBackend?: (info: BackendInfo) => void;
  /**
   * The config's backend was asked for explicitly (a --backend flag, a config file's field): `native` then fails
   * where the runtime cannot load instead of falling back to wasm.
   */
  strictBackend?: boolean;
  /**
   * Continue from a checkpoint of this config (see training/checkpoint.ts): the first report is of step
   * `resume.step`, and every report from there on equals the uninterrupted run's (the elapsed time aside). RFM
   * runs have no optimiser state and ignore it: they start again from step 0, which gives the same reports.
   */
  resume?: TrainingState;
  /**
   * Take a checkpoint every `everySteps` updates (after the report of step s − 1, the state θ_s with s updates);
   * training waits for `save`. Not at the last step unless `atEnd` (then once more after the final report, the
   * state θ_steps: what interventions on a finished run read). Not for RFM runs.
   */
  checkpoint?: {
    everySteps: number;
    atEnd?: boolean;
    save: (state: TrainingState) => void | Promise<void>;
  };
}
