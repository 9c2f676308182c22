import type { RunRow } from '@grokscope/db';
import type { RunSummary } from '@grokscope/trainer';
import { AlgorithmRef } from './algorithm.ts';
import { builder } from './builder.ts';
import { RunRef } from './run.ts';
import { readStoredRun } from './stored-run.ts';

export type { RunSummary } from '@grokscope/trainer';
export { ALGORITHMS, type Algorithm } from './algorithm.ts';

export function summaryOf(run: RunRow): RunSummary {
  return readStoredRun(run).summary;
}

export const PhasesRef = builder.objectRef<NonNullable<RunSummary['phases']>>('Phases').implement({
  description:
    'Phase boundaries of grokking (measures.md §4.6) as of the latest stored step (live while the run trains); null where not (yet) found.',
  fields: (t) => ({
    memorisationEnd: t.exposeInt('memorisationEnd', { nullable: true, description: 'End of memorisation.' }),
    circuitFormationEnd: t.exposeInt('circuitFormationEnd', {
      nullable: true,
      description: 'End of circuit formation.',
    }),
    cleanupEnd: t.exposeInt('cleanupEnd', { nullable: true, description: 'End of clean-up.' }),
  }),
});

const MeasureVersionRef = builder.objectRef<{ id: string; version: number }>('MeasureVersion').implement({
  description: 'Which definition of a measure computed a run’s points.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'Measure id (as in `measures`).' }),
    version: t.exposeInt('version', { description: 'Its definition version.' }),
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
      'Grokking step (docs/measures.md, one rule everywhere): the first step from which test accuracy has stayed ≥ 0.99 ' +
      'at every later stored step. Live while the run trains (computed from the stored steps); null: not (yet) grokked.',
    resolve: (run) => summaryOf(run).grokStep ?? null,
  }),
  measureVersions: t.field({
    type: [MeasureVersionRef],
    nullable: true,
    description:
      'The definition version of each measure that computed this run’s points (recorded when it ended); null for runs stored before versions were kept.',
    resolve: (run) => {
      const versions = summaryOf(run).measureVersions;
      return versions ? Object.entries(versions).map(([id, version]) => ({ id, version })) : null;
    },
  }),
  phases: t.field({
    type: PhasesRef,
    nullable: true,
    description:
      'Memorisation / circuit formation / clean-up boundaries as of the latest stored step (live while the run trains).',
    resolve: (run) => summaryOf(run).phases ?? null,
  }),
}));
