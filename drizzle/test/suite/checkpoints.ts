import { describe, expect, it } from 'vitest';
import {
  checkpointAtOrBefore,
  checkpointStepsKept,
  claimQueuedRun,
  heartbeatQueuedRun,
  insertRun,
  latestCheckpoint,
  listCheckpoints,
  markInterrupted,
  requeueRun,
  saveCheckpoint,
  saveCheckpointWithHistory,
  setRunStatus,
} from '../../src/index.ts';
import { newRun, type OpenDatabase } from '../helpers/fixtures.ts';

export function checkpointsSuite(open: OpenDatabase): void {
  describe('checkpoints and queued runs', () => {
    it('stores bytea state as given, keeps the newest two, and never overwrites a stored step', async () => {
      const { db } = open();
      const run = await insertRun(db, newRun());
      const state = (step: number) => Uint8Array.from([step, 0, 255, 128, 7]);
      for (const step of [100, 200, 300]) {
        await saveCheckpoint(db, { runId: run.id, step, state: state(step), workerId: 'w1' });
      }
      // A second worker reaching step 300 again: the stored state stays.
      await saveCheckpoint(db, { runId: run.id, step: 300, state: Uint8Array.of(9), workerId: 'w2' });
      expect((await listCheckpoints(db, run.id)).map((c) => [c.step, c.bytes, c.workerId])).toEqual([
        [300, 5, 'w1'],
        [200, 5, 'w1'],
      ]);
      const latest = await latestCheckpoint(db, run.id);
      expect(latest?.step).toBe(300);
      expect([...(latest?.state ?? [])]).toEqual([...state(300)]);
      expect(await latestCheckpoint(db, 'not-a-uuid')).toBeUndefined();
    });

    it('keeps a log-spaced history plus the newest two, and finds the checkpoint at or before a step', async () => {
      const { db } = open();
      const run = await insertRun(db, newRun());
      const steps = Array.from({ length: 40 }, (_, i) => (i + 1) * 500);
      for (const step of steps)
        await saveCheckpointWithHistory(db, { runId: run.id, step, state: Uint8Array.of(1), workerId: 'w' });
      const stored = (await listCheckpoints(db, run.id)).map((c) => c.step).reverse();
      expect(stored).toEqual([...checkpointStepsKept(steps)].sort((a, b) => a - b));
      // 500..20000 spans 5.3 octaves: the earliest of each half-octave (11 or 12) and the newest two.
      expect(stored.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(20_000 / 500)) + 2);
      expect(stored.slice(0, 3)).toEqual([500, 1000, 1500]);
      expect(stored.slice(-2)).toEqual([19_500, 20_000]);
      expect((await checkpointAtOrBefore(db, run.id, 20_000))?.step).toBe(20_000);
      expect((await checkpointAtOrBefore(db, run.id, 1499))?.step).toBe(1000);
      expect(await checkpointAtOrBefore(db, run.id, 499)).toBeUndefined();
    });

    it('lets a worker claim, heartbeat and hand back a queued run, which instance recovery leaves alone', async () => {
      const { db } = open();
      const run = await insertRun(db, newRun({ status: 'QUEUED', queueJobId: 'job-1' }));
      const claimed = await claimQueuedRun(db, run.id, 'worker-a');
      expect(claimed?.status).toBe('RUNNING');
      expect(claimed?.instanceId).toBe('worker-a');
      expect(await heartbeatQueuedRun(db, run.id, 'worker-a')).toBe('RUNNING');
      expect(await heartbeatQueuedRun(db, run.id, 'worker-b')).toBeUndefined();
      // Even with a stale heartbeat, the instances' sweep does not interrupt a run the queue holds.
      expect(await markInterrupted(db, { instanceId: 'x', staleAfterMs: 0, ownRuns: 'keep' })).not.toContain(
        run.id,
      );
      expect((await requeueRun(db, run.id, 'worker-a'))?.status).toBe('QUEUED');
      // A dead worker's run is taken over by the next one.
      expect((await claimQueuedRun(db, run.id, 'worker-b'))?.instanceId).toBe('worker-b');
      await setRunStatus(db, run.id, 'STOPPED');
      expect(await heartbeatQueuedRun(db, run.id, 'worker-b')).toBe('STOPPED');
      expect(await claimQueuedRun(db, run.id, 'worker-c')).toBeUndefined();
    });
  });
}
