/**
 * The fields the form edits, each with its path in RunConfigInput (the path the server's issues use).
 * A registry rather than markup: parsing, hints and error placement all iterate over it. Which fields apply
 * depends on the model kind (`fieldGroups`), as in the server's config: an RFM has no optimiser and no steps.
 */
import type { introspection_types } from '../../graphql/graphql-env.d.ts';

export type FieldKind = 'int' | 'float' | 'enum' | 'text';
export type ModelKind = introspection_types['ModelKind']['enumValues'];
export type Operation = introspection_types['Operation']['enumValues'];
export type Kernel = introspection_types['Kernel']['enumValues'];

export interface FieldSpec {
  key: FieldKey;
  label: string;
  /** Dotted path in RunConfigInput, or `name` for the run name (not part of the config). */
  path: string;
  kind: FieldKind;
  unit?: string;
  /** Choices of an enum field when the SDL fixes them (the JSON Schema's `oneOf` branches would give one each). */
  options?: readonly string[];
}

export type FieldKey =
  | 'p'
  | 'operation'
  | 'trainFraction'
  | 'seed'
  | 'steps'
  | 'modelKind'
  | 'embedDim'
  | 'hiddenDim'
  | 'dModel'
  | 'heads'
  | 'dMlp'
  | 'alpha'
  | 'kernel'
  | 'bandwidth'
  | 'ridge'
  | 'iterations'
  | 'lr'
  | 'weightDecay'
  | 'backend'
  | 'name';

export const MODEL_KINDS: readonly ModelKind[] = ['MLP', 'TRANSFORMER', 'RFM'];
export const OPERATIONS: readonly Operation[] = ['add', 'sub', 'mul', 'div'];
export const KERNELS: readonly Kernel[] = ['GAUSSIAN', 'QUADRATIC'];

export const FIELDS: readonly FieldSpec[] = [
  { key: 'p', label: 'Modulus p', path: 'p', kind: 'int' },
  { key: 'operation', label: 'Operation', path: 'operation', kind: 'enum', options: OPERATIONS },
  {
    key: 'trainFraction',
    label: 'Train fraction',
    path: 'trainFraction',
    kind: 'float',
    unit: 'of p² pairs',
  },
  { key: 'seed', label: 'Seed', path: 'seed', kind: 'int' },
  { key: 'modelKind', label: 'Model', path: 'model.kind', kind: 'enum', options: MODEL_KINDS },
  { key: 'embedDim', label: 'Embedding dim', path: 'model.embedDim', kind: 'int', unit: 'units' },
  { key: 'hiddenDim', label: 'Hidden dim', path: 'model.hiddenDim', kind: 'int', unit: 'units' },
  { key: 'dModel', label: 'd_model', path: 'model.dModel', kind: 'int', unit: 'units' },
  { key: 'heads', label: 'Heads', path: 'model.heads', kind: 'int' },
  { key: 'dMlp', label: 'd_mlp', path: 'model.dMlp', kind: 'int', unit: 'units' },
  { key: 'alpha', label: 'Attention rate α', path: 'model.alpha', kind: 'float' },
  { key: 'kernel', label: 'Kernel', path: 'model.kernel', kind: 'enum', options: KERNELS },
  { key: 'bandwidth', label: 'Bandwidth D', path: 'model.bandwidth', kind: 'float' },
  { key: 'ridge', label: 'Ridge λ', path: 'model.ridge', kind: 'float' },
  { key: 'iterations', label: 'Iterations', path: 'model.iterations', kind: 'int', unit: 'steps' },
  { key: 'lr', label: 'Learning rate', path: 'optimizer.lr', kind: 'float' },
  { key: 'weightDecay', label: 'Weight decay', path: 'optimizer.weightDecay', kind: 'float' },
  { key: 'steps', label: 'Steps', path: 'steps', kind: 'int', unit: 'updates' },
  { key: 'backend', label: 'Backend', path: 'backend', kind: 'enum' },
  { key: 'name', label: 'Name', path: 'name', kind: 'text' },
];

const MODEL_KEYS: Record<ModelKind, readonly FieldKey[]> = {
  MLP: ['embedDim', 'hiddenDim'],
  TRANSFORMER: ['dModel', 'heads', 'dMlp', 'alpha'],
  RFM: ['kernel', 'bandwidth', 'ridge', 'iterations'],
};

/**
 * What each kind is, as the SDL's ModelKind values say: the JSON Schema's `model.kind` hint would come from the
 * first union branch (the MLP's) whatever is selected.
 */
export const MODEL_KIND_DESCRIPTION: Record<ModelKind, string> = {
  MLP: 'Shared token embedding, combined, ReLU or SiLU hidden layers, linear read-out (AdamW, full batch).',
  TRANSFORMER: 'One-layer transformer (Nanda; Clock/Pizza): attention with rate α, ReLU MLP, no LayerNorm.',
  RFM: 'Recursive Feature Machine: kernel ridge regression on one-hot (a, b) with a feature matrix learned from the AGOP; one step per iteration.',
};

const MODEL_TITLE: Record<ModelKind, string> = { MLP: 'MLP', TRANSFORMER: 'Transformer', RFM: 'RFM' };

/** The groups shown for a model kind; an RFM is solved, not optimised, and iterations replace steps. */
export function fieldGroups(kind: ModelKind): { title: string; keys: readonly FieldKey[] }[] {
  const groups = [
    { title: 'Task', keys: ['p', 'operation', 'trainFraction', 'seed'] as FieldKey[] },
    { title: `Model · ${MODEL_TITLE[kind]}`, keys: ['modelKind', ...MODEL_KEYS[kind]] as FieldKey[] },
  ];
  if (kind === 'RFM') return [...groups, { title: 'Run', keys: ['name'] }];
  return [
    ...groups,
    { title: 'Optimiser · AdamW', keys: ['lr', 'weightDecay'] },
    { title: 'Run', keys: ['steps', 'backend', 'name'] },
  ];
}

/** The fields a config of this kind is built from (and the only ones checked). */
export function activeKeys(kind: ModelKind): Set<FieldKey> {
  return new Set(fieldGroups(kind).flatMap((g) => g.keys));
}

export function isModelKind(value: string): value is ModelKind {
  return (MODEL_KINDS as readonly string[]).includes(value);
}

export function fieldByKey(key: FieldKey): FieldSpec {
  const field = FIELDS.find((f) => f.key === key);
  if (!field) throw new Error(`unknown field ${key}`);
  return field;
}
