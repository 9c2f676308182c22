import type { RunConfig } from '../../src/config.ts';
import { createRng } from '../../src/data/rng.ts';
import { type Split, splitPairs } from '../../src/data/split.ts';
import { createModel } from '../../src/models/index.ts';
import type { Model } from '../../src/models/model.ts';
import { NativeEngine } from '../../src/native/engine.ts';

/** A run's split and its tfjs model at θ_0, drawn as every backend draws them. */
export function runParts(config: RunConfig): { split: Split; model: Model } {
  const split = splitPairs(config.p, config.trainFraction, createRng(config.seed, 'split'), config.operation);
  return { split, model: createModel(config, createRng(config.seed, 'init')) };
}

/** runParts and a native engine started from a copy of the same θ_0. */
export async function nativeRun(
  config: RunConfig,
): Promise<{ split: Split; model: Model; engine: NativeEngine }> {
  const { split, model } = runParts(config);
  const engine = await NativeEngine.create(
    config,
    split,
    model.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array)),
  );
  return { split, model, engine };
}
