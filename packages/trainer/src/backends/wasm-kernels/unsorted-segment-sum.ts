import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, TensorInfo, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs-core';
import { segmentSumRows } from '../segment-sum.ts';
import { asWasm, BACKEND, stockKernel } from './kernel-utils.ts';

// tfjs-backend-wasm has no UnsortedSegmentSum (the gradient of gather) at all.

/**
 * out[s, ...] = Σ_{i: ids[i] = s} x[i, ...]. The stock ScatterNd kernel does exactly this (it adds duplicates) in
 * C++, ~4× faster than a JavaScript loop; ids outside [0, numSegments), which TensorFlow drops and ScatterNd
 * would write out of bounds, take the JavaScript path instead.
 */
export function segmentSumViaScatter(): KernelConfig {
  const scatterKernel = stockKernel('ScatterNd').kernelFunc;
  return {
    kernelName: 'UnsortedSegmentSum',
    backendName: BACKEND,
    kernelFunc: (args) => {
      const { x, segmentIds } = args.inputs;
      const { numSegments } = (args.attrs ?? {}) as unknown as UnsortedSegmentSumAttrs;
      if (!x || !segmentIds) throw new Error('UnsortedSegmentSum called without x and segmentIds');
      if (x.dtype !== 'float32' && x.dtype !== 'int32') {
        throw new Error(`UnsortedSegmentSum on wasm supports float32 and int32, not ${x.dtype}`);
      }
      const backend = asWasm(args);
      const ids = backend.typedArrayFromHeap(segmentIds);
      const count = ids.length;
      const rest = x.shape.slice(segmentIds.shape.length);
      const outShape = [numSegments, ...rest];
      if (!ids.every((s) => s >= 0 && s < numSegments))
        return segmentSumInJs(backend, x, segmentIds, outShape);
      // ScatterNd wants indices [n, 1] and updates [n, ...rest]: both are views (reshape only relabels).
      const indices: TensorInfo = { dataId: segmentIds.dataId, shape: [count, 1], dtype: 'int32' };
      const updates: TensorInfo = { dataId: x.dataId, shape: [count, ...rest], dtype: x.dtype };
      return scatterKernel({
        inputs: { indices, updates },
        backend: args.backend,
        attrs: { shape: outShape },
      });
    },
  };
}

function segmentSumInJs(
  backend: BackendWasm,
  x: TensorInfo,
  segmentIds: TensorInfo,
  outShape: number[],
): TensorInfo {
  const out = backend.makeOutput(outShape, x.dtype);
  // Views are taken after makeOutput: an allocation may grow (and detach) the wasm heap.
  const target = backend.typedArrayFromHeap(out);
  target.fill(0);
  segmentSumRows(
    backend.typedArrayFromHeap(x),
    backend.typedArrayFromHeap(segmentIds),
    outShape[0] ?? 0,
    target,
  );
  return out;
}
