import { z } from 'zod';

/** What a form field can say about itself, read from the server's JSON Schema of RunConfigInput. */
export interface FieldHint {
  description: string | null;
  /** Human range such as "[3, 257]" or "(0, 1)" (interval notation: brackets include, parentheses exclude). */
  range: string | null;
  integer: boolean;
  options: string[];
  /** The schema's `default`, as form text (null when it gives none). */
  defaultValue: string | null;
}

// Loose on purpose: we read only the keywords we show and tolerate everything else a generator may emit.
const nodeSchema = z
  .object({
    properties: z.record(z.string(), z.unknown()).optional(),
    oneOf: z.array(z.unknown()).optional(),
    anyOf: z.array(z.unknown()).optional(),
    allOf: z.array(z.unknown()).optional(),
    $ref: z.string().optional(),
    description: z.string().optional(),
    type: z.union([z.string(), z.array(z.string())]).optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    exclusiveMinimum: z.number().optional(),
    exclusiveMaximum: z.number().optional(),
    enum: z.array(z.unknown()).optional(),
    default: z.unknown().optional(),
  })
  .loose();
type Node = z.infer<typeof nodeSchema>;

const EMPTY: FieldHint = { description: null, range: null, integer: false, options: [], defaultValue: null };

/** The hint for a dotted path (`model.embedDim`), following properties, $ref and oneOf/anyOf/allOf branches. */
export function fieldHint(schema: unknown, path: string): FieldHint {
  let node = resolve(schema, schema);
  for (const key of path.split('.')) {
    node = node ? child(schema, node, key) : null;
  }
  if (!node) return EMPTY;
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  return {
    description: node.description ?? null,
    range: describeRange(node),
    integer: types.includes('integer'),
    options: (node.enum ?? []).filter((v): v is string => typeof v === 'string'),
    defaultValue:
      typeof node.default === 'number' || typeof node.default === 'string' ? String(node.default) : null,
  };
}

function resolve(root: unknown, value: unknown, depth = 0): Node | null {
  const parsed = nodeSchema.safeParse(value);
  if (!parsed.success) return null;
  const ref = parsed.data.$ref;
  if (!ref || depth > 8) return parsed.data;
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const defs = match && isRecord(root) ? root[match[1] as string] : undefined;
  const target = match && isRecord(defs) ? defs[match[2] as string] : undefined;
  return resolve(root, target, depth + 1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function child(root: unknown, node: Node, key: string): Node | null {
  const direct = node.properties?.[key];
  if (direct !== undefined) return resolve(root, direct);
  for (const branch of [...(node.allOf ?? []), ...(node.oneOf ?? []), ...(node.anyOf ?? [])]) {
    const resolved = resolve(root, branch);
    const found = resolved && child(root, resolved, key);
    if (found) return found;
  }
  return null;
}

function describeRange(node: Node): string | null {
  const lo = node.exclusiveMinimum ?? node.minimum;
  const hi = node.exclusiveMaximum ?? node.maximum;
  if (lo === undefined && hi === undefined) return null;
  const open = node.exclusiveMinimum !== undefined ? '(' : '[';
  const close = node.exclusiveMaximum !== undefined ? ')' : ']';
  if (hi === undefined) return `${open}${fmt(lo as number)}, ∞)`;
  if (lo === undefined) return `(−∞, ${fmt(hi)}${close}`;
  return `${open}${fmt(lo)}, ${fmt(hi)}${close}`;
}

/** Large integers get thin-space thousands separators (2 147 483 647), which read better than 2.147483647e9. */
function fmt(n: number): string {
  return Number.isInteger(n) && Math.abs(n) >= 10_000
    ? n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f')
    : String(n);
}
