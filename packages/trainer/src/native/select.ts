import { type BackendInfo, BackendUnavailableError } from '../backends/provider.ts';
import { selectBackend } from '../backends/select.ts';
import type { NativeBackendName } from '../config.ts';
import {
  checkProvider,
  currentPlatform,
  type ExecutionProvider,
  loadOrt,
  NativeUnavailableError,
  nativeThreadsFromEnv,
} from './runtime.ts';

export const EXECUTION_PROVIDERS: Readonly<Record<NativeBackendName, ExecutionProvider>> = {
  native: 'cpu',
  native_webgpu: 'webgpu',
  native_cuda: 'cuda',
};

/** What a native run trains on: the runtime and provider, or the wasm fallback. */
export type NativeSelection =
  | { kind: 'native'; provider: ExecutionProvider; info: BackendInfo }
  | { kind: 'fallback'; info: BackendInfo };

/**
 * Loads onnxruntime-node for `name` and selects the tfjs wasm backend alongside (the measures other than the
 * weight norm run on a tfjs copy of the model). When the runtime cannot load here, `native` asked for by default
 * (`strict` false) falls back to wasm and says so in `info.detail`, one line; asked for explicitly, or a GPU
 * provider that is missing, it throws BackendUnavailableError naming the platform or what to install.
 */
export async function selectNativeBackend(
  name: NativeBackendName,
  strict: boolean,
  platform = currentPlatform(),
): Promise<NativeSelection> {
  const provider = EXECUTION_PROVIDERS[name];
  let version: string;
  try {
    const ort = await loadOrt(platform);
    checkProvider(ort, provider);
    nativeThreadsFromEnv();
    version = ort.env.versions.node ?? 'unknown';
  } catch (error) {
    if (!(error instanceof NativeUnavailableError)) throw error;
    if (name === 'native' && !strict && error.reason !== 'provider') {
      const wasm = await selectBackend('wasm');
      return {
        kind: 'fallback',
        info: { name: 'wasm', detail: `${wasm.detail} (native backend unavailable: ${error.message})` },
      };
    }
    throw new BackendUnavailableError(name, error.message, { cause: error });
  }
  const wasm = await selectBackend('wasm');
  const threads =
    provider === 'cpu' ? `, ${nativeThreadsFromEnv()} thread${nativeThreadsFromEnv() > 1 ? 's' : ''}` : '';
  return {
    kind: 'native',
    provider,
    info: {
      name,
      detail: `native: onnxruntime-node ${version}, ${provider} execution provider${threads}; measures on ${wasm.detail}`,
    },
  };
}
