import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { CADENCE_SETTINGS, MEASURES } from '../src/measures/index.ts';
import { train } from '../src/train.ts';
import { describeEachBackend } from './helpers/backends.ts';
import { smallRun } from './helpers/runs.ts';

/** Engine tensors and the backend's own buffers (kernel temporaries that are not tensors show only there). */
function counts(): [number, number] {
  return [tf.memory().numTensors, tf.backend().numDataIds()];
}

describeEachBackend('tensor lifetime', (backend) => {
  it('keeps tensors and buffers flat across steps and restores them after the run', async () => {
    const start = counts();
    const during: string[] = [];
    for await (const _report of train(smallRun(backend, { steps: 25 }))) during.push(counts().join('/'));
    expect(new Set(during).size).toBe(1);
    expect(counts()).toEqual(start);
  });

  it('stays flat when every measure is due at every other step', async () => {
    const cadence = Object.fromEntries(CADENCE_SETTINGS.map((s) => [s.key, 2]));
    const start = counts();
    const during: string[] = [];
    let measured = 0;
    for await (const report of train(smallRun(backend, { steps: 12, cadence }))) {
      during.push(counts().join('/'));
      measured = Math.max(measured, Object.keys(report.vectors).length + Object.keys(report.scalars).length);
    }
    expect(measured).toBe(4 + MEASURES.length); // the losses and every registry measure
    expect(new Set(during).size).toBe(1);
    expect(counts()).toEqual(start);
  });

  it('frees everything when the consumer breaks out early', async () => {
    const start = counts();
    for await (const report of train(smallRun(backend))) if (report.step === 3) break;
    expect(counts()).toEqual(start);
  });
});
