import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError } from './provider.ts';
import { BACKEND_PROVIDERS, selectBackend } from './select.ts';

const require = createRequire(import.meta.url);
function installed(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}
const vulkanDriver = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'].some(
  (dir) => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.json')),
);
const WEBGPU_EXPECTED = installed('webgpu') && vulkanDriver;
const TFJS_NODE_INSTALLED = installed('@tensorflow/tfjs-node');

describe('selectBackend', () => {
  it('activates cpu and wasm and says which runs', async () => {
    expect(await selectBackend('cpu')).toEqual({ name: 'cpu', detail: expect.stringContaining('cpu') });
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await selectBackend('wasm');
    expect(wasm.detail).toMatch(/^wasm \((no )?SIMD, 1 thread\)$/);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('leaves no process-wide error handlers behind after loading wasm', async () => {
    const before =
      process.listeners('uncaughtException').length + process.listeners('unhandledRejection').length;
    await selectBackend('wasm');
    const after =
      process.listeners('uncaughtException').length + process.listeners('unhandledRejection').length;
    expect(after).toBe(before);
  });

  // Expected outcomes come from the machine, not from the call under test: the `webgpu` package (Dawn) and a Vulkan
  // driver (an ICD file, as scripts/test.mjs checks) mean webgpu must run; without either it must say what to install.
  it(`${WEBGPU_EXPECTED ? 'runs webgpu (Dawn and a Vulkan driver are here)' : 'says what to install for webgpu (no Dawn or Vulkan driver here)'}, without hanging`, async () => {
    const selection = selectBackend('webgpu');
    if (WEBGPU_EXPECTED) {
      expect((await selection).detail).toMatch(/^webgpu \(/);
      expect(tf.getBackend()).toBe('webgpu');
      return;
    }
    const error = await selection.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).message).toMatch(/webgpu/);
    expect((error as Error).message).toMatch(/Vulkan|mesa-vulkan-drivers/);
  }, 45_000);

  it(`${TFJS_NODE_INSTALLED ? 'runs tensorflow (tfjs-node is installed)' : 'explains how to get the tensorflow backend (tfjs-node is not installed)'}`, async () => {
    const selection = selectBackend('tensorflow');
    if (TFJS_NODE_INSTALLED) {
      await selection;
      expect(tf.getBackend()).toBe('tensorflow');
      return;
    }
    const error = await selection.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as BackendUnavailableError).backend).toBe('tensorflow');
    expect((error as Error).message).toMatch(/@tensorflow\/tfjs-node/);
    expect((error as Error).message).toMatch(/does not depend on it/);
  });

  it('has a provider for every backend name', () => {
    for (const [name, provider] of Object.entries(BACKEND_PROVIDERS)) expect(provider.name).toBe(name);
  });
});
