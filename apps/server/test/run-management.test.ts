import { getRun, insertRun, readReports } from '@grokscope/db';
import { parseRunConfig } from '@grokscope/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageModes, type TestDatabase } from './helpers/databases.ts';
import { collect, type GqlError, startTestServer, type TestServer } from './helpers/server.ts';

const TINY = { p: 5, steps: 3, seed: 4, backend: 'cpu', model: { kind: 'MLP', embedDim: 4, hiddenDim: 4 } };
const RUN = 'id name status archivedAt config { p seed steps model { kind hiddenDim dModel } }';
const PROGRESS = `subscription($runId: ID!) { runProgress(runId: $runId) { step status } }`;

interface RunView {
  id: string;
  name: string;
  status: string;
  archivedAt: string | null;
  config: {
    p: number;
    seed: number;
    steps: number;
    model: { kind: string; hiddenDim: number | null; dModel: number | null };
  };
}

for (const mode of storageModes) {
  describe.skipIf(mode.skip)(`run management: rename, delete, clone, archive (${mode.label})`, () => {
    let storage: TestDatabase;
    let server: TestServer;
    let finished: RunView;

    const ok = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
      const result = await server.gql<T>(query, variables);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      return result.data!;
    };
    const refused = async (query: string, variables: Record<string, unknown>): Promise<GqlError> => {
      const result = await server.gql(query, variables);
      expect(result.errors, 'expected a refusal').toHaveLength(1);
      return result.errors![0]!;
    };
    const trained = async (name: string): Promise<RunView> => {
      const { startRun } = await ok<{ startRun: RunView }>(
        `mutation($input: StartRunInput!) { startRun(input: $input) { ${RUN} } }`,
        { input: { name, config: TINY } },
      );
      await collect(server.ws(), PROGRESS, { runId: startRun.id });
      return startRun;
    };

    beforeAll(async () => {
      storage = await mode.create();
      server = await startTestServer(storage.database, 1);
      finished = await trained('to-manage');
    });
    afterAll(async () => {
      await server?.close();
      await storage?.dispose();
    });

    it('renames a run (trimmed), refusing an empty name and an unknown id', async () => {
      const { renameRun } = await ok<{ renameRun: RunView }>(
        `mutation($id: ID!, $name: String!) { renameRun(id: $id, name: $name) { ${RUN} } }`,
        { id: finished.id, name: '  renamed  ' },
      );
      expect(renameRun.name).toBe('renamed');
      const empty = await refused(`mutation($id: ID!) { renameRun(id: $id, name: "  ") { id } }`, {
        id: finished.id,
      });
      expect(empty.extensions?.issues).toEqual([
        { path: 'name', message: 'must be 1 to 200 characters', code: 'INVALID_VALUE' },
      ]);
      const unknown = await refused(
        `mutation { renameRun(id: "00000000-0000-4000-8000-000000000000", name: "x") { id } }`,
        {},
      );
      expect(unknown.extensions?.code).toBe('NOT_FOUND');
    });

    it('clones with overrides validated by the config schema, and the clone trains', async () => {
      const clone = `mutation($id: ID!, $overrides: RunConfigInput) { cloneRun(id: $id, overrides: $overrides) { ${RUN} } }`;
      const bad = await refused(clone, { id: finished.id, overrides: { p: 6 } });
      expect(bad.extensions?.issues).toEqual([{ path: 'overrides.p', message: 'must be a prime number' }]);
      const { cloneRun } = await ok<{ cloneRun: RunView }>(clone, {
        id: finished.id,
        overrides: { seed: 9, model: { kind: 'MLP', hiddenDim: 8 } },
      });
      expect(cloneRun).toMatchObject({ name: 'renamed (clone)', status: 'QUEUED' });
      expect(cloneRun.config).toMatchObject({
        p: 5,
        seed: 9,
        steps: 3,
        model: { kind: 'MLP', hiddenDim: 8 },
      });
      const events = await collect<{ runProgress: { status: string } }>(server.ws(), PROGRESS, {
        runId: cloneRun.id,
      });
      expect(events.at(-1)!.runProgress.status).toBe('COMPLETED');
      // Another kind replaces the model whole.
      const { cloneRun: other } = await ok<{ cloneRun: RunView }>(clone, {
        id: finished.id,
        overrides: { model: { kind: 'TRANSFORMER', dModel: 8, heads: 2, dMlp: 8 } },
      });
      expect(other.config.model).toMatchObject({ kind: 'TRANSFORMER', dModel: 8, hiddenDim: null });
      await ok(`mutation($id: ID!) { stopRun(id: $id) { id } }`, { id: other.id });
    });

    it('archives: hidden from the default list, listed with archived: true, back after unarchiveRun', async () => {
      const names = async (archived?: boolean) =>
        (
          await ok<{ runs: { edges: { node: { id: string } }[] } }>(
            'query($archived: Boolean) { runs(first: 100, archived: $archived) { edges { node { id } } } }',
            { archived },
          )
        ).runs.edges.map((e) => e.node.id);
      const { archiveRun } = await ok<{ archiveRun: RunView }>(
        `mutation($id: ID!) { archiveRun(id: $id) { ${RUN} } }`,
        { id: finished.id },
      );
      expect(archiveRun.archivedAt).not.toBeNull();
      expect(await names()).not.toContain(finished.id);
      expect(await names(true)).toEqual([finished.id]);
      await ok(`mutation($id: ID!) { unarchiveRun(id: $id) { id } }`, { id: finished.id });
      expect(await names()).toContain(finished.id);
      expect(await names(true)).toEqual([]);
    });

    it('deletes a finished run with its points; a running run must be stopped first', async () => {
      const run = await trained('to-delete');
      expect((await readReports(storage.database.db, run.id, { sinceStep: -1 })).length).toBe(4);
      const running = await insertRun(storage.database.db, {
        name: 'busy',
        kind: 'MLP',
        backend: 'cpu',
        seed: 0,
        totalSteps: 10,
        status: 'RUNNING',
        config: parseRunConfig(TINY),
      });
      const busy = await refused('mutation($id: ID!) { deleteRun(id: $id) { id } }', { id: running.id });
      expect(busy.extensions?.issues).toEqual([
        { path: 'id', message: 'the run is RUNNING; stop it first (stopRun), then delete it' },
      ]);
      expect(await getRun(storage.database.db, running.id)).toBeDefined();
      const { deleteRun } = await ok<{ deleteRun: { id: string; name: string } }>(
        'mutation($id: ID!) { deleteRun(id: $id) { id name } }',
        { id: run.id },
      );
      expect(deleteRun).toEqual({ id: run.id, name: 'to-delete' });
      expect(await getRun(storage.database.db, run.id)).toBeUndefined();
      expect(await readReports(storage.database.db, run.id, { sinceStep: -1 })).toEqual([]);
      const again = await refused('mutation($id: ID!) { deleteRun(id: $id) { id } }', { id: run.id });
      expect(again.extensions?.code).toBe('NOT_FOUND');
    });
  });
}
