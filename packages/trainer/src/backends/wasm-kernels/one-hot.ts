import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, single, stockKernel } from './kernel-utils.ts';

// The stock OneHot writes int32 bits whatever the requested dtype: a float32 one-hot reads as denormals (1e-45).

/**
 * OneHot as 0/1 int32 (what the C++ kernel writes correctly), cast to the requested dtype, then mapped to
 * off + (on − off)·x when the on/off values are not 1/0.
 */
export function castingOneHot(stock: KernelConfig): KernelConfig {
  const castKernel = stockKernel('Cast').kernelFunc;
  const mulKernel = stockKernel('Multiply').kernelFunc;
  const addKernel = stockKernel('Add').kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const attrs = args.attrs ?? {};
    const { dtype, onValue, offValue } = attrs as { dtype?: string; onValue?: number; offValue?: number };
    if (dtype === undefined || dtype === 'int32') return stock.kernelFunc(args);
    const backend = asWasm(args);
    const temporaries: TensorInfo[] = [];
    const keep = (t: TensorInfo): TensorInfo => {
      temporaries.push(t);
      return t;
    };
    try {
      const bits = keep(
        single(stock.kernelFunc({ ...args, attrs: { ...attrs, dtype: 'int32', onValue: 1, offValue: 0 } })),
      );
      const x = single(castKernel({ inputs: { x: bits }, backend: args.backend, attrs: { dtype } }));
      const on = onValue ?? 1;
      const off = offValue ?? 0;
      if (on === 1 && off === 0) return x;
      keep(x);
      const scalar = (v: number) => keep(backend.makeOutput([], 'float32', undefined, Float32Array.of(v)));
      const scaled = keep(
        single(mulKernel({ inputs: { a: x, b: scalar(on - off) }, backend: args.backend })),
      );
      return addKernel({ inputs: { a: scaled, b: scalar(off) }, backend: args.backend });
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
  return { ...stock, kernelFunc };
}
