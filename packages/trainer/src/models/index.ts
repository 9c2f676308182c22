import type { ModelConfig, NetworkModelKind, RunConfig } from '../config.ts';
import type { Rng } from '../data/rng.ts';
import { mlpFactory } from './mlp.ts';
import type { Model, ModelFactory } from './model.ts';
import { transformerFactory } from './transformer.ts';

export type { Model, ModelFactory } from './model.ts';

/**
 * Every network kind maps to its factory; a new kind is one entry here (and one in config's modelSchema). The RFM
 * is not a network: `train` runs it in its own loop (src/rfm/).
 */
export const MODEL_FACTORIES: {
  readonly [K in NetworkModelKind]: ModelFactory<Extract<ModelConfig, { kind: K }>>;
} = {
  MLP: mlpFactory,
  TRANSFORMER: transformerFactory,
};

/** Builds the network a run config asks for. */
export function createModel(config: RunConfig, rng: Rng): Model {
  const { kind } = config.model;
  if (kind === 'RFM') throw new Error('createModel: an RFM is not a network; train() runs it with trainRfm');
  const factory = MODEL_FACTORIES[kind] as ModelFactory;
  return factory.init(config, rng);
}
