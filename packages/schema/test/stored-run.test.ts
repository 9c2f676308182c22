import type { RunRow } from '@grokscope/db';
import { parseRunConfig, type RunConfig, type RunSummary, StoredRunError } from '@grokscope/trainer';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { RunConfigRef } from '../src/config-types.ts';
import { summaryOf } from '../src/run-summary.ts';
import { readStoredRun } from '../src/stored-run.ts';

/** A row as the database hands it back: the JSON columns hold whatever was written (older runs, other writers). */
function row(id: string, config: unknown, summary: unknown = {}): RunRow {
  return {
    id,
    name: 'r',
    status: 'COMPLETED',
    kind: 'MLP',
    config,
    backend: 'cpu',
    seed: 0,
    totalSteps: 10,
    stepsDone: 10,
    tags: [],
    notes: '',
    owner: null,
    instanceId: null,
    heartbeatAt: null,
    sweepId: null,
    createdAt: new Date(0),
    startedAt: null,
    finishedAt: null,
    summary,
    error: null,
    axisValues: null,
    source: 'native',
    queueJobId: null,
    customScalars: [],
    archivedAt: null,
  } as RunRow;
}

describe('the typed storage boundary', () => {
  it('types the drizzle row, the Pothos RunConfig and the trainer config as one', () => {
    expectTypeOf<RunRow['config']>().toEqualTypeOf<RunConfig>();
    expectTypeOf<RunRow['summary']>().toEqualTypeOf<RunSummary>();
    expectTypeOf<(typeof RunConfigRef)['$inferType']>().toEqualTypeOf<RunRow['config']>();
    expectTypeOf(readStoredRun).returns.toEqualTypeOf<{ config: RunConfig; summary: RunSummary }>();
  });

  it("parses a stored config with the trainer's schema: an older, shorter config gets today's defaults", () => {
    const stored = readStoredRun(row('a', { p: 5, model: { kind: 'TRANSFORMER' } }, { grokStep: 12 }));
    expect(stored.config.p).toBe(5);
    // The transformer's documented defaults (docs/api.md): d_model 128, d_mlp 512, standard attention.
    expect(stored.config.model).toMatchObject({ kind: 'TRANSFORMER', dModel: 128, dMlp: 512, alpha: 1 });
    expect(stored.summary).toEqual({ grokStep: 12 });
    expect(stored.config).toEqual(parseRunConfig({ p: 5, model: { kind: 'TRANSFORMER' } }));
  });

  it('refuses a stored config or summary that does not parse, naming the run and the field', () => {
    expect(() => readStoredRun(row('run-7', { p: 4 }))).toThrow(StoredRunError);
    expect(() => readStoredRun(row('run-7', { p: 4 }))).toThrow(
      /run run-7: stored config .*p: must be a prime/,
    );
    expect(() => summaryOf(row('run-8', {}, { algorithm: 'SQUARE' }))).toThrow(
      /run run-8: stored summary .*algorithm/,
    );
    expect(() => summaryOf(row('run-9', {}, { grokStep: 'soon' }))).toThrow(/grokStep/);
  });

  it('parses a row once however many fields read it', () => {
    const r = row('b', {}, { finalScalars: { test_acc: 1 } });
    expect(readStoredRun(r)).toBe(readStoredRun(r));
    expect(summaryOf(r).finalScalars).toEqual({ test_acc: 1 });
  });
});
