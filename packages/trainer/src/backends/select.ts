import * as tf from '@tensorflow/tfjs-core';
import type { TfjsBackendName } from '../config.ts';
import { cpuBackend } from './cpu.ts';
import {
  type BackendInfo,
  type BackendProvider,
  BackendUnavailableError,
  describeError,
} from './provider.ts';
import { tensorflowBackend } from './tensorflow.ts';
import { wasmBackend } from './wasm.ts';
import { webgpuBackend } from './webgpu.ts';
import { withTimeout } from './with-timeout.ts';

/** Every backend the trainer knows, by name. */
export const BACKEND_PROVIDERS: Readonly<Record<TfjsBackendName, BackendProvider>> = {
  wasm: wasmBackend,
  cpu: cpuBackend,
  webgpu: webgpuBackend,
  tensorflow: tensorflowBackend,
};

const INIT_TIMEOUT_MS = 30_000;

/**
 * Makes `name` the active tfjs backend: imports and registers it, checks the boolean `tf.setBackend` returns, waits
 * for `tf.ready()`, and says which backend runs. Throws BackendUnavailableError (with install advice) otherwise.
 * tfjs has one active backend per process: run one training per process (the server uses a child process per run).
 */
export async function selectBackend(name: TfjsBackendName): Promise<BackendInfo> {
  const provider = BACKEND_PROVIDERS[name];
  if (!provider) throw new BackendUnavailableError(name, `unknown backend '${name}'`);
  try {
    await provider.register();
    const init = () =>
      withTimeout(
        tf.setBackend(name),
        INIT_TIMEOUT_MS,
        () =>
          new BackendUnavailableError(
            name,
            `the ${name} backend did not initialise within ${INIT_TIMEOUT_MS / 1000} s`,
          ),
      );
    const ok = provider.initialise ? await provider.initialise(init) : await init();
    if (!ok)
      throw new BackendUnavailableError(
        name,
        `the ${name} backend failed to initialise; ${provider.installHint}`,
      );
    await tf.ready();
    provider.afterInitialise?.();
    return { name, detail: await provider.describe() };
  } catch (error) {
    if (error instanceof BackendUnavailableError) throw error;
    throw new BackendUnavailableError(
      name,
      `the ${name} backend is unavailable: ${describeError(error)}; ${provider.installHint}`,
      {
        cause: error,
      },
    );
  }
}
