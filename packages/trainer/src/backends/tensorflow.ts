import * as tf from '@tensorflow/tfjs-core';
import { type BackendProvider, BackendUnavailableError, describeError } from './provider.ts';

/** Tried in order: the CUDA build first, then the CPU build. */
const PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
let loaded: string | undefined;

const HINT =
  'install @tensorflow/tfjs-node (CPU) or @tensorflow/tfjs-node-gpu (CUDA) yourself, at the same version as ' +
  '@tensorflow/tfjs-core (4.22.0), e.g. `pnpm add @tensorflow/tfjs-node@4.22.0 --filter @grokscope/trainer`; ' +
  'grokscope does not depend on it (it downloads libtensorflow at install time).';

/**
 * Native TensorFlow through tfjs-node, only when the user installed it. tfjs-node brings its own tfjs-core; the
 * backend registry lives on a process global, so a copy at the same version registers where ours looks. A
 * mismatched copy is reported rather than half-working.
 */
export const tensorflowBackend: BackendProvider = {
  name: 'tensorflow',
  installHint: HINT,
  async register() {
    if (loaded) return;
    const failures: string[] = [];
    for (const name of PACKAGES) {
      try {
        // A variable specifier keeps bundlers and tsc from requiring the optional package to exist.
        const specifier: string = name;
        await import(specifier);
        loaded = name;
        break;
      } catch (error) {
        failures.push(`${name}: ${describeError(error).split('\n')[0]}`);
      }
    }
    if (!loaded) {
      throw new BackendUnavailableError(
        'tensorflow',
        `the tensorflow backend is not installed (${failures.join('; ')}); ${HINT}`,
      );
    }
    if (!tf.findBackendFactory('tensorflow')) {
      throw new BackendUnavailableError(
        'tensorflow',
        `${loaded} loaded but registered no 'tensorflow' backend with this @tensorflow/tfjs-core ${tf.version_core}` +
          ` (version mismatch?); ${HINT}`,
      );
    }
  },
  async describe() {
    return `tensorflow (${loaded ?? 'tfjs-node'}, native TensorFlow)`;
  },
};
