import type { ModelConfig, ModelKind, RunConfig } from '../config.ts';
import type { Rng } from '../data/rng.ts';
import { mlpFactory } from './mlp.ts';
import type { Model, ModelFactory } from './model.ts';
import { transformerFactory } from './transformer.ts';

export type { Model, ModelFactory } from './model.ts';

/**
 * The kinds that are networks, each with its factory (the TensorFlow.js model the tfjs engine trains and the measures
 * read). Kinds without one (the RFM, a kernel machine) train by their own loop (models/kinds/).
 */
export const MODEL_FACTORIES: {
  readonly [K in ModelKind]?: ModelFactory<Extract<ModelConfig, { kind: K }>>;
} = {
  MLP: mlpFactory,
  TRANSFORMER: transformerFactory,
};

/** Builds the network a run config asks for. */
export function createModel(config: RunConfig, rng: Rng): Model {
  const factory = MODEL_FACTORIES[config.model.kind] as ModelFactory | undefined;
  if (!factory)
    throw new Error(`createModel: a ${config.model.kind} is not a network; train() runs its own loop`);
  return factory.init(config, rng);
}
