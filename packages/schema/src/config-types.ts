import { type RunConfig, runConfigSchema } from '@grokscope/trainer';
import type { InputFieldRef, ObjectFieldBuilder, ObjectRef } from '@pothos/core';
import { builder, type SchemaTypes } from './builder.ts';
import { describeShape, type ShapeField, type ShapeNode } from './zod-shape.ts';

/** GraphQL names for the derived types, by config path ('' is the root). */
const OBJECT_NAMES: Record<string, { input: string; output: string }> = {
  '': { input: 'RunConfigInput', output: 'RunConfig' },
  model: { input: 'ModelConfigInput', output: 'ModelConfig' },
  optimizer: { input: 'OptimizerInput', output: 'OptimizerConfig' },
  cadence: { input: 'CadenceInput', output: 'CadenceConfig' },
  analysis: { input: 'AnalysisInput', output: 'AnalysisConfig' },
  'analysis.verdict': { input: 'VerdictThresholdsInput', output: 'VerdictThresholds' },
};
const ENUM_NAMES: Record<string, string> = {
  backend: 'Backend',
  operation: 'Operation',
  'model.kind': 'ModelKind',
  'model.combine': 'EmbeddingCombine',
  'model.activation': 'Activation',
};

type Types = PothosSchemaTypes.ExtendDefaultTypes<SchemaTypes>;
/** A config object as it crosses GraphQL: validated by zod afterwards, so GraphQL only checks types. */
type ConfigValue = object | string | number | boolean | null | undefined;
type ConfigObject = Record<string, ConfigValue>;
/** A stored config (jsonb): zod-validated when it was written. */
type StoredConfig = Record<string, unknown>;

/** `model.kernel` → `ModelKernel`: names for parts of the config added after the tables above were written. */
function pascal(path: string): string {
  return path.replace(/(^|\.)(\w)/g, (_match, _dot: string, letter: string) => letter.toUpperCase());
}

function nameFor(path: string, which: 'input' | 'output'): string {
  return OBJECT_NAMES[path]?.[which] ?? `${pascal(path)}${which === 'input' ? 'Input' : 'Config'}`;
}

function rangeNote(node: ShapeNode): string {
  if (node.kind !== 'int' && node.kind !== 'float') return '';
  const parts = [node.min !== undefined && `min ${node.min}`, node.max !== undefined && `max ${node.max}`];
  const text = parts.filter(Boolean).join(', ');
  return text ? ` (${text})` : '';
}

const enums = new Map<string, { ref: ReturnType<typeof builder.enumType>; values: string }>();
function enumRef(node: Extract<ShapeNode, { kind: 'enum' }>) {
  // A new enum is named after its key (`model.kernel` → `Kernel`) unless ENUM_NAMES says otherwise.
  const name = ENUM_NAMES[node.path] ?? pascal(node.path.split('.').at(-1) ?? node.path);
  const values = node.values.join('|');
  const known = enums.get(name);
  if (known && known.values !== values) {
    throw new Error(
      `RunConfig enums at two paths would both be named ${name}; name '${node.path}' in ENUM_NAMES`,
    );
  }
  if (known) return known.ref;
  // Enum values are the config's own strings so one JSON config works in the CLI, the API and the web form.
  const ref = builder.enumType(name, {
    description: `Allowed values of the run config's \`${node.path}\`.`,
    values: Object.fromEntries(
      node.values.map((value) => [
        value,
        { value, description: node.valueDescriptions?.[value] ?? `\`${node.path}\` = \`${value}\`.` },
      ]),
    ),
  });
  enums.set(name, { ref, values });
  return ref;
}

function buildInput(node: Extract<ShapeNode, { kind: 'object' }>) {
  return builder.inputRef<ConfigObject>(nameFor(node.path, 'input')).implement({
    description: `Run configuration${node.path ? ` (${node.path})` : ''}; omitted fields take their defaults.`,
    fields: (t) => {
      const fields: Record<string, InputFieldRef<Types, ConfigValue>> = {};
      for (const [key, field] of Object.entries(node.fields)) {
        const description = `${field.description ?? key}${rangeNote(field.node)}`;
        const required = field.required;
        const child = field.node;
        if (child.kind === 'int') fields[key] = t.int({ required, description });
        else if (child.kind === 'float') fields[key] = t.float({ required, description });
        else if (child.kind === 'enum')
          fields[key] = t.field({ type: enumRef(child), required, description });
        else if (child.kind === 'list') fields[key] = listInput(t, child, required, description);
        else if (child.kind === 'boolean') fields[key] = t.boolean({ required, description });
        else fields[key] = t.field({ type: buildInput(child), required, description });
      }
      return fields;
    },
  });
}

type InputBuilder = Parameters<
  Parameters<ReturnType<typeof builder.inputRef<ConfigObject>>['implement']>[0]['fields']
>[0];

/** Lists in the config are lists of numbers (e.g. fixed key frequencies). */
function listInput(
  t: InputBuilder,
  node: Extract<ShapeNode, { kind: 'list' }>,
  required: boolean,
  description: string,
) {
  if (node.of.kind === 'int') return t.intList({ required, description });
  if (node.of.kind === 'float') return t.floatList({ required, description });
  throw new Error('RunConfig lists must hold numbers');
}

function buildOutput(node: Extract<ShapeNode, { kind: 'object' }>): ObjectRef<Types, StoredConfig> {
  const ref = builder.objectRef<StoredConfig>(nameFor(node.path, 'output'));
  ref.implement({
    description: `Run configuration${node.path ? ` (${node.path})` : ''} as validated, defaults filled in.`,
    fields: (t) =>
      Object.fromEntries(
        Object.entries(node.fields).map(([key, field]) => [key, outputField(t, key, field)]),
      ),
  });
  return ref;
}

function outputField(t: ObjectFieldBuilder<Types, StoredConfig>, key: string, field: ShapeField) {
  const description = field.description ?? key;
  const nullable = !field.always;
  const child = field.node;
  const read = (parent: StoredConfig) => parent[key];
  if (child.kind === 'int') return t.int({ description, nullable, resolve: (p) => read(p) as number });
  if (child.kind === 'float') return t.float({ description, nullable, resolve: (p) => read(p) as number });
  if (child.kind === 'enum')
    return t.field({ type: enumRef(child), description, nullable, resolve: (p) => read(p) as string });
  if (child.kind === 'boolean')
    return t.boolean({ description, nullable, resolve: (p) => read(p) as boolean });
  if (child.kind === 'list') {
    const type = child.of.kind === 'int' ? 'Int' : 'Float';
    return t.field({ type: [type], description, nullable, resolve: (p) => read(p) as number[] });
  }
  return t.field({
    type: buildOutput(child),
    description,
    nullable,
    resolve: (p) => read(p) as StoredConfig,
  });
}

/** The RunConfig shape, also used to check the paths of config filters. */
export const configShape = describeShape(runConfigSchema);
const shape = configShape;

// Enum refs are made now, not inside the lazy field thunks, so `Run.backend` can name `Backend` at load time.
function registerEnums(node: ShapeNode): void {
  if (node.kind === 'enum') enumRef(node);
  if (node.kind === 'list') registerEnums(node.of);
  if (node.kind === 'object') for (const field of Object.values(node.fields)) registerEnums(field.node);
}
registerEnums(shape);

/** `RunConfigInput`, derived from the trainer's zod RunConfig: the shape is written once, in the trainer. */
export const RunConfigInputRef = buildInput(shape);
/**
 * `RunConfig`, the stored, fully defaulted config, typed as the trainer's RunConfig: its fields were derived from
 * that zod schema above, so the shape is the same (test/stored-run.test.ts checks it against the drizzle row).
 */
export const RunConfigRef = buildOutput(shape) as unknown as ObjectRef<Types, RunConfig>;
const backend = enums.get('Backend');
if (!backend) throw new Error('RunConfig has no backend enum');
export const BackendRef = backend.ref;
const modelKind = enums.get('ModelKind');
if (!modelKind) throw new Error('RunConfig has no model kind enum');
export const ModelKindRef = modelKind.ref;
