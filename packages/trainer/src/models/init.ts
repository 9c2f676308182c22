import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../data/rng.ts';

/**
 * Initial-weight helpers. Values are drawn in JavaScript from the run's Rng (never tfjs's random ops), so a seed
 * gives bit-identical weights on every backend.
 */
let nextModelId = 0;

/** A process-unique prefix for a model's variable names (tfjs refuses two variables with one name). */
export function uniqueModelId(kind: string): string {
  nextModelId += 1;
  return `${kind.toLowerCase()}_${nextModelId}`;
}

/** Entries ~ N(0, std²). */
export function normalVariable(rng: Rng, shape: number[], std: number, name: string): tf.Variable {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.normal() * std;
  return tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), true, name));
}

/** Entries ~ U(−bound, bound). */
export function uniformVariable(rng: Rng, shape: number[], bound: number, name: string): tf.Variable {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = (2 * rng.float() - 1) * bound;
  return tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), true, name));
}

/** A variable holding given values (loaded weights). */
export function valuesVariable(values: Float32Array, shape: number[], name: string): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), true, name));
}
