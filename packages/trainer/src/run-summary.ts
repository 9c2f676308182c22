import { z } from 'zod';
import { ALGORITHMS } from './analysis/verdict.ts';

const step = z.int().min(0).nullable();

/**
 * What the server stores in `runs.summary`: the grokking state while a run trains (the sink writes it with each
 * batch), and the final scalars, verdict and measure versions once it ends. Written here, beside the facts it
 * holds, so the database column, the GraphQL resolvers and the server read one type, checked by one parse.
 */
export const runSummarySchema = z
  .object({
    finalScalars: z.record(z.string(), z.number()).optional(),
    /** −1 when the run stored no scalar. */
    finalStep: z.int().min(-1).optional(),
    grokStep: step.optional(),
    algorithm: z.enum(ALGORITHMS).nullable().optional(),
    phases: z.object({ memorisationEnd: step, circuitFormationEnd: step, cleanupEnd: step }).optional(),
    /** Definition version of each measure (MEASURE_CATALOGUE) when the run was summarised; absent in older runs. */
    measureVersions: z.record(z.string(), z.int().min(1)).optional(),
    /** A run stored by `analyse --store` / analyseModel: what was read (the layout extras the config cannot hold). */
    imported: z
      .object({
        source: z.string().optional(),
        format: z.string(),
        layout: z.string(),
        architecture: z.record(z.string(), z.unknown()),
        notes: z.array(z.string()),
      })
      .optional(),
  })
  .strict();

export type RunSummary = z.output<typeof runSummarySchema>;

/** A stored value that does not parse: names the run and the field, so a bad row is found, not served. */
export class StoredRunError extends Error {
  constructor(runId: string, column: 'config' | 'summary', issues: readonly z.core.$ZodIssue[]) {
    const fields = issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
    super(`run ${runId}: stored ${column} does not match the trainer's schema (${fields})`);
    this.name = 'StoredRunError';
  }
}
