import { parseRunConfig, type RunConfig, type RunConfigInput } from './config.ts';
import { trainKind } from './models/kinds/index.ts';
import type { StepReport } from './report.ts';
import type { TrainOptions } from './training/train-options.ts';

export type { TrainOptions } from './training/train-options.ts';

/**
 * Trains one run and yields a StepReport per step.
 *
 * The loop is the model kind's (models/kinds/): networks train by gradient descent (training/train-network.ts: the
 * report of step t measures the parameters after t updates, and a last report, step = steps, the final ones); an
 * RFM reports one step per iteration, steps 0..model.iterations, with the same StepReport shape, on the host.
 *
 * Same config (seed included) and backend ⇒ the same numbers. The run selects `config.backend` process-wide (tfjs
 * has one active backend per process), so run one training per process.
 *
 * Stopping: when `signal` aborts, the iterable ends quietly after the step in progress (no error, no final report);
 * check `signal.aborted` to tell a stopped run from a finished one. Breaking out of a `for await` stops it the same
 * way. Either way every tensor the run made is freed.
 *
 * @throws RunConfigError when the config is invalid (the message names each field).
 * @throws BackendUnavailableError when the backend cannot run here (the message says what to install).
 */
export async function* train(
  config: RunConfigInput | RunConfig,
  options: TrainOptions = {},
): AsyncGenerator<StepReport, void, undefined> {
  yield* trainKind(parseRunConfig(config), options);
}
