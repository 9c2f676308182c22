import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, single, stockKernel } from './kernel-utils.ts';

/**
 * BatchMatMul / _FusedMatMul with transposeA or transposeB run ~10–15× slower than without (XNNPACK is only used
 * for the plain layout), and every matMul gradient asks for a transposed product.
 */
/** Wraps a matmul kernel so that transposed operands are materialised and the kernel runs in plain layout. */
export function plainLayoutMatMul(stock: KernelConfig): KernelConfig {
  const transposeKernel = stockKernel('Transpose').kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const attrs = args.attrs ?? {};
    if (!attrs.transposeA && !attrs.transposeB) return stock.kernelFunc(args);
    const backend = asWasm(args);
    const temporaries: TensorInfo[] = [];
    const materialise = (x: TensorInfo): TensorInfo => {
      const rank = x.shape.length;
      const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
      const out = single(transposeKernel({ inputs: { x }, backend: args.backend, attrs: { perm } }));
      temporaries.push(out);
      return out;
    };
    const { a, b } = args.inputs;
    if (!a || !b) throw new Error('matMul kernel called without both operands');
    const inputs = {
      ...args.inputs,
      a: attrs.transposeA ? materialise(a) : a,
      b: attrs.transposeB ? materialise(b) : b,
    };
    try {
      return stock.kernelFunc({ ...args, inputs, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
  return { ...stock, kernelFunc };
}
