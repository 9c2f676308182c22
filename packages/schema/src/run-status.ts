import type { RUN_STATUSES } from '@grokscope/db';
import { builder } from './builder.ts';

export const RunStatusRef = builder.enumType('RunStatus', {
  description: 'Where a run is in its life. QUEUED → RUNNING → one of the terminal states.',
  values: {
    QUEUED: { description: 'Stored, waiting for a free executor.' },
    RUNNING: { description: 'Training; progress streams on runProgress.' },
    COMPLETED: { description: 'Trained every step.' },
    FAILED: { description: 'The trainer failed; `error` says why.' },
    STOPPED: { description: 'Stopped on request (stopRun).' },
    INTERRUPTED: { description: 'The server died while the run was queued or training.' },
  } satisfies Record<(typeof RUN_STATUSES)[number], { description: string }>,
});
