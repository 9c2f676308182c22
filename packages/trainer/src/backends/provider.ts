import type { BackendName, TfjsBackendName } from '../config.ts';

/** Thrown when a requested backend cannot run here; the message says what is missing and how to get it. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BackendUnavailableError';
  }
}

/** Which backend runs, in words a person can read (e.g. `wasm (SIMD, 1 thread)`). */
export interface BackendInfo {
  name: BackendName;
  detail: string;
}

/**
 * One TensorFlow.js backend as the trainer uses it. Quirks of a backend (loading, kernel fixes) live in its provider
 * file, never in models or the loop.
 */
export interface BackendProvider {
  readonly name: TfjsBackendName;
  /** How to make this backend available, appended to every failure message. */
  readonly installHint: string;
  /** Imports the backend package and registers it with tfjs. Throws BackendUnavailableError when it is missing. */
  register(): Promise<void>;
  /** Wraps the `tf.setBackend` call, for backends that need set-up around initialisation. */
  initialise?(init: () => Promise<boolean>): Promise<boolean>;
  /** Runs once the backend is active (kernel fixes, silencing notices). */
  afterInitialise?(): void;
  /** Describes the active backend. */
  describe(): Promise<string>;
}

/** A message for an unknown thrown value. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
