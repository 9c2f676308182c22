import { and, arrayContains, eq, inArray, not, or, type SQL, sql } from 'drizzle-orm';
import { type RunStatus, runs } from '../schema.ts';
import { isUuid } from '../uuid.ts';

/** A comparison on one leaf of the stored config, e.g. `{ path: ['model', 'alpha'], gt: 0.5 }`; all given ops must hold. */
export interface ConfigPredicate {
  /** Keys from the config root; each a plain identifier (validated again here, since it becomes SQL). */
  path: readonly string[];
  eq?: number | string | boolean;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

/** Every given condition must hold (AND); `and`/`or`/`not` combine nested filters. */
export interface RunFilter {
  status?: readonly RunStatus[];
  kind?: string;
  /** Model kind is one of these. */
  kinds?: readonly string[];
  /** Runs carrying this tag. */
  tag?: string;
  /** Runs carrying every one of these tags. */
  tags?: readonly string[];
  sweepId?: string;
  /** Case-insensitive glob on the name: `*` any run of characters, `?` one character, everything else literal. */
  namePattern?: string;
  config?: readonly ConfigPredicate[];
  and?: readonly RunFilter[];
  or?: readonly RunFilter[];
  not?: RunFilter;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The filter as one SQL condition over `runs` (undefined: no condition). Nothing is filtered in memory. */
export function runFilterSql(filter: RunFilter): SQL | undefined {
  return and(
    filter.status ? inArray(runs.status, [...filter.status]) : undefined,
    filter.kind === undefined ? undefined : eq(runs.kind, filter.kind),
    filter.kinds ? inArray(runs.kind, [...filter.kinds]) : undefined,
    filter.tag === undefined ? undefined : arrayContains(runs.tags, [filter.tag]),
    filter.tags?.length ? arrayContains(runs.tags, [...filter.tags]) : undefined,
    filter.sweepId === undefined
      ? undefined
      : isUuid(filter.sweepId)
        ? eq(runs.sweepId, filter.sweepId)
        : sql`false`,
    filter.namePattern === undefined
      ? undefined
      : sql`${runs.name} ILIKE ${globToLike(filter.namePattern)} ESCAPE '\\'`,
    ...(filter.config ?? []).map(configPredicateSql),
    filter.and ? and(...filter.and.map(runFilterSql)) : undefined,
    // An empty `or` matches nothing, as an empty disjunction should.
    filter.or ? (or(...filter.or.map((f) => runFilterSql(f) ?? sql`true`)) ?? sql`false`) : undefined,
    filter.not ? not(runFilterSql(filter.not) ?? sql`true`) : undefined,
  );
}

/** `*` → `%`, `?` → `_`; LIKE's own `%`, `_` and `\` are escaped so they match themselves. */
export function globToLike(glob: string): string {
  return glob
    .replace(/[\\%_]/g, (c) => `\\${c}`)
    .replace(/\*/g, '%')
    .replace(/\?/g, '_');
}

/** The jsonb value at `path` inside `runs.config`; keys travel as parameters, never as SQL text. */
function configNode(path: readonly string[]): SQL {
  if (path.length === 0 || !path.every((key) => IDENTIFIER.test(key))) {
    throw new RangeError(`config path must be identifiers separated by dots, got ${path.join('.')}`);
  }
  return path.reduce<SQL>((node, key) => sql`(${node} -> ${key}::text)`, sql`${runs.config}`);
}

/** The leaf as float8 when it is a JSON number, else NULL (so comparisons with strings are false, never errors). */
export function jsonNumber(node: SQL): SQL {
  return sql`(CASE WHEN jsonb_typeof(${node}) = 'number' THEN (${node} #>> '{}')::float8 END)`;
}

function configPredicateSql(predicate: ConfigPredicate): SQL | undefined {
  const node = configNode(predicate.path);
  const number = jsonNumber(node);
  const { eq: equals } = predicate;
  return and(
    equals === undefined
      ? undefined
      : typeof equals === 'number'
        ? sql`${number} = ${equals}::float8`
        : typeof equals === 'boolean'
          ? sql`${node} = to_jsonb(${equals}::boolean)`
          : sql`${node} = to_jsonb(${equals}::text)`,
    predicate.gt === undefined ? undefined : sql`${number} > ${predicate.gt}::float8`,
    predicate.gte === undefined ? undefined : sql`${number} >= ${predicate.gte}::float8`,
    predicate.lt === undefined ? undefined : sql`${number} < ${predicate.lt}::float8`,
    predicate.lte === undefined ? undefined : sql`${number} <= ${predicate.lte}::float8`,
  );
}
