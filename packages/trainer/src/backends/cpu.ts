import * as tf from '@tensorflow/tfjs-core';
import { patchCpuKernels } from './cpu-kernels.ts';
import type { BackendProvider } from './provider.ts';

/** The plain-JavaScript reference backend: slow, exact, always there (tests run on it). */
export const cpuBackend: BackendProvider = {
  name: 'cpu',
  installHint: '@tensorflow/tfjs-backend-cpu is a dependency of @grokscope/trainer; run `pnpm install`.',
  async register() {
    await import('@tensorflow/tfjs-backend-cpu');
    patchCpuKernels();
  },
  afterInitialise() {
    // The cpu backend prints a "install tfjs-node" banner on its first write in Node; we chose cpu on purpose.
    const backend = tf.findBackend('cpu') as { firstUse?: boolean } | null;
    if (backend && 'firstUse' in backend) backend.firstUse = false;
  },
  async describe() {
    return 'cpu (plain JavaScript reference backend)';
  },
};
