import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createDb, readSeriesPage } from '@grokscope/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeBytes } from '../src/runs/disk-space.ts';
import { follow } from './helpers/follower.ts';
import { gqlAt, pollUntil } from './helpers/scratch-reader.ts';
import { type ServerProcess, startServerProcess } from './helpers/server-process.ts';

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const STOP = 'mutation($id: ID!) { stopRun(id: $id) { status } }';
const CONFIG = { p: 23, steps: 100_000, backend: 'cpu', model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 } };
const MIN_FREE_MB = 48;
const MIB = 2 ** 20;

/** 0, 1, …, n−1. */
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

// A real full disk: the data folder on a small tmpfs of the test's own, filled by a file the test writes. That
// needs root (mount); the test command runs as root on CI, where a failed mount fails the test.
const canMount = userInfo().uid === 0 && process.platform === 'linux';

describe.skipIf(!canMount && !process.env.CI)(
  "the embedded data folder's disk full while a run trains",
  () => {
    let mount: string;
    let dataDir: string;
    let filler: string;
    const servers: ServerProcess[] = [];

    beforeAll(() => {
      mount = mkdtempSync(join(tmpdir(), 'grokscope-disk-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=160m', 'tmpfs', mount]);
      dataDir = join(mount, 'data');
      filler = join(mount, 'filler');
    });
    afterAll(async () => {
      for (const server of servers) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
      if (mount) {
        execFileSync('umount', ['-l', mount]);
        rmSync(mount, { recursive: true, force: true });
      }
    });

    const start = async () => {
      const server = await startServerProcess({
        GROKSCOPE_DATA: dataDir,
        GROKSCOPE_MIN_FREE_MB: String(MIN_FREE_MB),
        GROKSCOPE_CONCURRENCY: '1',
      });
      servers.push(server);
      return server;
    };

    /** Writes a file that leaves `leaveMb` MiB free on the tmpfs. */
    const fillLeaving = (leaveMb: number) => {
      const chunk = Buffer.alloc(MIB);
      const fd = openSync(filler, 'a');
      try {
        while (freeBytes(mount) > leaveMb * MIB + MIB) writeSync(fd, chunk);
      } finally {
        closeSync(fd);
      }
    };

    it('pauses writing with a clear error, refuses new runs, then stores everything once space returns', async () => {
      const server = await start();
      const runId = (
        await gqlAt<{ startRun: { id: string } }>(server.url, START, { input: { config: CONFIG } })
      ).startRun.id;
      const follower = follow(server, runId);
      await pollUntil('steps stream before the disk fills', async () => follower.steps.length >= 30);

      fillLeaving(MIN_FREE_MB / 2);
      await pollUntil('the server pauses its writes, naming the disk', async () =>
        /database write failed \(the data folder's disk has [\d.]+ MiB free, below the 48 MiB/.test(
          server.output(),
        ),
      );
      // A new run is refused with its own code while the disk is short; the server still answers reads.
      const refused = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: START, variables: { input: { config: CONFIG } } }),
      }).then((response) => response.json() as Promise<{ errors?: { extensions: { code: string } }[] }>);
      expect(refused.errors?.[0]?.extensions.code).toBe('STORAGE_FULL');
      const heardWhilePaused = follower.steps.length;

      rmSync(filler);
      await pollUntil('the buffered telemetry is written', async () =>
        /database back after \d+ ms; writing \d+ buffered report\(s\)/.test(server.output()),
      );
      // The run trained on while nothing could be written; those steps were buffered, not lost.
      const buffered = Number(/writing (\d+) buffered report\(s\)/.exec(server.output())?.[1]);
      expect(buffered).toBeGreaterThan(0);
      // The log line comes when the write starts; the steps reach the subscriber after it.
      await pollUntil(
        'the subscriber hears steps again',
        async () => follower.steps.length > heardWhilePaused,
      );
      await gqlAt(server.url, STOP, { id: runId });
      await follower.done;
      await follower.close();
      server.child.kill('SIGTERM');
      await server.exited;

      // The folder opens again, with every step the subscriber saw, gap-free and equal.
      const database = await createDb({ dataDir });
      try {
        const { steps, values } = await readSeriesPage(database.db, runId, 'train_loss', {
          first: 1_000_000,
        });
        expect(steps.length).toBeGreaterThan(30 + buffered - 1);
        expect(steps).toEqual(upTo(steps.length));
        expect(follower.steps).toEqual(steps);
        steps.forEach((step, i) => {
          expect(follower.losses.get(step), `step ${step}`).toBe(values[i]);
        });
      } finally {
        await database.close();
      }
    }, 300_000);

    it('refuses to open the folder on a short disk, naming the margin, and opens it once space returns', async () => {
      fillLeaving(MIN_FREE_MB / 2);
      await expect(start()).rejects.toThrow(
        /cannot open the embedded database: the data folder's disk has [\d.]+ MiB free, below the 48 MiB/,
      );
      rmSync(filler);
      const server = await start();
      const runs = await gqlAt<{ runs: { edges: unknown[] } }>(
        server.url,
        '{ runs(first: 5) { edges { cursor } } }',
      );
      expect(runs.runs.edges).toHaveLength(1);
    }, 180_000);
  },
);
