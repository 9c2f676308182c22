import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { asWasm } from './kernel-utils.ts';

/**
 * The stock Identity copies the buffer. Tensors are immutable (a variable's assign swaps buffers, it never writes in
 * place), so like the cpu backend we share it and count a reference. tfjs clones every tensor it saves for a
 * gradient, so this saves several full-size copies per training step.
 */
/** Identity as a shared, reference-counted buffer (what the cpu backend does). */
export function sharedIdentity(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs;
    if (!x) throw new Error('Identity called without x');
    asWasm(args).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  return { ...stock, kernelFunc };
}
