import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendProvider, BackendUnavailableError, describeError } from './provider.ts';
import { patchWasmKernels } from './wasm-kernels/index.ts';
import {
  unrefThreadWorkers,
  WASM_THREADS_ENV,
  wasmThreadsFromEnv,
  withNodeThreadSupport,
} from './wasm-threads.ts';

const PACKAGE = '@tensorflow/tfjs-backend-wasm';
type WasmModule = typeof import('@tensorflow/tfjs-backend-wasm');
let wasmModule: WasmModule | undefined;

let threads = 1;

/**
 * WebAssembly (XNNPACK) backend. In Node the .wasm binaries are read from the package's dist folder on disk.
 *
 * Single-threaded by default: a sweep runs one process per core, and on a 2-core machine a threaded run competes with
 * the other (docs/performance.md has the numbers). `GROKSCOPE_WASM_THREADS=n` (n > 1) loads the threaded SIMD build
 * with an n-thread XNNPACK pool instead; tfjs disables threads in Node (its workers are blob: URLs), which
 * wasm-threads.ts works around. Threads split a matmul's output tiles, so results do not depend on the count.
 */
export const wasmBackend: BackendProvider = {
  name: 'wasm',
  installHint: `${PACKAGE} is a dependency of @grokscope/trainer; run \`pnpm install\`.`,
  async register() {
    if (wasmModule) return;
    let loaded: WasmModule;
    try {
      // A literal specifier, so a bundler (bench/gpu-proof.sh) bundles it with the one tfjs-core.
      loaded = await import('@tensorflow/tfjs-backend-wasm');
    } catch (error) {
      throw new BackendUnavailableError('wasm', `cannot load ${PACKAGE}: ${describeError(error)}`, {
        cause: error,
      });
    }
    const main = createRequire(import.meta.url).resolve(PACKAGE);
    loaded.setWasmPaths(`${path.dirname(main)}${path.sep}`);
    try {
      threads = wasmThreadsFromEnv();
    } catch (error) {
      throw new BackendUnavailableError('wasm', describeError(error), { cause: error });
    }
    loaded.setThreadsCount(threads);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
    patchWasmKernels();
    wasmModule = loaded;
  },
  async initialise(init) {
    // The Emscripten runtime installs process-wide 'uncaughtException'/'unhandledRejection' handlers that rethrow
    // (printing the whole minified runtime). They are not needed once the module is loaded: remove them so errors
    // in the host program surface normally.
    const exceptionListeners = new Set(process.listeners('uncaughtException'));
    const rejectionListeners = new Set(process.listeners('unhandledRejection'));
    try {
      if (threads === 1) return await init();
      const ok = await withNodeThreadSupport(threads, init);
      if (ok) unrefThreadWorkers(tf.findBackend('wasm'));
      return ok;
    } finally {
      for (const listener of process.listeners('uncaughtException')) {
        if (!exceptionListeners.has(listener)) process.removeListener('uncaughtException', listener);
      }
      for (const listener of process.listeners('unhandledRejection')) {
        if (!rejectionListeners.has(listener)) process.removeListener('unhandledRejection', listener);
      }
    }
  },
  async describe() {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const actual = wasmModule?.getThreadsCount() ?? 1;
    if (actual !== threads) {
      throw new BackendUnavailableError(
        'wasm',
        `${WASM_THREADS_ENV}=${threads} asked for ${threads} threads but the wasm backend started ${actual}`,
      );
    }
    return `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${actual} thread${actual === 1 ? '' : 's'})`;
  },
};
