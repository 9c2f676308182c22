import type { ModelConfig, ModelKind, RunConfig } from '../config.ts';
import type { Rng } from '../data/rng.ts';
import { mlpFactory } from './mlp.ts';
import type { Model, ModelFactory } from './model.ts';
import { transformerFactory } from './transformer.ts';

export type { Model, ModelFactory } from './model.ts';

/** Every model kind maps to its factory; a new kind is one entry here (and one in config's modelSchema). */
export const MODEL_FACTORIES: { readonly [K in ModelKind]: ModelFactory<Extract<ModelConfig, { kind: K }>> } =
  {
    MLP: mlpFactory,
    TRANSFORMER: transformerFactory,
  };

/** Builds the model a run config asks for. */
export function createModel(config: RunConfig, rng: Rng): Model {
  const factory = MODEL_FACTORIES[config.model.kind] as ModelFactory;
  return factory.init(config, rng);
}
