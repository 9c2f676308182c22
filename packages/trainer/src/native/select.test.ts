import { describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../backends/provider.ts';
import { selectNativeBackend } from './select.ts';

describe('selectNativeBackend', () => {
  it('runs native here (Linux x64 has a binary) and names the runtime, provider and threads', async () => {
    const selection = await selectNativeBackend('native', true);
    expect(selection.kind).toBe('native');
    expect(selection.info.detail).toMatch(
      /^native: onnxruntime-node 1\.31\.\d+, cpu execution provider, 1 thread; measures on wasm/,
    );
  });

  it('falls back to wasm in one line where the runtime has no binary, when native was the default', async () => {
    const selection = await selectNativeBackend('native', false, 'darwin/x64');
    expect(selection.kind).toBe('fallback');
    expect(selection.info.name).toBe('wasm');
    expect(selection.info.detail).toMatch(
      /^wasm \(.*\) \(native backend unavailable: .*no binary for darwin\/x64/,
    );
    expect(selection.info.detail).not.toContain('\n');
  });

  it('fails naming the platform when native was asked for explicitly', async () => {
    const selection = selectNativeBackend('native', true, 'darwin/x64');
    await expect(selection).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(selection).rejects.toThrow(/no binary for darwin\/x64; use --backend wasm/);
  });

  it('fails with what to install when the CUDA provider is missing (never downloaded by the install)', async () => {
    await expect(selectNativeBackend('native_cuda', false)).rejects.toThrow(
      /libonnxruntime_providers_cuda\.so is missing .*--onnxruntime-node-install=cuda12/,
    );
  });
});
