import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../config.ts';
import { allPairs } from '../data/pairs.ts';
import type { Split } from '../data/split.ts';
import { fourierBasisFloat32 } from '../fourier/basis.ts';
import { measuresDue } from '../measures/index.ts';
import { keyFrequencyMask } from '../measures/key-frequencies.ts';
import type { HostProvider, MeasureSnapshot } from '../measures/measure.ts';
import type { Model } from '../models/model.ts';
import type { Slot } from './packing.ts';

/** The scalars every report carries, in packing order. */
export const SCALAR_IDS = ['train_loss', 'train_acc', 'test_loss', 'test_acc'] as const;

/**
 * The vector measures of a step on a tfjs model at θ_t, shared by both engines (the tfjs session computes them on
 * its own model; the native session on a tfjs copy of the runtime's weights, loaded when measures are due).
 */
export interface MeasurePass {
  /** Reads, with awaited `data()`, what the measures due at `step` read on the host; call before `compute`. */
  prefetch(step: number, final: boolean): Promise<void>;
  /**
   * The values of the measures due, in `slots` order after the scalars; inside a tidy. `provided` supplies the
   * values an engine already computed (the native graph's weight norm) instead of the measure's tfjs compute.
   */
  compute(step: number, final: boolean, provided?: ReadonlyMap<string, number>): tf.Tensor1D[];
  /** Drops the host copies `prefetch` read. */
  drop(): void;
  /** Where each value of a step's packed tensor comes from (scalars first, then the measures due). */
  slots(step: number, final: boolean): Slot[];
  dispose(): void;
}

/** A measure read a host copy it did not list in `hostInputs`, so the loop did not read it before the step. */
function undeclaredHostInput(input: HostProvider<unknown>): Error {
  return new Error(
    `a measure due at this step reads '${input.name}' on the host without declaring it in hostInputs`,
  );
}

/** What an engine may compute for the pass faster than the tfjs model. */
export interface MeasurePassSources {
  /**
   * The logits of every pair in grid order [p², p] (data/pairs.ts), of the parameters the step measures: read once
   * before a step where a measure that `readsGridLogits` is due, instead of the tfjs all-pairs forward. `keyMask`
   * [K] is the step's key-frequency set, for the values the engine derives from these logits.
   */
  gridLogits?: (keyMask: Float32Array) => Promise<Float32Array>;
  /** Host inputs the engine computes itself (the native input AGOP): read instead of the provider's tfjs read. */
  hostInputs?: ReadonlyMap<HostProvider<unknown>, () => Promise<unknown>>;
  /**
   * Measure values the engine computed itself, by measure id, read in prefetch after the grid logits: used instead
   * of the measure's tfjs compute when defined (the native restricted and excluded losses, from the grid run).
   */
  values?: ReadonlyMap<string, () => Float32Array | undefined>;
  /** Forgets the step's engine values (the step ended). */
  drop?: () => void;
}

export function createMeasurePass(
  config: RunConfig,
  model: Model,
  split: Split,
  sources: MeasurePassSources = {},
): MeasurePass {
  const fourierBasis = tf.tensor2d(fourierBasisFloat32(config.p), [config.p, config.p]);
  const pairs = allPairs(config.p, config.operation);
  const grid: MeasureSnapshot['grid'] = {
    a: tf.tensor1d(pairs.a, 'int32'),
    b: tf.tensor1d(pairs.b, 'int32'),
    labels: tf.tensor1d(pairs.label, 'int32'),
    trainIndex: tf.tensor1d(split.train, 'int32'),
    testIndex: tf.tensor1d(split.test, 'int32'),
  };
  // Per-step memos: set inside the step's tidy (so the tidy frees them) and cleared when the step ends, so a later
  // step never sees a disposed tensor.
  let memoLogits: tf.Tensor2D | undefined;
  let memoMask: tf.Tensor1D | undefined;
  // The step's key set, read in prefetch when the engine derives losses from its grid logits, so that the losses
  // and the reported key_frequencies use the same set.
  let hostMask: Float32Array | undefined;
  const memoShared = new Map<string, tf.Tensor>();
  let finalReport = false;
  const resetMemos = (): void => {
    memoLogits = undefined;
    memoMask = undefined;
    memoShared.clear();
  };
  // Host copies read before the step's tidy (prefetch), one per provider, dropped when the step ends.
  const hostValues = new Map<HostProvider<unknown>, unknown>();
  // The engine's grid logits for the step, read in prefetch when a measure due reads them (sources.gridLogits).
  let hostGridLogits: Float32Array | undefined;
  // Measure values the engine computed for the step (sources.values), by id, dropped when the step ends.
  const engineValues = new Map<string, Float32Array>();

  const snapshot: MeasureSnapshot = {
    config,
    model,
    fourierBasis,
    grid,
    gridLogits() {
      memoLogits ??= hostGridLogits
        ? tf.tensor2d(hostGridLogits, [pairs.a.length, config.p])
        : model.logits(grid.a, grid.b);
      return memoLogits;
    },
    keyFrequencyMask() {
      memoMask ??= hostMask ? tf.tensor1d(hostMask) : keyFrequencyMask(config, fourierBasis, model);
      return memoMask;
    },
    host<T>(provider: HostProvider<T>): T {
      if (!hostValues.has(provider)) throw undeclaredHostInput(provider);
      return hostValues.get(provider) as T;
    },
    get final() {
      return finalReport;
    },
    shared<T extends tf.Tensor>(key: string, make: () => T): T {
      const hit = memoShared.get(key);
      if (hit !== undefined) return hit as T;
      const made = make();
      memoShared.set(key, made);
      return made;
    },
  };

  return {
    async prefetch(step, final) {
      const due = measuresDue(step, config, final);
      const needs = new Set(due.flatMap((m) => m.hostInputs ?? []));
      for (const provider of needs) {
        const own = sources.hostInputs?.get(provider);
        hostValues.set(provider, own ? await own() : await provider.read(snapshot));
      }
      if (sources.gridLogits && due.some((m) => m.readsGridLogits)) {
        const mask = tf.tidy(() => keyFrequencyMask(config, fourierBasis, model));
        try {
          hostMask = Float32Array.from(await mask.data());
        } finally {
          mask.dispose();
        }
        hostGridLogits = await sources.gridLogits(hostMask);
      }
      for (const measure of due) {
        const value = sources.values?.get(measure.id)?.();
        if (value) engineValues.set(measure.id, value);
      }
    },
    compute(step, final, provided) {
      resetMemos();
      finalReport = final;
      try {
        return measuresDue(step, config, final).map((measure) => {
          const value = provided?.get(measure.id);
          if (value !== undefined) return tf.tensor1d([value]);
          const computed = engineValues.get(measure.id);
          return computed ? tf.tensor1d(computed) : measure.compute(snapshot);
        });
      } finally {
        resetMemos();
        finalReport = false;
      }
    },
    drop() {
      hostValues.clear();
      engineValues.clear();
      hostGridLogits = undefined;
      hostMask = undefined;
      sources.drop?.();
    },
    slots: (step, final) => [
      ...SCALAR_IDS.map((id): Slot => ({ id, shape: 'scalar', length: 1 })),
      ...measuresDue(step, config, final).map(
        (m): Slot => ({ id: m.id, shape: m.shape, length: m.length(config) }),
      ),
    ],
    dispose() {
      fourierBasis.dispose();
      tf.dispose([grid.a, grid.b, grid.labels, grid.trainIndex, grid.testIndex]);
    },
  };
}
