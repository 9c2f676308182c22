import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
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

  it('frees everything when the consumer breaks out early', async () => {
    const start = counts();
    for await (const report of train(smallRun(backend))) if (report.step === 3) break;
    expect(counts()).toEqual(start);
  });
});
