import type { RunRow } from '@grokscope/db';
import { type Algorithm, AlgorithmRef } from './algorithm.ts';
import { builder } from './builder.ts';
import { RunRef } from './run.ts';

export { ALGORITHMS, type Algorithm } from './algorithm.ts';

/** What the server stores in `runs.summary` when a run ends (and, for the verdict, as it changes). */
export interface RunSummary {
  finalScalars?: Record<string, number>;
  finalStep?: number;
  grokStep?: number | null;
  algorithm?: Algorithm | null;
  phases?: { memorisationEnd: number | null; circuitFormationEnd: number | null; cleanupEnd: number | null };
}

export function summaryOf(run: RunRow): RunSummary {
  return run.summary as RunSummary;
}

const PhasesRef = builder.objectRef<NonNullable<RunSummary['phases']>>('Phases').implement({
  description:
    'Phase boundaries of grokking (measures.md §4.6), detected after the run; null where not found.',
  fields: (t) => ({
    memorisationEnd: t.exposeInt('memorisationEnd', { nullable: true, description: 'End of memorisation.' }),
    circuitFormationEnd: t.exposeInt('circuitFormationEnd', {
      nullable: true,
      description: 'End of circuit formation.',
    }),
    cleanupEnd: t.exposeInt('cleanupEnd', { nullable: true, description: 'End of clean-up.' }),
  }),
});

builder.objectFields(RunRef, (t) => ({
  algorithm: t.field({
    type: AlgorithmRef,
    nullable: true,
    description: 'The algorithm verdict from the final measures; null until known.',
    resolve: (run) => summaryOf(run).algorithm ?? null,
  }),
  grokStep: t.int({
    nullable: true,
    description:
      'First step after which test accuracy stays above 0.99; null if it never does (or still running).',
    resolve: (run) => summaryOf(run).grokStep ?? null,
  }),
  phases: t.field({
    type: PhasesRef,
    nullable: true,
    description: 'Memorisation / circuit formation / clean-up boundaries; null until the run ends.',
    resolve: (run) => summaryOf(run).phases ?? null,
  }),
}));
