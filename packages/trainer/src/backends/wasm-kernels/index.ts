/**
 * Kernel fixes for @tensorflow/tfjs-backend-wasm 4.22, registered over (or beside) the stock kernels so that models
 * can use plain tfjs ops and still train fast on wasm:
 *
 * - BatchMatMul / _FusedMatMul with transposeA or transposeB run ~10–15× slower than without (XNNPACK is only used
 *   for the plain layout), and every matMul gradient asks for a transposed product. We transpose the operand
 *   explicitly (a cheap copy) and call the stock kernel with plain layout.
 * - GatherV2 walks every element through generic stride arithmetic (~26 ms for 1740 rows of 256 floats). Gathering
 *   whole rows along axis 0 is a row copy; we do that directly on the heap.
 * - UnsortedSegmentSum (the gradient of gather) has no wasm kernel at all; we add one on top of ScatterNd.
 * - Identity copies the buffer. Tensors are immutable (a variable's assign swaps buffers, it never writes in
 *   place), so like the cpu backend we share it and count a reference. tfjs clones every tensor saved for a
 *   gradient, so this saves several full-size copies per training step.
 * - Slice (and SplitV, built on it) first copies the whole input out of the heap, even for a contiguous block
 *   (1.6 ms to cut 88k floats in six). A contiguous slice is one copy of just that block.
 * - OneHot writes int32 bits whatever the requested dtype, so a float32 one-hot reads as denormals (1 → 1.4e-45).
 *   We build it as int32 and cast.
 *
 * Every fix is exact (the same float32 results as the stock kernels, summation order fixed), so determinism holds.
 * One file per kernel; this one installs them.
 */

import { rowGather } from './gather.ts';
import { sharedIdentity } from './identity.ts';
import { replaceKernel, stockKernel } from './kernel-utils.ts';
import { plainLayoutMatMul } from './mat-mul.ts';
import { castingOneHot } from './one-hot.ts';
import { fastSlice, fastSplit } from './slice.ts';
import { segmentSumViaScatter } from './unsorted-segment-sum.ts';

let patched = false;

/** Installs the fixes once per process. Call after importing the wasm backend (its kernels must be registered). */
export function patchWasmKernels(): void {
  if (patched) return;
  replaceKernel(plainLayoutMatMul(stockKernel('BatchMatMul')));
  replaceKernel(plainLayoutMatMul(stockKernel('_FusedMatMul')));
  replaceKernel(rowGather(stockKernel('GatherV2')));
  replaceKernel(segmentSumViaScatter());
  replaceKernel(castingOneHot(stockKernel('OneHot')));
  replaceKernel(sharedIdentity(stockKernel('Identity')));
  replaceKernel(fastSlice(stockKernel('Slice')));
  replaceKernel(fastSplit(stockKernel('SplitV')));
  patched = true;
}
