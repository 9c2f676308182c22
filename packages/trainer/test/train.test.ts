import { expect, it } from 'vitest';
import { RunConfigError } from '../src/config.ts';
import { train } from '../src/train.ts';
import { describeEachBackend } from './helpers/backends.ts';
import { collect, smallRun } from './helpers/runs.ts';

describeEachBackend('train', (backend) => {
  it('reports steps 0..steps, scalars every step, vectors at their cadence and at the end', async () => {
    const reports = await collect(smallRun(backend, { steps: 12, cadence: { embed_fourier_norms: 5 } }));
    expect(reports.map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const everyStep = ['test_acc', 'test_loss', 'train_acc', 'train_loss', 'weight_norm'];
    for (const r of reports) {
      expect(
        Object.keys(r.scalars)
          .filter((id) => everyStep.includes(id))
          .sort(),
      ).toEqual(everyStep);
      expect(r.elapsedMs).toBeGreaterThanOrEqual(0);
    }
    const withVectors = reports.filter((r) => 'embed_fourier_norms' in r.vectors).map((r) => r.step);
    expect(withVectors).toEqual([0, 5, 10, 12]);
    // p = 23 has K = 11 frequencies.
    expect(reports[0]!.vectors.embed_fourier_norms).toHaveLength(11);
  });

  it('reports at step t the parameters after t updates (the final step is evaluation only)', async () => {
    // A one-step run evaluates θ_0 at step 0 and θ_1 at step 1; a two-step run's step 1 is the same θ_1.
    const one = await collect(smallRun(backend, { steps: 1 }));
    const two = await collect(smallRun(backend, { steps: 2 }));
    // The final report adds every measure; the step-1 report of the longer run carries those due at step 1.
    for (const id of Object.keys(two[1]!.scalars)) expect(one[1]!.scalars[id]).toEqual(two[1]!.scalars[id]);
    expect(one[1]!.scalars.train_loss).not.toBe(one[0]!.scalars.train_loss);
  });

  it('says which backend runs before the first step', async () => {
    const events: string[] = [];
    for await (const r of train(smallRun(backend, { steps: 1 }), {
      onBackend: (info) => events.push(`backend ${info.name}`),
    })) {
      events.push(`step ${r.step}`);
    }
    expect(events).toEqual([`backend ${backend}`, 'step 0', 'step 1']);
  });

  it('ends quietly after the current step when the signal aborts', async () => {
    const controller = new AbortController();
    const steps: number[] = [];
    for await (const r of train(smallRun(backend, { steps: 50 }), { signal: controller.signal })) {
      steps.push(r.step);
      if (r.step === 4) controller.abort();
    }
    expect(steps).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses an invalid config, naming the field', async () => {
    await expect(collect({ ...smallRun(backend), p: 58 })).rejects.toThrow(RunConfigError);
    await expect(collect({ ...smallRun(backend), p: 58 })).rejects.toThrow(/^p: must be a prime number$/);
  });
});
