/**
 * Gradients for the kernels our models differentiate through. tfjs-core's Node bundle ships no gradients (they
 * come with the `@tensorflow/tfjs` union package, or an ESM-only deep import that plain Node cannot resolve), so
 * the trainer registers its own. A gradient someone else already registered (e.g. @tensorflow/tfjs is loaded) is
 * left alone. A model that needs another kernel's gradient adds one file here and one entry below.
 */
import * as tf from '@tensorflow/tfjs-core';
import { sigmoidGrad, softmaxGrad } from './activation.ts';
import { addGrad, expGrad, maximumGrad, mulGrad, realDivGrad, reluGrad, subGrad } from './elementwise.ts';
import { gatherGrad } from './gather.ts';
import { batchMatMulGrad } from './matmul.ts';
import { concatGrad, reshapeGrad, splitGrad, sumGrad, transposeGrad } from './shape.ts';

export const GRADIENTS: readonly tf.GradConfig[] = [
  addGrad,
  subGrad,
  mulGrad,
  reluGrad,
  batchMatMulGrad,
  gatherGrad,
  reshapeGrad,
  transposeGrad,
  splitGrad,
  concatGrad,
  sumGrad,
  sigmoidGrad,
  softmaxGrad,
  realDivGrad,
  maximumGrad,
  expGrad,
];

/** Registers every gradient above that is not registered yet. Idempotent. */
export function registerGradients(): void {
  for (const config of GRADIENTS) {
    if (!tf.getGradient(config.kernelName)) tf.registerGradient(config);
  }
}
