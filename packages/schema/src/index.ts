import { builder } from './builder.ts';
import './scalars.ts';
import './config-types.ts';
import './run.ts';
import './user-error.ts';
import './run-annotations.ts';
import './create-run.ts';
import './run-filter.ts';
import './run-summary.ts';
import './series.ts';
import './compare.ts';
import './progress.ts';
import './measure.ts';
import './frequency-dynamics.ts';

export type { Context, PubSub, RunEvent, RunService, Topics, Viewer } from './context.ts';
export { badUserInput } from './errors.ts';
export { LIVE_PENDING_MAX, liveBufferStats } from './live-buffer.ts';
export type { ProgressEvent } from './progress-stream.ts';
export type { Algorithm, RunSummary } from './run-summary.ts';

/** The executable schema: every domain file above has added its types to the builder. */
export const schema = builder.toSchema({ sortSchema: false });
