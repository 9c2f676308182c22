import type { Backend } from '../../graphql/enums.ts';
import {
  activeKeys,
  FIELDS,
  type FieldKey,
  isModelKind,
  type Kernel,
  type ModelKind,
  type Operation,
} from './form-fields.ts';
import type { DefaultRunConfig, RunConfigInput } from './queries.ts';

/** What the inputs hold: text as typed, so "1e-" or "0." mid-edit is not clobbered by parsing. */
export type FormValues = Record<FieldKey, string>;

/**
 * Starting values of the fields the default config does not carry (the other model kinds'), used only where the
 * server's JSON Schema gives no `default` (it normally does; these match the trainer's).
 */
export const FALLBACK_DEFAULTS: Partial<FormValues> = {
  operation: 'add',
  dModel: '128',
  heads: '4',
  dMlp: '512',
  alpha: '1',
  kernel: 'GAUSSIAN',
  bandwidth: '12.5',
  ridge: '0',
  iterations: '50',
};

/** Form text from the default config; `schemaDefaults` (from the JSON Schema) fill the fields it lacks. */
export function valuesFromConfig(
  config: DefaultRunConfig,
  schemaDefaults: Partial<FormValues> = {},
): FormValues {
  const extra = { ...FALLBACK_DEFAULTS, ...schemaDefaults };
  const pick = (key: FieldKey) => extra[key] ?? '';
  return {
    p: String(config.p),
    operation: config.operation ?? pick('operation'),
    trainFraction: String(config.trainFraction),
    seed: String(config.seed),
    steps: String(config.steps),
    modelKind: config.model.kind,
    embedDim: String(config.model.embedDim ?? pick('embedDim')),
    hiddenDim: String(config.model.hiddenDim ?? pick('hiddenDim')),
    dModel: pick('dModel'),
    heads: pick('heads'),
    dMlp: pick('dMlp'),
    alpha: pick('alpha'),
    kernel: pick('kernel'),
    bandwidth: pick('bandwidth'),
    ridge: pick('ridge'),
    iterations: pick('iterations'),
    lr: String(config.optimizer.lr),
    weightDecay: String(config.optimizer.weightDecay),
    backend: config.backend,
    name: '',
  };
}

export interface ParsedForm {
  config: RunConfigInput;
  name: string | null;
  /** Errors found before asking the server (not a number, empty), by field path. */
  localErrors: Map<string, string>;
}

const INT = /^[+-]?\d+$/;

/** The model kind the form is set to (MLP if the text is not one). */
export function formModelKind(values: FormValues): ModelKind {
  return isModelKind(values.modelKind) ? values.modelKind : 'MLP';
}

/**
 * Turns the typed text into a RunConfigInput with only the fields of the chosen model kind. Fields that do not parse
 * are left out of the config (the server would fill defaults) and reported in `localErrors`, so submission stays
 * blocked until they are fixed.
 */
export function parseForm(values: FormValues): ParsedForm {
  const kind = formModelKind(values);
  const active = activeKeys(kind);
  const localErrors = new Map<string, string>();
  const numbers = new Map<FieldKey, number>();
  for (const field of FIELDS) {
    if (!active.has(field.key) || (field.kind !== 'int' && field.kind !== 'float')) continue;
    const text = values[field.key].trim();
    if (text === '') {
      localErrors.set(field.path, 'required');
      continue;
    }
    const n = Number(text);
    if (!Number.isFinite(n)) localErrors.set(field.path, 'must be a number');
    else if (field.kind === 'int' && !INT.test(text)) localErrors.set(field.path, 'must be a whole number');
    else numbers.set(field.key, n);
  }
  const num = (key: FieldKey) => numbers.get(key);
  const config: RunConfigInput = {
    ...withNumber('p', num('p')),
    operation: values.operation as Operation,
    ...withNumber('trainFraction', num('trainFraction')),
    ...withNumber('seed', num('seed')),
    model: modelInput(kind, values, num),
  };
  if (kind !== 'RFM') {
    Object.assign(config, {
      ...withNumber('steps', num('steps')),
      backend: values.backend as Backend,
      optimizer: {
        ...withNumber('lr', num('lr')),
        ...withNumber('weightDecay', num('weightDecay')),
      },
    });
  }
  const name = values.name.trim();
  return { config, name: name === '' ? null : name, localErrors };
}

function modelInput(
  kind: ModelKind,
  values: FormValues,
  num: (key: FieldKey) => number | undefined,
): NonNullable<RunConfigInput['model']> {
  if (kind === 'TRANSFORMER') {
    return {
      kind,
      ...withNumber('dModel', num('dModel')),
      ...withNumber('heads', num('heads')),
      ...withNumber('dMlp', num('dMlp')),
      ...withNumber('alpha', num('alpha')),
    };
  }
  if (kind === 'RFM') {
    return {
      kind,
      kernel: values.kernel as Kernel,
      ...withNumber('bandwidth', num('bandwidth')),
      ...withNumber('ridge', num('ridge')),
      ...withNumber('iterations', num('iterations')),
    };
  }
  return { kind, ...withNumber('embedDim', num('embedDim')), ...withNumber('hiddenDim', num('hiddenDim')) };
}

// Optional input fields are omitted, not sent as undefined (exactOptionalPropertyTypes, and cleaner variables).
function withNumber<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]: number });
}
