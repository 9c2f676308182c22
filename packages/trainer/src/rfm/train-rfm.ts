/**
 * The Recursive Feature Machine loop (measures.md §7), on the host in float64 — no TensorFlow.js kernels or
 * gradients: an exact kernel solve per iteration is a Cholesky factorisation, and the AGOP has a closed form.
 *
 * Step semantics (as for networks, with an iteration in place of an optimiser update): the report of step t
 * measures the predictor fitted with M_t, the feature matrix after t AGOP updates (M₀ = I). For t = 0..T−1 an
 * iteration solves (K_{M_t} + λI)α = Y, reports train/test loss and accuracy and the feature measures of M_t, then
 * sets M_{t+1} = AGOP^{1/2}; the last report, step T = model.iterations, evaluates M_T.
 *
 * Losses are **square loss** (the RFM's objective): MSE over samples and the p outputs against one-hot targets, as
 * measures.md §7 records it, not cross-entropy. Accuracy is the argmax of the p outputs (ties: first index).
 */
import type { RfmModelConfig, RunConfig } from '../config.ts';
import { allPairs, selectPairs } from '../data/pairs.ts';
import { createRng } from '../data/rng.ts';
import { splitPairs } from '../data/split.ts';
import { agopAlignment } from '../measures/agop-alignment.ts';
import { circulantDeviation } from '../measures/circulant-deviation.ts';
import type { StepReport } from '../report.ts';
import { yieldToEventLoop } from '../training/yield-to-event-loop.ts';
import { agop } from './agop.ts';
import { kernelMatrix, linearKernel, type PairInputs } from './kernel.ts';
import { choleskySolveInPlace, choleskyWithJitter, matMul, symmetricPower } from './linalg.ts';

interface Subset extends PairInputs {
  label: Int32Array;
}

export interface RfmIteration {
  /** Scalars of the report: train/test loss and accuracy, circulant_deviation, agop_alignment. */
  scalars: Record<string, number>;
  /** The feature matrix this iteration used (M_t). */
  features: Float64Array;
  /** M_{t+1} = AGOP(f_t)^{1/2}. */
  next: Float64Array;
  /** The jitter the solve needed (0 when K + λI factored as is). */
  jitter: number;
  /** Wall time of each part of the iteration, ms (for `pnpm bench`). */
  timings: RfmTimings;
}

export interface RfmTimings {
  /** Train kernel matrix K_{M}(X_tr, X_tr). */
  kernel: number;
  /** Cholesky factorisation and the solve for α. */
  solve: number;
  /** Train and test predictions (the test kernel included). */
  predict: number;
  /** The AGOP G. */
  agop: number;
  /** M_{t+1} = G^{1/2} (eigendecomposition). */
  power: number;
}

/** One RFM model over a fixed split: `iterate(M)` fits with M and returns the report values and the next M. */
export function createRfm(run: RunConfig, model: RfmModelConfig) {
  const { p, operation } = run;
  const split = splitPairs(p, run.trainFraction, createRng(run.seed, 'split'), operation);
  const grid = allPairs(p, operation);
  const train: Subset = selectPairs(grid, split.train);
  const test: Subset = selectPairs(grid, split.test);
  const n = train.a.length;
  const q = 2 * p;
  const factor = new Float64Array(n * n);

  const iterate = (M: Float64Array): RfmIteration => {
    const t0 = performance.now();
    const K = kernelMatrix(model, M, p, train, train);
    const t1 = performance.now();
    const { jitter } = choleskyWithJitter(K, n, model.ridge, factor);
    const alpha = new Float64Array(n * p);
    for (let i = 0; i < n; i++) alpha[i * p + train.label[i]!] = 1;
    choleskySolveInPlace(factor, n, alpha, p);
    const t2 = performance.now();
    const trainPredictions = matMul(K, alpha, n, n, p);
    const testPredictions =
      test.a.length > 0
        ? matMul(kernelMatrix(model, M, p, test, train), alpha, test.a.length, n, p)
        : undefined;
    const t3 = performance.now();
    const G = agop({
      model,
      p,
      M,
      train,
      alpha,
      weights: model.kernel === 'GAUSSIAN' ? K : linearKernel(M, p, train, train),
      trainPredictions,
    });
    const t4 = performance.now();
    const next = symmetricPower(G, q, 0.5);
    const t5 = performance.now();
    const [trainLoss, trainAcc] = squareLossAndAccuracy(trainPredictions, train.label, p);
    const [testLoss, testAcc] = testPredictions
      ? squareLossAndAccuracy(testPredictions, test.label, p)
      : [Number.NaN, Number.NaN];
    return {
      scalars: {
        train_loss: trainLoss,
        train_acc: trainAcc,
        test_loss: testLoss,
        test_acc: testAcc,
        circulant_deviation: circulantDeviation(M, p, operation),
        agop_alignment: agopAlignment(M, next),
      },
      features: M,
      next,
      jitter,
      timings: { kernel: t1 - t0, solve: t2 - t1, predict: t3 - t2, agop: t4 - t3, power: t5 - t4 },
    };
  };

  const identity = new Float64Array(q * q);
  for (let i = 0; i < q; i++) identity[i * q + i] = 1;
  return { iterate, initial: identity, trainSize: n, testSize: test.a.length };
}

/** MSE against one-hot targets (mean over samples and outputs) and argmax accuracy. */
export function squareLossAndAccuracy(
  predictions: Float64Array,
  labels: Int32Array,
  p: number,
): [number, number] {
  let sq = 0;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = i * p;
    const y = labels[i]!;
    let best = 0;
    for (let c = 0; c < p; c++) {
      const f = predictions[row + c]!;
      sq += (f - (c === y ? 1 : 0)) ** 2;
      if (f > predictions[row + best]!) best = c;
    }
    if (best === y) correct++;
  }
  return [sq / (labels.length * p), correct / labels.length];
}

/** The RFM's reports, step 0..model.iterations (see the module comment); stops quietly when `signal` aborts. */
export async function* trainRfm(
  run: RunConfig,
  model: RfmModelConfig,
  signal?: AbortSignal,
): AsyncGenerator<StepReport, void, undefined> {
  const rfm = createRfm(run, model);
  const start = performance.now();
  let M: Float64Array = rfm.initial;
  for (let t = 0; t <= model.iterations; t++) {
    const result = rfm.iterate(M);
    yield {
      step: t,
      scalars: result.scalars,
      vectors: { rfm_feature_matrix: Array.from(result.features) },
      elapsedMs: performance.now() - start,
    };
    M = result.next;
    if (t < model.iterations) {
      await yieldToEventLoop();
      if (signal?.aborted) return;
    }
  }
}
