/**
 * The fields the form edits, each with its path in RunConfigInput (the path the server's issues use).
 * A registry rather than markup: parsing, hints and error placement all iterate over it.
 */
export type FieldKind = 'int' | 'float' | 'enum' | 'text';

export interface FieldSpec {
  key: FieldKey;
  label: string;
  /** Dotted path in RunConfigInput, or `name` for the run name (not part of the config). */
  path: string;
  kind: FieldKind;
  unit?: string;
}

export type FieldKey =
  | 'p'
  | 'trainFraction'
  | 'seed'
  | 'steps'
  | 'embedDim'
  | 'hiddenDim'
  | 'lr'
  | 'weightDecay'
  | 'backend'
  | 'name';

export const FIELDS: readonly FieldSpec[] = [
  { key: 'p', label: 'Modulus p', path: 'p', kind: 'int' },
  {
    key: 'trainFraction',
    label: 'Train fraction',
    path: 'trainFraction',
    kind: 'float',
    unit: 'of p² pairs',
  },
  { key: 'seed', label: 'Seed', path: 'seed', kind: 'int' },
  { key: 'embedDim', label: 'Embedding dim', path: 'model.embedDim', kind: 'int', unit: 'units' },
  { key: 'hiddenDim', label: 'Hidden dim', path: 'model.hiddenDim', kind: 'int', unit: 'units' },
  { key: 'lr', label: 'Learning rate', path: 'optimizer.lr', kind: 'float' },
  { key: 'weightDecay', label: 'Weight decay', path: 'optimizer.weightDecay', kind: 'float' },
  { key: 'steps', label: 'Steps', path: 'steps', kind: 'int', unit: 'updates' },
  { key: 'backend', label: 'Backend', path: 'backend', kind: 'enum' },
  { key: 'name', label: 'Name', path: 'name', kind: 'text' },
];

export const FIELD_GROUPS: readonly { title: string; keys: readonly FieldKey[] }[] = [
  { title: 'Task', keys: ['p', 'trainFraction', 'seed'] },
  { title: 'Model · MLP', keys: ['embedDim', 'hiddenDim'] },
  { title: 'Optimiser · AdamW', keys: ['lr', 'weightDecay'] },
  { title: 'Run', keys: ['steps', 'backend', 'name'] },
];

export function fieldByKey(key: FieldKey): FieldSpec {
  const field = FIELDS.find((f) => f.key === key);
  if (!field) throw new Error(`unknown field ${key}`);
  return field;
}
