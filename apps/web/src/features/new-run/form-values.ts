import type { ModelKindInfo } from '../model-kinds/queries.ts';
import { activeFields, fieldKey, MODEL_KIND_KEY, NAME_KEY } from './form-fields.ts';
import type { RunConfigInput } from './queries.ts';

/** What the inputs hold, by field key: text as typed, so "1e-" or "0." mid-edit is not clobbered by parsing. */
export type FormValues = Readonly<Record<string, string>>;

/**
 * Starting text of every field of every kind, from the registry's defaults (the trainer's zod defaults), so
 * switching kind shows that kind's defaults; `startKind` is the kind the form opens on.
 */
export function initialValues(kinds: readonly ModelKindInfo[], startKind: string): FormValues {
  const values: Record<string, string> = { [MODEL_KIND_KEY]: startKind, [NAME_KEY]: '' };
  for (const kind of kinds) {
    for (const field of kind.fields) {
      const key = fieldKey(field.path);
      values[key] ??=
        field.defaultValue === null || field.defaultValue === undefined ? '' : String(field.defaultValue);
    }
  }
  return values;
}

/** The kind the form is set to (the first kind if the text names none). */
export function formModelKind(values: FormValues, kinds: readonly ModelKindInfo[]): ModelKindInfo {
  const kind = kinds.find((k) => k.kind === values[MODEL_KIND_KEY]) ?? kinds[0];
  if (!kind) throw new Error('the server lists no model kinds');
  return kind;
}

export interface ParsedForm {
  config: RunConfigInput;
  name: string | null;
  /** Errors found before asking the server (not a number, empty), by field path. */
  localErrors: Map<string, string>;
}

const INT = /^[+-]?\d+$/;

/** Sets `value` at a dotted path, creating the objects on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1) as string] = value;
}

/**
 * Turns the typed text into a RunConfigInput with only the fields of the chosen kind. Fields that do not parse are
 * left out of the config (the server would fill defaults) and reported in `localErrors`, so submission stays blocked
 * until they are fixed.
 */
export function parseForm(values: FormValues, kinds: readonly ModelKindInfo[]): ParsedForm {
  const kind = formModelKind(values, kinds);
  const localErrors = new Map<string, string>();
  const config: Record<string, unknown> = { model: { kind: kind.kind } };
  for (const field of activeFields(kind, kinds)) {
    if (field.path === 'model.kind' || field.key === NAME_KEY) continue;
    const text = (values[field.key] ?? '').trim();
    if (field.valueType === 'BOOLEAN') setPath(config, field.path, text === 'true');
    else if (field.valueType === 'ENUM') setPath(config, field.path, text);
    else if (text === '') localErrors.set(field.path, 'required');
    else {
      const n = Number(text);
      if (!Number.isFinite(n)) localErrors.set(field.path, 'must be a number');
      else if (field.valueType === 'INT' && !INT.test(text))
        localErrors.set(field.path, 'must be a whole number');
      else setPath(config, field.path, n);
    }
  }
  const name = (values[NAME_KEY] ?? '').trim();
  // The shape is the registry's paths on the server's own RunConfigInput; GraphQL and zod check it on arrival.
  return { config: config as RunConfigInput, name: name === '' ? null : name, localErrors };
}
