import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresScratch, skipPostgres } from './helpers/databases.ts';
import { collect } from './helpers/server.ts';
import { startTeamInstance, type TeamInstance } from './helpers/team.ts';
import { issueTokenAt } from './helpers/tokens.ts';

const CONFIG = { p: 23, steps: 10, model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 } };
const LOG = `mutation($runId: ID!, $steps: [StepInput!]!) { logSteps(runId: $runId, steps: $steps) { written } }`;
const PROGRESS =
  'subscription($runId: ID!) { runProgress(runId: $runId) { step status scalars { name value } } }';

interface Progress {
  runProgress: { step: number; status: string; scalars: { name: string; value: number }[] };
}

describe.skipIf(skipPostgres)('external runs in team mode: any instance takes the calls', () => {
  let scratch: Awaited<ReturnType<typeof createPostgresScratch>>;
  let a: TeamInstance;
  let b: TeamInstance;

  beforeAll(async () => {
    scratch = await createPostgresScratch();
    const token = await issueTokenAt(scratch.url, 'write', 'logger');
    a = await startTeamInstance(scratch.url, { token });
    b = await startTeamInstance(scratch.url, { token });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await scratch?.drop();
  });

  it('a run created on A, logged through A and B alternately, streams every step on A and B', async () => {
    const created = await a.gql<{ createExternalRun: { id: string; owner: string } }>(
      'mutation($input: CreateExternalRunInput!) { createExternalRun(input: $input) { id owner } }',
      { input: { name: 'team-external', config: CONFIG } },
    );
    const runId = created.data!.createExternalRun.id;
    expect(created.data!.createExternalRun.owner).toBe('logger');
    const onA = collect<Progress>(a.ws(), PROGRESS, { runId });
    const onB = collect<Progress>(b.ws(), PROGRESS, { runId });
    for (let step = 0; step < 6; step++) {
      const via = step % 2 === 0 ? a : b;
      const result = await via.gql(LOG, {
        runId,
        steps: [{ step, scalars: [{ name: 'train_loss', value: step }] }],
      });
      expect(result.errors).toBeUndefined();
    }
    // A changed value is refused whichever instance gets it.
    const changed = await b.gql(LOG, {
      runId,
      steps: [{ step: 0, scalars: [{ name: 'train_loss', value: 9 }] }],
    });
    expect(changed.errors?.[0]?.message).toContain('step 0 already has train_loss = 0');
    await b.gql('mutation($id: ID!) { finishExternalRun(runId: $id, status: COMPLETED) { status } }', {
      id: runId,
    });
    for (const events of [await onA, await onB]) {
      const got = events.map((e) => e.runProgress);
      expect(got.map((e) => e.step)).toEqual([0, 1, 2, 3, 4, 5, 5]);
      expect(got.slice(0, 6).map((e) => e.scalars.find((s) => s.name === 'train_loss')?.value)).toEqual([
        0, 1, 2, 3, 4, 5,
      ]);
      expect(got.at(-1)!.status).toBe('COMPLETED');
    }
  });
});
