/**
 * A condition as the filter bar writes it: on a config field (`model.alpha > 0.5`, `backend = WASM`), on a final
 * measure value from the run summary (`final.test_acc >= 0.99`) or on the grokking step (`grokStep < 5000`).
 */
export interface ConfigCondition {
  path: string;
  op: ConfigOp;
  /** As typed: a number for the comparisons, a number, enum value or boolean for `=`. */
  value: string;
}

export type ConfigOp = '=' | '>' | '>=' | '<' | '<=';

/** The wire shape (schema ConfigPredicate). */
export interface ConfigPredicateInput {
  path: string;
  eq?: number;
  eqString?: string;
  eqBoolean?: boolean;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

const CONDITION = /^\s*([A-Za-z][\w]*(?:\.[A-Za-z][\w]*)*)\s*(>=|<=|==|=|>|<)\s*(\S.*?)\s*$/;

/**
 * Parses `path op value`. Errors say which part is wrong, so the filter bar can show them beside the input.
 * Comparisons need a number; `=` also takes an enum value (`MLP`) or `true`/`false`.
 */
export function parseConfigCondition(text: string): ConfigCondition | { error: string } {
  const match = CONDITION.exec(text);
  if (!match) return { error: 'write it as path op value, e.g. model.alpha > 0.5 (ops: = > >= < <=)' };
  const [, path = '', rawOp = '', value = ''] = match;
  const op: ConfigOp = rawOp === '==' ? '=' : (rawOp as ConfigOp);
  if (op !== '=' && !isNumber(value)) return { error: `${op} needs a number, got "${value}"` };
  if (op === '=' && !isNumber(value) && !/^[A-Za-z_][\w]*$/.test(value)) {
    return { error: `= needs a number, a value such as MLP, or true/false; got "${value}"` };
  }
  return { path, op, value };
}

/** `model.alpha>0.5` in URLs and chips: compact and reversible through parseConfigCondition. */
export function formatConfigCondition(c: ConfigCondition): string {
  return `${c.path}${c.op}${c.value}`;
}

export function toConfigPredicate(c: ConfigCondition): ConfigPredicateInput {
  if (c.op !== '=') {
    const n = Number(c.value);
    const key = ({ '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' } as const)[c.op];
    return { path: c.path, [key]: n };
  }
  if (isNumber(c.value)) return { path: c.path, eq: Number(c.value) };
  if (c.value === 'true' || c.value === 'false') return { path: c.path, eqBoolean: c.value === 'true' };
  return { path: c.path, eqString: c.value };
}

/** A summary condition's wire shape (schema FinalScalarPredicate; NumberRange without `measure`). */
export interface NumberRangeInput {
  eq?: number;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export type ConditionTarget = { kind: 'config' } | { kind: 'final'; measure: string } | { kind: 'grokStep' };

const FINAL_PREFIX = 'final.';

/** Where a condition applies: `final.<measure>` and `grokStep` read the run summary, anything else the config. */
export function conditionTarget(c: ConfigCondition): ConditionTarget {
  if (c.path.startsWith(FINAL_PREFIX)) return { kind: 'final', measure: c.path.slice(FINAL_PREFIX.length) };
  if (c.path === 'grokStep') return { kind: 'grokStep' };
  return { kind: 'config' };
}

/** A summary condition as NumberRange comparisons; null when the value is not a number (summaries are numbers). */
export function toNumberRange(c: ConfigCondition): NumberRangeInput | null {
  if (!isNumber(c.value)) return null;
  const key = ({ '=': 'eq', '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' } as const)[c.op];
  return { [key]: Number(c.value) };
}

function isNumber(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}
