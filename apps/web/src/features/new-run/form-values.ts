import type { Backend } from '../../graphql/enums.ts';
import { FIELDS, type FieldKey } from './form-fields.ts';
import type { DefaultRunConfig, RunConfigInput } from './queries.ts';

/** What the inputs hold: text as typed, so "1e-" or "0." mid-edit is not clobbered by parsing. */
export type FormValues = Record<FieldKey, string>;

export function valuesFromConfig(config: DefaultRunConfig): FormValues {
  return {
    p: String(config.p),
    trainFraction: String(config.trainFraction),
    seed: String(config.seed),
    steps: String(config.steps),
    embedDim: String(config.model.embedDim),
    hiddenDim: String(config.model.hiddenDim),
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

/**
 * Turns the typed text into a RunConfigInput. Fields that do not parse are left out of the config (the server would
 * fill defaults) and reported in `localErrors`, so submission stays blocked until they are fixed.
 */
export function parseForm(values: FormValues): ParsedForm {
  const localErrors = new Map<string, string>();
  const numbers = new Map<FieldKey, number>();
  for (const field of FIELDS) {
    if (field.kind !== 'int' && field.kind !== 'float') continue;
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
    ...withNumber('trainFraction', num('trainFraction')),
    ...withNumber('seed', num('seed')),
    ...withNumber('steps', num('steps')),
    backend: values.backend as Backend,
    model: {
      kind: 'MLP',
      ...withNumber('embedDim', num('embedDim')),
      ...withNumber('hiddenDim', num('hiddenDim')),
    },
    optimizer: {
      ...withNumber('lr', num('lr')),
      ...withNumber('weightDecay', num('weightDecay')),
    },
  };
  const name = values.name.trim();
  return { config, name: name === '' ? null : name, localErrors };
}

// Optional input fields are omitted, not sent as undefined (exactOptionalPropertyTypes, and cleaner variables).
function withNumber<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]: number });
}
