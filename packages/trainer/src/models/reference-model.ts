import { jsonCheckpoint } from '../checkpoints/read-checkpoint.ts';
import { loadCheckpoint } from '../checkpoints/released-layout.ts';
import type { RunConfig } from '../config.ts';
import type { Model } from './model.ts';

/**
 * Loads a Clock/Pizza reference checkpoint in the fixtures' JSON format (shared/fixtures/clock-pizza/model-{a,b}.json;
 * format in that folder's README) into the TRANSFORMER model. The layouts, the conversion to the trainer's
 * input-major weights and what is refused live in `checkpoints/released-layout.ts`, shared with `grokscope analyse`
 * (which also reads PyTorch and safetensors files).
 */
export function loadReferenceModel(json: unknown): { config: RunConfig; model: Model } {
  const { tensors, embeddedConfig } = jsonCheckpoint(json);
  const { config, model } = loadCheckpoint(tensors, embeddedConfig);
  return { config, model };
}
