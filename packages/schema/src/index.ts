import { builder } from './builder.ts';
import './scalars.ts';
import './config-types.ts';
import './run.ts';
import './user-error.ts';
import './run-annotations.ts';
import './create-run.ts';
import './external-run.ts';
import './run-management.ts';
import './run-filter.ts';
import './run-summary.ts';
import './series.ts';
import './compare.ts';
import './progress.ts';
import './measure.ts';
import './model-kinds.ts';
import './frequency-dynamics.ts';
import './grok-forecast.ts';
import './tokens.ts';
import './sweep.ts';
import './sweep-progress.ts';
import './analyse.ts';
import './ablation.ts';

export type {
  CheckpointService,
  Context,
  LoggedStep,
  LogStepsResult,
  LogWeightsResult,
  NewSweep,
  PlannedSweepRun,
  PubSub,
  RunEvent,
  RunService,
  TokenService,
  Topics,
  Viewer,
} from './context.ts';
export { RunRefusal } from './context.ts';
export { badUserInput } from './errors.ts';
export { LIST_SIZE_EXTENSION, type ListSize } from './list-size.ts';
export { LIVE_PENDING_MAX, liveBufferStats } from './live-buffer.ts';
export type { ProgressEvent } from './progress-stream.ts';
export type { Algorithm, RunSummary } from './run-summary.ts';
export { storeAnalysis } from './store-analysis.ts';
export { readStoredRun, type StoredRun } from './stored-run.ts';
export { unprintableReason } from './text-rules.ts';

/** The executable schema: every domain file above has added its types to the builder. */
export const schema = builder.toSchema({ sortSchema: false });
