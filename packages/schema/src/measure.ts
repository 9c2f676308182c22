import { MEASURE_CATALOGUE, parseRunConfig, RunConfigError, runConfigSchema } from '@grokscope/trainer';
import { z } from 'zod';
import { builder } from './builder.ts';
import { RunConfigInputRef, RunConfigRef } from './config-types.ts';

const MeasureKindRef = builder.enumType('MeasureKind', {
  description: 'Whether a measure is one number per step or a vector (per frequency, per component).',
  values: {
    SCALAR: { value: 'scalar', description: 'One value per step: read it with Run.series.' },
    VECTOR: { value: 'vector', description: 'A vector per step: read it with Run.spectra.' },
  } as const,
});

const MeasureRef = builder
  .objectRef<{
    id: string;
    description: string;
    unit: string;
    shape: 'scalar' | 'vector';
    defaultCadence: number;
  }>('Measure')
  .implement({
    description: 'A progress measure the trainer computes; its id names its series.',
    fields: (t) => ({
      id: t.exposeString('id', { description: 'Series name in Run.series / StepReport.' }),
      description: t.exposeString('description', { description: 'What it measures.' }),
      unit: t.exposeString('unit', { description: 'Unit of its values (e.g. `nats`, `fraction`).' }),
      shape: t.exposeString('shape', {
        description: '`scalar` or `vector` (the same as `kind`, lower case).',
      }),
      kind: t.field({ type: MeasureKindRef, description: 'Scalar or vector.', resolve: (m) => m.shape }),
      defaultCadence: t.exposeInt('defaultCadence', {
        description: 'Steps between computations unless the run config sets `cadence` for it.',
      }),
    }),
  });

const FieldErrorRef = builder.objectRef<{ path: string; message: string }>('FieldError').implement({
  description: 'A validation failure of one input field.',
  fields: (t) => ({
    path: t.exposeString('path', {
      description: 'Dotted path of the field within the config, e.g. `model.embedDim`.',
    }),
    message: t.exposeString('message', { description: 'What is wrong, in words a person can act on.' }),
  }),
});

const jsonSchema = z.toJSONSchema(runConfigSchema, { io: 'input', unrepresentable: 'any' });

builder.queryFields((t) => ({
  measures: t.field({
    type: [MeasureRef],
    description: 'The catalogue of measures: ids, descriptions, units.',
    resolve: () => MEASURE_CATALOGUE.map((m) => ({ ...m })),
  }),
  defaultRunConfig: t.field({
    type: RunConfigRef,
    description: 'The config an empty RunConfigInput becomes.',
    resolve: () => parseRunConfig({}),
  }),
  runConfigJsonSchema: t.field({
    type: 'JSON',
    description: 'JSON Schema of RunConfigInput (ranges, defaults, descriptions), for forms and editors.',
    resolve: () => jsonSchema,
  }),
  validateRunConfig: t.field({
    type: [FieldErrorRef],
    description: 'The same validation startRun applies; an empty list means the config is valid.',
    args: {
      config: t.arg({ type: RunConfigInputRef, required: true, description: 'The config to check.' }),
    },
    resolve: (_root, args) => {
      try {
        parseRunConfig(args.config);
        return [];
      } catch (error) {
        if (error instanceof RunConfigError) return error.issues;
        throw error;
      }
    },
  }),
}));
