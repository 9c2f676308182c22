import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError } from './provider.ts';
import { BACKEND_PROVIDERS, selectBackend } from './select.ts';

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

  it('either runs webgpu or says what to install, without hanging', async () => {
    try {
      const info = await selectBackend('webgpu');
      expect(info.detail).toMatch(/^webgpu \(/);
      expect(tf.getBackend()).toBe('webgpu');
    } catch (error) {
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect((error as Error).message).toMatch(/webgpu/);
      expect((error as Error).message).toMatch(/Vulkan|mesa-vulkan-drivers/);
    }
  }, 45_000);

  it('explains how to get the tensorflow backend when tfjs-node is not installed', async () => {
    try {
      await selectBackend('tensorflow');
      expect(tf.getBackend()).toBe('tensorflow');
    } catch (error) {
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect((error as BackendUnavailableError).backend).toBe('tensorflow');
      expect((error as Error).message).toMatch(/@tensorflow\/tfjs-node/);
      expect((error as Error).message).toMatch(/does not depend on it/);
    }
  });

  it('has a provider for every backend name', () => {
    for (const [name, provider] of Object.entries(BACKEND_PROVIDERS)) expect(provider.name).toBe(name);
  });
});
