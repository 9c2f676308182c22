import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type OrtModule = typeof import('onnxruntime-node');
/** The runtime's execution providers the trainer offers (backends native, native_webgpu, native_cuda). */
export type ExecutionProvider = 'cpu' | 'webgpu' | 'cuda';

const PACKAGE = 'onnxruntime-node';

/** Platforms whose binaries onnxruntime-node 1.31 ships (bin/napi-v6/<platform>/<arch>). */
export const NATIVE_PLATFORMS = [
  'linux/x64',
  'linux/arm64',
  'darwin/arm64',
  'win32/x64',
  'win32/arm64',
] as const;

/** Thrown when the native runtime or one of its execution providers cannot run here; the message says why. */
export class NativeUnavailableError extends Error {
  constructor(
    message: string,
    readonly reason: 'platform' | 'load' | 'provider',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NativeUnavailableError';
  }
}

let loaded: OrtModule | undefined;

function packageDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`));
}

function binaryDir(): string {
  return path.join(packageDir(), 'bin', 'napi-v6', process.platform, process.arch);
}

/** This process's `platform/arch`, as NATIVE_PLATFORMS spells them. */
export const currentPlatform = (): string => `${process.platform}/${process.arch}`;

/**
 * Loads onnxruntime-node once; throws NativeUnavailableError naming the platform when it has no binary for it.
 * `platform` is this process's unless a test asks about another.
 */
export async function loadOrt(platform = currentPlatform()): Promise<OrtModule> {
  if (!(NATIVE_PLATFORMS as readonly string[]).includes(platform))
    throw new NativeUnavailableError(
      `the native backend (onnxruntime-node) has no binary for ${platform}; use --backend wasm`,
      'platform',
    );
  if (loaded) return loaded;
  try {
    loaded = (await import('onnxruntime-node')) as OrtModule;
    return loaded;
  } catch (error) {
    throw new NativeUnavailableError(
      `the native backend cannot load ${PACKAGE} on ${platform}: ${error instanceof Error ? error.message : String(error)}; run \`pnpm install\` (use --backend wasm meanwhile)`,
      'load',
      { cause: error },
    );
  }
}

/**
 * Checks that `provider` can be asked for, with what to install when not. The CPU and WebGPU providers ship in the
 * npm package; the CUDA provider does not (the package's install script would fetch it from outside the registry,
 * which this project never runs), so it must be placed next to the binding by the user.
 */
export function checkProvider(ort: OrtModule, provider: ExecutionProvider): void {
  if (provider === 'cpu') return;
  const supported = ort.listSupportedBackends().find((b) => b.name === provider);
  if (!supported)
    throw new NativeUnavailableError(
      `onnxruntime-node on ${process.platform}/${process.arch} has no ${provider} execution provider; use --backend native (CPU)`,
      'provider',
    );
  if (provider === 'cuda') {
    const library =
      process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    if (!existsSync(path.join(binaryDir(), library)))
      throw new NativeUnavailableError(
        `the CUDA execution provider is not installed: ${library} is missing from ${binaryDir()}. Install CUDA 12 and cuDNN 9, then run \`node ${path.join(packageDir(), 'script', 'install')} --onnxruntime-node-install=cuda12\` once with network access (it downloads the provider from NuGet), or use --backend native_webgpu`,
        'provider',
      );
  }
}

/** Intra-op threads of the CPU provider: GROKSCOPE_NATIVE_THREADS, default 1 (a sweep runs one process per core). */
export const NATIVE_THREADS_ENV = 'GROKSCOPE_NATIVE_THREADS';
export function nativeThreadsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[NATIVE_THREADS_ENV];
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new NativeUnavailableError(`${NATIVE_THREADS_ENV} must be an integer 1..256, not '${raw}'`, 'load');
  return n;
}
