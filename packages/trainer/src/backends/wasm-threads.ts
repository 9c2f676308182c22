import os from 'node:os';
import { fileURLToPath } from 'node:url';

/** Environment variable that asks for XNNPACK threads on the wasm backend (default 1: one run per core). */
export const WASM_THREADS_ENV = 'GROKSCOPE_WASM_THREADS';

/** The thread count asked for in the environment: 1 when unset; a clear error naming the variable otherwise. */
export function wasmThreadsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[WASM_THREADS_ENV];
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new Error(`${WASM_THREADS_ENV}: expected an integer from 1 to 64, got '${raw}'`);
  }
  return n;
}

const WORKER = fileURLToPath(new URL('./wasm-thread-worker.cjs', import.meta.url));

/**
 * Runs `init` (tfjs-backend-wasm's initialisation of its threaded build) with the two things Node lacks put right,
 * and undoes them afterwards:
 *
 * - tfjs hands Emscripten a blob: URL for the pthread worker script, which Node's worker_threads cannot start; the
 *   only blob it makes of type application/javascript is that script, so URL.createObjectURL answers with the path
 *   of wasm-thread-worker.cjs instead (which runs the stock worker code; see there).
 * - tfjs sizes XNNPACK's pool as at most half the logical cores (it assumes two hyper-threads per core), so on a
 *   2-core machine any request becomes 1 thread. os.cpus(), which Emscripten reads for the core count, reports at
 *   least two per requested thread while init runs.
 */
export async function withNodeThreadSupport<T>(threads: number, init: () => Promise<T>): Promise<T> {
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  URL.createObjectURL = (blob: Blob) =>
    blob.type === 'application/javascript' ? WORKER : createObjectURL.call(URL, blob);
  os.cpus = () => {
    const real = cpus.call(os);
    const wanted = Math.max(real.length, 2 * threads);
    return Array.from({ length: wanted }, (_, i) => real[i % real.length]!);
  };
  try {
    return await init();
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
}

interface PThreads {
  unusedWorkers: { unref(): void }[];
  runningWorkers: { unref(): void }[];
}

/**
 * Lets the process exit while XNNPACK's pool threads wait for work: Emscripten's Node workers are ref'd, so a
 * finished run would otherwise hang until killed. The pool is created when the backend initialises, so every worker
 * exists by then.
 */
export function unrefThreadWorkers(backend: unknown): void {
  const pthreads = (backend as { wasm?: { PThread?: PThreads } } | undefined)?.wasm?.PThread;
  if (!pthreads) throw new Error('the threaded wasm backend exposes no PThread pool to release');
  for (const worker of [...pthreads.unusedWorkers, ...pthreads.runningWorkers]) worker.unref();
}
