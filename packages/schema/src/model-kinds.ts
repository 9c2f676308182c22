import {
  type AnyModelKindStrategy,
  type DisplayItem,
  type FieldLabel,
  MODEL_KIND_LIST,
  runConfigSchema,
  TASK_FIELDS,
} from '@grokscope/trainer';
import { builder } from './builder.ts';
import { configShape, ModelKindRef } from './config-types.ts';
import type { ShapeField, ShapeNode } from './zod-shape.ts';

/**
 * `modelKinds`: the trainer's model-kind registry (models/kinds/) as the dashboard needs it. Every fact about a field
 * (type, range, default, enum values, description) is read from the zod RunConfig here, so the web form and the runs
 * table hold no copy of the trainer's defaults or enums.
 */

/** A form field of one kind, resolved against the zod schema with that kind's model. */
export interface ConfigFieldInfo extends FieldLabel {
  type: 'int' | 'float' | 'enum' | 'boolean';
  defaultValue: unknown;
  min: number | null;
  max: number | null;
  options: readonly string[];
  description: string | null;
}

interface ModelKindInfo {
  strategy: AnyModelKindStrategy;
  description: string;
  fields: ConfigFieldInfo[];
}

/** The shape field at a dotted path of the RunConfig shape. */
function shapeField(path: string): ShapeField {
  let node: ShapeNode = configShape;
  let field: ShapeField | undefined;
  for (const key of path.split('.')) {
    if (node.kind !== 'object') break;
    field = node.fields[key];
    if (!field) break;
    node = field.node;
  }
  if (!field) throw new Error(`model kinds: '${path}' is not a RunConfig field`);
  return field;
}

function valueAt(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => {
    if (node === null || typeof node !== 'object') return undefined;
    return (node as Record<string, unknown>)[key];
  }, value);
}

function describeField(label: FieldLabel, defaults: unknown): ConfigFieldInfo {
  const field = shapeField(label.path);
  const { node } = field;
  if (node.kind === 'object' || node.kind === 'list')
    throw new Error(`model kinds: '${label.path}' is not a single value the form can edit`);
  const numeric = node.kind === 'int' || node.kind === 'float';
  return {
    ...label,
    type: node.kind,
    defaultValue: valueAt(defaults, label.path) ?? null,
    min: numeric ? (node.min ?? null) : null,
    max: numeric ? (node.max ?? null) : null,
    options: node.kind === 'enum' ? node.values : node.kind === 'boolean' ? ['true', 'false'] : [],
    description: field.description ?? null,
  };
}

function kindInfo(strategy: AnyModelKindStrategy): ModelKindInfo {
  // The kind's defaults are the zod schema's: parse the bare kind and read each field back.
  const defaults = runConfigSchema.parse({ model: { kind: strategy.kind } });
  const kindNode = shapeField('model.kind').node;
  const description = kindNode.kind === 'enum' ? kindNode.valueDescriptions?.[strategy.kind] : undefined;
  return {
    strategy,
    description: description ?? strategy.label,
    fields: [...TASK_FIELDS, ...strategy.fields].map((f) => describeField(f, defaults)),
  };
}

/** Built once at load: a field the registry names that the schema lacks fails the server's start, not a request. */
export const MODEL_KIND_INFOS: readonly ModelKindInfo[] = MODEL_KIND_LIST.map(kindInfo);

const FieldGroupRef = builder.enumType('ConfigFieldGroup', {
  description: 'Where a field sits on the new-run form.',
  values: {
    TASK: { value: 'task', description: 'The task: p, operation, split, seed.' },
    MODEL: { value: 'model', description: 'The model kind’s own fields.' },
    OPTIMIZER: { value: 'optimizer', description: 'Optimiser settings.' },
    RUN: { value: 'run', description: 'Steps and backend.' },
  } as const,
});

const FieldTypeRef = builder.enumType('ConfigFieldType', {
  description: 'The value type of a config field, as the zod schema declares it.',
  values: {
    INT: { value: 'int', description: 'A whole number.' },
    FLOAT: { value: 'float', description: 'A number.' },
    ENUM: { value: 'enum', description: 'One of `options`.' },
    BOOLEAN: { value: 'boolean', description: '`true` or `false` (listed in `options`).' },
  } as const,
});

const DisplaySourceRef = builder.enumType('DisplaySource', {
  description: 'Where a displayed value is read.',
  values: {
    CONFIG: { value: 'config', description: 'The run’s stored config, at `path`.' },
    SUMMARY: { value: 'summary', description: 'The run’s final scalar named `path`.' },
  } as const,
});

const DisplayFormatRef = builder.enumType('DisplayFormat', {
  description: 'How a displayed value is written.',
  values: {
    INT: { value: 'int', description: 'Whole number, digits grouped.' },
    NUMBER: { value: 'number', description: 'As stored.' },
    TEXT: { value: 'text', description: 'As stored.' },
    LOWER: { value: 'lower', description: 'Lower case.' },
  } as const,
});

const DisplayItemRef = builder.objectRef<DisplayItem>('DisplayItem').implement({
  description: 'A value the dashboard shows for a run of a kind, as data (label, where to read it, format).',
  fields: (t) => ({
    label: t.exposeString('label', { description: 'Shown before the value.' }),
    source: t.field({ type: DisplaySourceRef, description: 'Config or summary.', resolve: (d) => d.source }),
    path: t.exposeString('path', { description: 'Dotted config path, or the final scalar’s measure id.' }),
    format: t.field({ type: DisplayFormatRef, description: 'How to write it.', resolve: (d) => d.format }),
  }),
});

const ConfigFieldRef = builder.objectRef<ConfigFieldInfo>('ConfigField').implement({
  description:
    'A config field a kind’s form edits; type, range, default and options come from the zod RunConfig.',
  fields: (t) => ({
    path: t.exposeString('path', {
      description: 'Dotted RunConfigInput path (the path validation issues name).',
    }),
    label: t.exposeString('label', { description: 'Form label.' }),
    group: t.field({ type: FieldGroupRef, description: 'Form section.', resolve: (f) => f.group }),
    unit: t.string({
      nullable: true,
      description: 'Unit shown after the input.',
      resolve: (f) => f.unit ?? null,
    }),
    type: t.field({ type: FieldTypeRef, description: 'Value type.', resolve: (f) => f.type }),
    defaultValue: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The trainer’s default for this kind.',
      resolve: (f) => f.defaultValue,
    }),
    min: t.float({ nullable: true, description: 'Lower bound (numbers).', resolve: (f) => f.min }),
    max: t.float({ nullable: true, description: 'Upper bound (numbers).', resolve: (f) => f.max }),
    options: t.stringList({
      description: 'Allowed values (enums, booleans); empty otherwise.',
      resolve: (f) => [...f.options],
    }),
    description: t.string({
      nullable: true,
      description: 'What the field does.',
      resolve: (f) => f.description,
    }),
  }),
});

const ModelKindInfoRef = builder.objectRef<ModelKindInfo>('ModelKindInfo').implement({
  description:
    'A model kind as the trainer’s registry defines it: its form fields and how a run of it is shown.',
  fields: (t) => ({
    kind: t.field({ type: ModelKindRef, description: 'The kind.', resolve: (k) => k.strategy.kind }),
    label: t.string({ description: 'Full name.', resolve: (k) => k.strategy.label }),
    shortLabel: t.string({ description: 'Short name for tables.', resolve: (k) => k.strategy.shortLabel }),
    description: t.exposeString('description', {
      description: 'What the kind is (the config’s description).',
    }),
    stepLabel: t.string({
      description: 'What one step is, as a step axis label (`step (updates)`, `iteration`).',
      resolve: (k) => k.strategy.stepLabel,
    }),
    lossLabel: t.string({ description: 'The loss its runs report.', resolve: (k) => k.strategy.lossLabel }),
    hostEngine: t.string({
      nullable: true,
      description: 'Where it computes when it uses no backend; null: the run’s backend.',
      resolve: (k) => k.strategy.hostEngine,
    }),
    fields: t.field({
      type: [ConfigFieldRef],
      description: 'The fields its config uses, task first, in form order.',
      resolve: (k) => k.fields,
    }),
    chips: t.field({
      type: [DisplayItemRef],
      description: 'The run header’s chips.',
      resolve: (k) => [...k.strategy.chips],
    }),
    columns: t.field({
      type: [DisplayItemRef],
      description: 'The runs table’s model cell (joined with “ / ”).',
      resolve: (k) => [...k.strategy.columns],
    }),
  }),
});

builder.queryFields((t) => ({
  modelKinds: t.field({
    type: [ModelKindInfoRef],
    description:
      'The model kinds the trainer knows, from its registry: form fields with defaults and ranges, display data.',
    resolve: () => [...MODEL_KIND_INFOS],
  }),
}));
