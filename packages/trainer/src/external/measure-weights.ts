import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../backends/select.ts';
import type { NamedTensor } from '../checkpoints/tensors.ts';
import type { RunConfig } from '../config.ts';
import { createRng } from '../data/rng.ts';
import { splitPairs } from '../data/split.ts';
import { registerGradients } from '../gradients/index.ts';
import { createModel } from '../models/index.ts';
import { totalSteps } from '../models/kinds/index.ts';
import type { StepReport } from '../report.ts';
import type { TrainingState } from '../training/checkpoint.ts';
import { createMeasurePass } from '../training/measure-pass.ts';
import { readReport } from '../training/packing.ts';
import { fromTorchLayout } from './torch-layout.ts';

/** Weights that do not fit the run's architecture; the message lists what was expected. */
export class WeightsMismatchError extends Error {
  override name = 'WeightsMismatchError';
}

/** A model parameter's name as external runs send it: the variable name without the model's unique prefix. */
const parameterName = (variable: tf.Variable): string => variable.name.slice(variable.name.indexOf('/') + 1);

/**
 * The parameters an external run of `config` sends to logWeights, by name, with their shapes: exactly the
 * trainer's own model variables, in its input-major layout (docs/api.md lists them per kind).
 */
export function weightShapes(config: RunConfig): Record<string, number[]> {
  const model = createModel(config, createRng(config.seed, 'init'));
  try {
    return Object.fromEntries(model.variables.map((v) => [parameterName(v), [...v.shape]]));
  } finally {
    model.dispose();
  }
}

/**
 * θ_0 of `config` as the trainer draws it (seeded), by parameter name, in the layout logWeights takes: what a
 * native run of the config starts from, for tests and for clients that want grokscope's initialisation.
 * Needs a selected tfjs backend.
 */
export function initialWeights(config: RunConfig): Record<string, NamedTensor> {
  const model = createModel(config, createRng(config.seed, 'init'));
  try {
    return Object.fromEntries(
      model.variables.map((v) => [
        parameterName(v),
        { shape: [...v.shape], values: v.dataSync() as Float32Array },
      ]),
    );
  } finally {
    model.dispose();
  }
}

/**
 * Every measure due at `step` (every measure at the run's last step, as for a native run's final report) on the
 * given weights, computed by the trainer's shared measure pass: the values a native run of the same config would
 * report for these parameters. An MLP may also come in PyTorch's layout (see fromTorchLayout). The four training scalars are not among them (they are the caller's to log).
 * Needs a selected tfjs backend; the server runs it in a child process (src/weights-worker.ts).
 */
export async function measureWeights(
  config: RunConfig,
  step: number,
  tensors: ReadonlyMap<string, NamedTensor>,
): Promise<Pick<StepReport, 'scalars' | 'vectors'>> {
  if (config.model.kind === 'RFM') throw new WeightsMismatchError('an RFM run has no network weights to log');
  registerGradients();
  const split = splitPairs(config.p, config.trainFraction, createRng(config.seed, 'split'), config.operation);
  const model = createModel(config, createRng(config.seed, 'init'));
  try {
    assignWeights(model.variables, fromTorchLayout(config, tensors));
    const pass = createMeasurePass(config, model, split);
    try {
      const final = step === totalSteps(config);
      await pass.prefetch(step, final);
      // measures.compute returns only the measures due; the slots start with the four training scalars.
      const slots = pass.slots(step, final).slice(4);
      const tensor = tf.tidy(() => {
        const parts = pass.compute(step, final);
        return parts.length > 0 ? tf.concat(parts) : tf.tensor1d([]);
      });
      pass.drop();
      const report = await readReport({ values: tensor, slots }, step, () => 0);
      return { scalars: report.scalars, vectors: report.vectors };
    } finally {
      pass.dispose();
    }
  } finally {
    model.dispose();
  }
}

/**
 * measureWeights on a stored checkpoint (θ in the model's variable order, see training/checkpoint.ts): the values
 * the run reported at the checkpoint's step, recomputed by the current measure code (`grokscope recompute`). On the
 * tfjs cpu backend, as ablateCheckpoint: a checkpoint of either engine has the same θ layout.
 */
export async function measureCheckpoint(
  config: RunConfig,
  state: TrainingState,
): Promise<Pick<StepReport, 'scalars' | 'vectors'>> {
  await selectBackend('cpu');
  const names = Object.keys(weightShapes(config));
  if (names.length !== state.params.length)
    throw new WeightsMismatchError(
      `the checkpoint holds ${state.params.length} parameters, this run's model has ${names.length}`,
    );
  const tensors = new Map(
    names.map((name, i): [string, NamedTensor] => [
      name,
      { shape: state.shapes[i]!, values: state.params[i]! },
    ]),
  );
  return measureWeights(config, state.step, tensors);
}

function assignWeights(variables: readonly tf.Variable[], tensors: ReadonlyMap<string, NamedTensor>): void {
  const expected = new Map(variables.map((v) => [parameterName(v), v]));
  const problems: string[] = [];
  for (const [name, v] of expected) {
    const given = tensors.get(name);
    if (!given) problems.push(`missing ${name} [${v.shape.join(', ')}]`);
    else if (given.shape.length !== v.shape.length || given.shape.some((d, i) => d !== v.shape[i]))
      problems.push(`${name} has shape [${given.shape.join(', ')}], expected [${v.shape.join(', ')}]`);
    else if (!given.values.every(Number.isFinite)) problems.push(`${name} holds NaN or ±Infinity`);
  }
  for (const name of tensors.keys()) if (!expected.has(name)) problems.push(`unexpected tensor ${name}`);
  if (problems.length > 0) {
    const wanted = [...expected].map(([n, v]) => `${n} [${v.shape.join(', ')}]`).join(', ');
    throw new WeightsMismatchError(`${problems.join('; ')} (this run's model takes: ${wanted})`);
  }
  for (const [name, v] of expected) {
    const given = tensors.get(name)!;
    tf.tidy(() => v.assign(tf.tensor(given.values, v.shape)));
  }
}
