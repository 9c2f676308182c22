import type { z } from 'zod';

/**
 * A transport-neutral description of a zod object schema, enough to derive GraphQL input and output types
 * from the trainer's RunConfig so the run shape is written once.
 */
export type ShapeNode =
  | { kind: 'int'; min?: number; max?: number }
  | { kind: 'float'; min?: number; max?: number }
  | {
      kind: 'enum';
      path: string;
      values: readonly string[];
      /** Per value, where the schema says (a union's tag literals carry their variant's description). */
      valueDescriptions?: Readonly<Record<string, string>>;
    }
  | { kind: 'list'; of: ShapeNode }
  | { kind: 'boolean' }
  | { kind: 'object'; path: string; fields: Record<string, ShapeField> };

export interface ShapeField {
  node: ShapeNode;
  /** True when the field has no default: the input must carry it and the output always has it. */
  required: boolean;
  /** False for fields only some variants of a union have: null on the others. */
  always: boolean;
  description: string | undefined;
}

type AnyZod = z.core.$ZodType;

interface Unwrapped {
  inner: AnyZod;
  hasDefault: boolean;
  /** Optional without a default: may be absent from a stored config too. */
  absentable: boolean;
  description: string | undefined;
}

function descriptionOf(schema: AnyZod): string | undefined {
  return (schema as { description?: string }).description;
}

function unwrap(schema: AnyZod): Unwrapped {
  let inner = schema;
  let hasDefault = false;
  let absentable = false;
  let description = descriptionOf(schema);
  for (;;) {
    const def = inner._zod.def;
    if (def.type === 'default' || def.type === 'prefault' || def.type === 'optional') {
      if (def.type === 'optional' && !hasDefault) absentable = true;
      hasDefault = true;
      inner = (def as unknown as { innerType: AnyZod }).innerType;
      description ??= descriptionOf(inner);
      continue;
    }
    return { inner, hasDefault, absentable, description };
  }
}

function describeNode(schema: AnyZod, path: string): ShapeNode {
  const def = schema._zod.def;
  switch (def.type) {
    case 'number': {
      // zod's own number facts: int() sets isInt, min()/max() set minValue/maxValue.
      const number = schema as unknown as {
        isInt: boolean;
        minValue: number | null;
        maxValue: number | null;
      };
      const safe = (v: number | null) =>
        v !== null && Number.isFinite(v) && Math.abs(v) < Number.MAX_SAFE_INTEGER;
      const range = {
        ...(safe(number.minValue) && { min: number.minValue as number }),
        ...(safe(number.maxValue) && { max: number.maxValue as number }),
      };
      return number.isInt ? { kind: 'int', ...range } : { kind: 'float', ...range };
    }
    case 'enum':
      return {
        kind: 'enum',
        path,
        values: Object.values((def as unknown as { entries: Record<string, string> }).entries),
      };
    case 'object':
      return {
        kind: 'object',
        path,
        fields: describeFields((def as unknown as { shape: Record<string, AnyZod> }).shape, path),
      };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array':
      return {
        kind: 'list',
        of: describeNode(unwrap((def as unknown as { element: AnyZod }).element).inner, `${path}[]`),
      };
    case 'union':
      return describeUnion(def as unknown as { options: AnyZod[]; discriminator?: string }, path);
    default:
      throw new Error(`RunConfig field ${path || '(root)'}: zod type '${def.type}' has no GraphQL mapping`);
  }
}

function describeFields(shape: Record<string, AnyZod>, path: string): Record<string, ShapeField> {
  const fields: Record<string, ShapeField> = {};
  for (const [key, value] of Object.entries(shape)) {
    const { inner, hasDefault, absentable, description } = unwrap(value);
    const childPath = path ? `${path}.${key}` : key;
    fields[key] = {
      node: describeNode(inner, childPath),
      required: !hasDefault,
      always: !absentable,
      description,
    };
  }
  return fields;
}

/** A discriminated union becomes one object: the discriminator as a required enum, variant fields optional. */
function describeUnion(def: { options: AnyZod[]; discriminator?: string }, path: string): ShapeNode {
  const tag = def.discriminator;
  if (!tag) throw new Error(`RunConfig field ${path}: only discriminated unions map to GraphQL`);
  const values: string[] = [];
  const valueDescriptions: Record<string, string> = {};
  const fields: Record<string, ShapeField> = {};
  const seen = new Map<string, number>();
  for (const option of def.options) {
    const shape = (option._zod.def as unknown as { shape: Record<string, AnyZod> }).shape;
    for (const [key, value] of Object.entries(shape)) {
      if (key === tag) {
        const literal = String((value._zod.def as unknown as { values: unknown[] }).values[0]);
        values.push(literal);
        const described = descriptionOf(value);
        if (described) valueDescriptions[literal] = described;
        continue;
      }
      seen.set(key, (seen.get(key) ?? 0) + 1);
      if (fields[key]) continue;
      const { inner, description } = unwrap(value);
      fields[key] = {
        node: describeNode(inner, `${path}.${key}`),
        required: false,
        always: false,
        description,
      };
    }
  }
  for (const [key, field] of Object.entries(fields)) field.always = seen.get(key) === def.options.length;
  const tagField: ShapeField = {
    node: { kind: 'enum', path: `${path}.${tag}`, values, valueDescriptions },
    required: true,
    always: true,
    description: 'Which model family; the other fields apply to the kinds their descriptions name.',
  };
  return { kind: 'object', path, fields: { [tag]: tagField, ...fields } };
}

/** Describes a zod object schema (the RunConfig) for the GraphQL derivation. */
export function describeShape(schema: AnyZod): Extract<ShapeNode, { kind: 'object' }> {
  const node = describeNode(unwrap(schema).inner, '');
  if (node.kind !== 'object') throw new Error('describeShape expects an object schema');
  return node;
}
