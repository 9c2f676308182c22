/**
 * Kernel fixes for @tensorflow/tfjs-backend-cpu 4.22. Its UnsortedSegmentSum runs a few tensor ops per segment
 * (mask, multiply, sum over all rows), O(segments × rows × width) with allocations: ~160 ms for the gradient of a
 * 264-row gather at p = 23, which made the cpu backend 100× slower than it needs to be. We sum rows directly.
 * GatherV2 reads element by element through index arithmetic; along axis 0 we copy whole rows.
 */

import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  type GatherV2Attrs,
  getKernel,
  type KernelConfig,
  registerKernel,
  type UnsortedSegmentSumAttrs,
  unregisterKernel,
  util,
} from '@tensorflow/tfjs-core';
import { segmentSumRows } from './segment-sum.ts';

const unsortedSegmentSum: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'cpu',
  kernelFunc: (args) => {
    const { x, segmentIds } = args.inputs;
    const { numSegments } = (args.attrs ?? {}) as unknown as UnsortedSegmentSumAttrs;
    if (!x || !segmentIds) throw new Error('UnsortedSegmentSum called without x and segmentIds');
    if (x.dtype !== 'float32' && x.dtype !== 'int32') {
      throw new Error(`UnsortedSegmentSum on cpu supports float32 and int32, not ${x.dtype}`);
    }
    const backend = args.backend as unknown as MathBackendCPU;
    const source = backend.readSync(x.dataId) as Float32Array | Int32Array;
    const ids = backend.readSync(segmentIds.dataId) as Int32Array;
    const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
    const target =
      x.dtype === 'float32'
        ? new Float32Array(util.sizeFromShape(outShape))
        : new Int32Array(util.sizeFromShape(outShape));
    segmentSumRows(source, ids, numSegments, target);
    return backend.makeTensorInfo(outShape, x.dtype, target);
  },
};

/** GatherV2 along axis 0 (batchDims 0) as row copies; anything else goes to the stock kernel. */
function rowGather(stock: KernelConfig): KernelConfig {
  return {
    ...stock,
    kernelFunc: (args) => {
      const { x, indices } = args.inputs;
      const { axis, batchDims } = (args.attrs ?? {}) as unknown as GatherV2Attrs;
      if (!x || !indices) throw new Error('GatherV2 called without x and indices');
      const parsedAxis = util.parseAxisParam(axis, x.shape)[0];
      if (parsedAxis !== 0 || batchDims !== 0 || (x.dtype !== 'float32' && x.dtype !== 'int32'))
        return stock.kernelFunc(args);
      const backend = args.backend as unknown as MathBackendCPU;
      const source = backend.readSync(x.dataId) as Float32Array | Int32Array;
      const index = backend.readSync(indices.dataId) as Int32Array;
      const rows = x.shape[0] ?? 0;
      const rowSize = util.sizeFromShape(x.shape.slice(1));
      const target =
        x.dtype === 'float32'
          ? new Float32Array(index.length * rowSize)
          : new Int32Array(index.length * rowSize);
      index.forEach((row, i) => {
        if (row < 0 || row >= rows)
          throw new Error(`GatherV2: the index value ${row} is not in [0, ${rows - 1}]`);
        target.set(source.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
      });
      return backend.makeTensorInfo([...indices.shape, ...x.shape.slice(1)], x.dtype, target);
    },
  };
}

function replaceKernel(config: KernelConfig): void {
  if (getKernel(config.kernelName, 'cpu')) unregisterKernel(config.kernelName, 'cpu');
  registerKernel(config);
}

let patched = false;

/** Installs the fixes once per process (after the cpu backend's kernels are registered). */
export function patchCpuKernels(): void {
  if (patched) return;
  replaceKernel(unsortedSegmentSum);
  const gather = getKernel('GatherV2', 'cpu');
  if (gather) replaceKernel(rowGather(gather));
  patched = true;
}
