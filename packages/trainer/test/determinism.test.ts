import { expect, it } from 'vitest';
import { describeEachBackend } from './helpers/backends.ts';
import { collect, smallRun, withoutTimes } from './helpers/runs.ts';

describeEachBackend('determinism', (backend) => {
  it('gives identical reports for the same config, seed and backend', async () => {
    const config = smallRun(backend);
    const first = await collect(config);
    const second = await collect(config);
    expect(first).toHaveLength(31);
    expect(withoutTimes(second)).toEqual(withoutTimes(first));
  });

  it('gives different numbers for another seed', async () => {
    const [a] = await collect(smallRun(backend, { steps: 1 }));
    const [b] = await collect(smallRun(backend, { steps: 1, seed: 2 }));
    expect(b!.scalars).not.toEqual(a!.scalars);
  });
});
