/** What the trainer yields after each step: the stream every consumer (CLI, worker, server) reads. */
export interface StepReport {
  /**
   * Optimiser updates applied before the measured parameters: step t reports the model that has had t updates
   * (step 0 is the initialisation, step = config.steps is the final model).
   */
  step: number;
  /** Scalar measures due at this step, by measure id (`train_loss`, `test_acc`, ...). */
  scalars: Record<string, number>;
  /** Vector measures due at this step, by measure id (`embed_fourier_norms`, ...). */
  vectors: Record<string, number[]>;
  /** Wall-clock milliseconds since training started. */
  elapsedMs: number;
}
