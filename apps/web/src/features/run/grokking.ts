import { firstStepAtLeast, type ScalarTable } from './scalar-table.ts';

/** Test accuracy at which a run counts as having generalised ("grokked"). */
export const GROK_THRESHOLD = 0.95;

export interface GrokMark {
  step: number;
  /** True when the step comes from server-bucketed history, so it is known only to within a bucket. */
  approximate: boolean;
}

/** The first step with test_acc ≥ 95%, flagged approximate if it falls in downsampled history. */
export function grokkingStep(
  table: ScalarTable,
  historyBucketSize: number,
  historyEnd: number,
): GrokMark | null {
  const step = firstStepAtLeast(table, 'test_acc', GROK_THRESHOLD);
  if (step === null) return null;
  return { step, approximate: historyBucketSize > 1 && step <= historyEnd };
}
