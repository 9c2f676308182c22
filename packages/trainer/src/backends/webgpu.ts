import { type BackendProvider, BackendUnavailableError, describeError } from './provider.ts';
import { withTimeout } from './with-timeout.ts';

const ADAPTER_TIMEOUT_MS = 20_000;

const HINT =
  'WebGPU in Node needs the `webgpu` npm package (Dawn; an optional dependency of @grokscope/trainer: ' +
  '`pnpm add webgpu --filter @grokscope/trainer`) and a Vulkan driver: a GPU vendor driver, or Mesa lavapipe on ' +
  'CPU-only Linux (Debian 12: `apt-get install libvulkan1 && apt-get install -t bookworm-backports mesa-vulkan-drivers`).';

/** Minimal slice of the WebGPU types we touch, so the trainer does not need DOM typings. */
interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}
interface Adapter {
  info?: AdapterInfo;
}
interface Gpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<Adapter | null>;
}

let adapterInfo: AdapterInfo | undefined;
let registered = false;

function installNavigatorGpu(gpu: Gpu): void {
  const host = globalThis as { navigator?: object };
  if (host.navigator) Object.defineProperty(host.navigator, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
}

/**
 * WebGPU through Dawn (the `webgpu` package): real GPUs, or lavapipe on CPU-only Linux. We request an adapter
 * ourselves first so that a machine without a Vulkan driver gets a clear error instead of tfjs's generic warning,
 * and with a timeout so that it never hangs.
 */
export const webgpuBackend: BackendProvider = {
  name: 'webgpu',
  installHint: HINT,
  async register() {
    if (registered) return;
    let dawn: typeof import('webgpu');
    try {
      dawn = await import('webgpu');
    } catch (error) {
      throw new BackendUnavailableError(
        'webgpu',
        `cannot load the \`webgpu\` package (${describeError(error)}); ${HINT}`,
        {
          cause: error,
        },
      );
    }
    Object.assign(globalThis, dawn.globals);
    const gpu = dawn.create([]) as unknown as Gpu;
    const adapter = await withTimeout(
      gpu.requestAdapter({ powerPreference: 'high-performance' }),
      ADAPTER_TIMEOUT_MS,
      () =>
        new BackendUnavailableError(
          'webgpu',
          `no WebGPU adapter answered within ${ADAPTER_TIMEOUT_MS / 1000} s; ${HINT}`,
        ),
    );
    if (!adapter) {
      throw new BackendUnavailableError(
        'webgpu',
        `Dawn found no WebGPU adapter (no usable Vulkan driver); ${HINT}`,
      );
    }
    adapterInfo = adapter.info;
    installNavigatorGpu(gpu);
    // tfjs-backend-webgpu registers itself on import only if navigator.gpu exists, hence the order.
    await import('@tensorflow/tfjs-backend-webgpu');
    registered = true;
  },
  async describe() {
    const info = adapterInfo ?? {};
    const parts = [info.vendor, info.architecture, info.device, info.description].filter(
      (s) => s && s.length > 0,
    );
    return `webgpu (${parts.length > 0 ? parts.join(', ') : 'adapter details not reported'})`;
  },
};
