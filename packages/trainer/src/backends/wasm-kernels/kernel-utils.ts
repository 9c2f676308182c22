import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  type TensorInfo,
  unregisterKernel,
} from '@tensorflow/tfjs-core';

export const BACKEND = 'wasm';

export type KernelArgs = Parameters<KernelFunc>[0];

/** The kernel tfjs-backend-wasm registered under `name` (to wrap or to call). */
export function stockKernel(name: string): KernelConfig {
  const config = getKernel(name, BACKEND);
  if (!config) throw new Error(`tfjs-backend-wasm has no ${name} kernel to patch`);
  return config;
}

export function replaceKernel(config: KernelConfig): void {
  if (getKernel(config.kernelName, BACKEND)) unregisterKernel(config.kernelName, BACKEND);
  registerKernel(config);
}

export function asWasm(args: KernelArgs): BackendWasm {
  return args.backend as unknown as BackendWasm;
}

export function single(result: TensorInfo | TensorInfo[]): TensorInfo {
  if (Array.isArray(result)) throw new Error('expected a single output');
  return result;
}
