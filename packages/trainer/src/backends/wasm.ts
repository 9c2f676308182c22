import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendProvider, BackendUnavailableError, describeError } from './provider.ts';
import { patchWasmKernels } from './wasm-kernels/index.ts';

const PACKAGE = '@tensorflow/tfjs-backend-wasm';
type WasmModule = typeof import('@tensorflow/tfjs-backend-wasm');
let wasmModule: WasmModule | undefined;

/**
 * WebAssembly (XNNPACK) backend, single-threaded: its threads are started from blob-URL workers, which Node cannot
 * run. In Node the .wasm binaries are read from the package's dist folder on disk.
 */
export const wasmBackend: BackendProvider = {
  name: 'wasm',
  installHint: `${PACKAGE} is a dependency of @grokscope/trainer; run \`pnpm install\`.`,
  async register() {
    if (wasmModule) return;
    let loaded: WasmModule;
    try {
      loaded = await import(PACKAGE);
    } catch (error) {
      throw new BackendUnavailableError('wasm', `cannot load ${PACKAGE}: ${describeError(error)}`, {
        cause: error,
      });
    }
    const main = createRequire(import.meta.url).resolve(PACKAGE);
    loaded.setWasmPaths(`${path.dirname(main)}${path.sep}`);
    loaded.setThreadsCount(1);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
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
      return await init();
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
    const threads = wasmModule?.getThreadsCount() ?? 1;
    return `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})`;
  },
};
