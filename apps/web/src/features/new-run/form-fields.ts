/**
 * The fields the form edits, built from the server's model-kind registry (`modelKinds`): which fields a kind has,
 * their labels, units, types, options and defaults all come from the trainer, so the form holds no copy of them.
 * A field's key (its input name and test id) is the last part of its config path; the kind select is `modelKind`.
 */
import type { ConfigField, ModelKindInfo } from '../model-kinds/queries.ts';

export type FieldKind = 'int' | 'float' | 'enum' | 'text';

export interface FieldSpec {
  key: string;
  label: string;
  /** Dotted path in RunConfigInput, or `name` for the run name (not part of the config). */
  path: string;
  kind: FieldKind;
  /** The config value type: booleans are edited as an enum of `true`/`false`. */
  valueType: ConfigField['type'] | 'TEXT';
  unit?: string;
  options: readonly string[];
}

export const MODEL_KIND_KEY = 'modelKind';
export const NAME_KEY = 'name';

const KIND_FIELD: FieldSpec = {
  key: MODEL_KIND_KEY,
  label: 'Model',
  path: 'model.kind',
  kind: 'enum',
  valueType: 'ENUM',
  options: [],
};
const NAME_FIELD: FieldSpec = {
  key: NAME_KEY,
  label: 'Name',
  path: 'name',
  kind: 'text',
  valueType: 'TEXT',
  options: [],
};

export function fieldKey(path: string): string {
  return path.split('.').at(-1) ?? path;
}

export function fieldSpec(field: ConfigField): FieldSpec {
  const kind: FieldKind = field.type === 'INT' ? 'int' : field.type === 'FLOAT' ? 'float' : 'enum';
  return {
    key: fieldKey(field.path),
    label: field.label,
    path: field.path,
    kind,
    valueType: field.type,
    ...(field.unit !== null && { unit: field.unit }),
    options: field.options,
  };
}

const GROUP_TITLES: Record<ConfigField['group'], string> = {
  TASK: 'Task',
  MODEL: 'Model',
  OPTIMIZER: 'Optimiser · AdamW',
  RUN: 'Run',
};

export interface FieldGroupView {
  title: string;
  fields: readonly FieldSpec[];
}

/** The groups shown for a kind, in the registry's field order; the kind select leads the model group. */
export function fieldGroups(kind: ModelKindInfo, kinds: readonly ModelKindInfo[]): FieldGroupView[] {
  const kindField = { ...KIND_FIELD, options: kinds.map((k) => k.kind) };
  const groups: FieldGroupView[] = [];
  for (const group of ['TASK', 'MODEL', 'OPTIMIZER', 'RUN'] as const) {
    const fields = kind.fields.filter((f) => f.group === group).map(fieldSpec);
    if (group === 'MODEL') fields.unshift(kindField);
    if (group === 'RUN') fields.push(NAME_FIELD);
    if (fields.length === 0 && group !== 'RUN') continue;
    const title = group === 'MODEL' ? `Model · ${kind.label}` : GROUP_TITLES[group];
    groups.push({ title, fields });
  }
  return groups;
}

/** Every field of a kind that the form shows (task, model, optimiser, run, name). */
export function activeFields(kind: ModelKindInfo, kinds: readonly ModelKindInfo[]): FieldSpec[] {
  return fieldGroups(kind, kinds).flatMap((g) => g.fields);
}
