import {
  type CatalogueEntry,
  type ChartHint,
  MEASURE_CATALOGUE,
  MEASURE_PANELS,
  type MeasurePanel,
  parseRunConfig,
  RunConfigError,
  runConfigSchema,
} from '@grokscope/trainer';
import { z } from 'zod';
import { builder } from './builder.ts';
import { ModelKindRef, RunConfigInputRef, RunConfigRef } from './config-types.ts';

const MeasureKindRef = builder.enumType('MeasureKind', {
  description:
    'Whether a measure is one number per step, a vector or a matrix (per frequency, per component).',
  values: {
    SCALAR: { value: 'scalar', description: 'One value per step: read it with Run.series.' },
    VECTOR: { value: 'vector', description: 'A vector per step: read it with Run.spectra.' },
    MATRIX: {
      value: 'matrix',
      description: 'A square matrix per step, row-major: read it with Run.spectra.',
    },
  } as const,
});

const SplitGroupRef = builder.enumType('SplitGroup', {
  description: 'The data split a series belongs to, so every chart shows the two splits alike.',
  values: { train: { description: 'Training pairs.' }, test: { description: 'Held-out pairs.' } } as const,
});

const ChartHintRef = builder.objectRef<ChartHint>('ChartHint').implement({
  description: "Where a scalar measure is drawn on a run page (the trainer's descriptor).",
  fields: (t) => ({
    panels: t.stringList({
      description: 'MeasurePanel ids it is drawn in.',
      resolve: (h) => [...h.panels],
    }),
    label: t.exposeString('label', { description: 'Legend label inside the panel.' }),
    group: t.field({
      type: SplitGroupRef,
      nullable: true,
      description: 'train / test: drawn in that split’s colour; null: the panel’s next colour.',
      resolve: (h) => h.group ?? null,
    }),
  }),
});

const MeasurePanelRef = builder.objectRef<MeasurePanel>('MeasurePanel').implement({
  description: 'A run-page chart that scalar measures join by their chart hint (in page order).',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'Panel id (ChartHint.panels).' }),
    title: t.exposeString('title', { description: 'Chart title.' }),
    yLabel: t.exposeString('yLabel', { description: 'y-axis label.' }),
    scale: t.exposeString('scale', { description: '`linear` or `log`.' }),
    min: t.float({
      nullable: true,
      description: 'Fixed y minimum (measure units).',
      resolve: (p) => p.min ?? null,
    }),
    max: t.float({
      nullable: true,
      description: 'Fixed y maximum (measure units).',
      resolve: (p) => p.max ?? null,
    }),
    percent: t.boolean({
      description: 'Fractions drawn as percentages.',
      resolve: (p) => p.percent ?? false,
    }),
    smoothed: t.exposeBoolean('smoothed', { description: 'The page’s smoothing applies.' }),
    compact: t.boolean({ description: 'Drawn as a shorter chart.', resolve: (p) => p.compact ?? false }),
  }),
});

/** The trainer's descriptor, exposed as is: the GraphQL type is built on CatalogueEntry, not retyped here. */
const MeasureRef = builder.objectRef<CatalogueEntry>('Measure').implement({
  description: 'A progress measure the trainer computes; its id names its series.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'Series name in Run.series / StepReport.' }),
    description: t.exposeString('description', { description: 'What it measures.' }),
    unit: t.exposeString('unit', { description: 'Unit of its values (e.g. `nats`, `fraction`).' }),
    shape: t.exposeString('shape', {
      description: '`scalar`, `vector` or `matrix` (the same as `kind`, lower case).',
    }),
    kind: t.field({
      type: MeasureKindRef,
      description: 'Scalar, vector or matrix.',
      resolve: (m) => m.shape,
    }),
    defaultCadence: t.exposeInt('defaultCadence', {
      description: 'Steps between computations unless the run config sets `cadence` for it.',
    }),
    version: t.int({
      description:
        'Version of its definition, raised when what it computes changes (docs/measures.md lists the changes).',
      resolve: (m) => m.version ?? 1,
    }),
    cadenceKey: t.string({
      nullable: true,
      description:
        'The `config.cadence` key that sets its cadence (its id unless shared); null: computed every step by the loop.',
      resolve: (m) => (m.cadenceKey === undefined ? m.id : m.cadenceKey),
    }),
    kinds: t.field({
      type: [ModelKindRef],
      description: 'Model kinds whose runs report it.',
      resolve: (m) => [...m.kinds],
    }),
    chart: t.field({
      type: ChartHintRef,
      nullable: true,
      description: 'Where a run page draws it; null: not drawn there (read it with Run.series / compare).',
      resolve: (m) => m.chart ?? null,
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
    description:
      'The catalogue of measures from the trainer’s descriptors: ids, descriptions, units, shapes, cadences, the model kinds that report each, and where a run page draws it.',
    resolve: () => [...MEASURE_CATALOGUE],
  }),
  measurePanels: t.field({
    type: [MeasurePanelRef],
    description: 'The run page’s scalar panels, in page order; measures join them by `Measure.chart.panels`.',
    resolve: () => [...MEASURE_PANELS],
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
