import { and, arrayContains, eq, inArray, isNotNull, isNull, not, or, type SQL, sql } from 'drizzle-orm';
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

/** A number in the stored summary: the grokking step, or a measure's final value. */
export type SummaryNumber = { by: 'grokStep' } | { by: 'finalScalar'; measure: string };

/** A comparison on a summary number, e.g. final test_acc ≥ 0.99; a run without that number does not match. */
export interface SummaryPredicate {
  key: SummaryNumber;
  eq?: number;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

/** Every given condition must hold (AND); `and`/`or`/`not` combine nested filters. */
export interface RunFilter {
  /** Runs with one of these ids (ids that are not uuids match nothing). */
  ids?: readonly string[];
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
  summary?: readonly SummaryPredicate[];
  /** The summary's algorithm verdict is one of these (runs without a verdict never match). */
  algorithms?: readonly string[];
  /** true: runs whose summary has a grokking step; false: runs without one. */
  grokked?: boolean;
  /** true: archived runs only (archiveRun); false: runs not archived. */
  archived?: boolean;
  and?: readonly RunFilter[];
  or?: readonly RunFilter[];
  not?: RunFilter;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The filter as one SQL condition over `runs` (undefined: no condition). Nothing is filtered in memory. */
export function runFilterSql(filter: RunFilter): SQL | undefined {
  return and(
    filter.ids
      ? filter.ids.some(isUuid)
        ? inArray(runs.id, filter.ids.filter(isUuid))
        : sql`false`
      : undefined,
    filter.status ? inArray(runs.status, [...filter.status]) : undefined,
    filter.kind === undefined ? undefined : eq(runs.kind, filter.kind),
    filter.archived === undefined
      ? undefined
      : filter.archived
        ? isNotNull(runs.archivedAt)
        : isNull(runs.archivedAt),
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
    ...(filter.summary ?? []).map(summaryPredicateSql),
    // coalesce: a run without a verdict is false here (not NULL), so `not` of this filter includes it.
    filter.algorithms
      ? sql`coalesce((${runs.summary} ->> 'algorithm') = ANY(${sqlTextArray(filter.algorithms)}), false)`
      : undefined,
    filter.grokked === undefined
      ? undefined
      : filter.grokked
        ? sql`${summaryNumber({ by: 'grokStep' })} IS NOT NULL`
        : sql`${summaryNumber({ by: 'grokStep' })} IS NULL`,
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

/** The summary number as float8, NULL when absent or not a number; the measure id travels as a parameter. */
export function summaryNumber(key: SummaryNumber): SQL {
  if (key.by === 'grokStep') return jsonNumber(sql`(${runs.summary} -> 'grokStep')`);
  if (!IDENTIFIER.test(key.measure)) throw new RangeError(`not a measure id: ${key.measure}`);
  return jsonNumber(sql`(${runs.summary} -> 'finalScalars' -> ${key.measure}::text)`);
}

function summaryPredicateSql(predicate: SummaryPredicate): SQL {
  const number = summaryNumber(predicate.key);
  // IS NOT NULL keeps an absent number from matching even when no comparison is given.
  return and(
    sql`${number} IS NOT NULL`,
    predicate.eq === undefined ? undefined : sql`${number} = ${predicate.eq}::float8`,
    predicate.gt === undefined ? undefined : sql`${number} > ${predicate.gt}::float8`,
    predicate.gte === undefined ? undefined : sql`${number} >= ${predicate.gte}::float8`,
    predicate.lt === undefined ? undefined : sql`${number} < ${predicate.lt}::float8`,
    predicate.lte === undefined ? undefined : sql`${number} <= ${predicate.lte}::float8`,
  ) as SQL;
}

/** A text[] parameter; drizzle would otherwise spread an array into a row constructor. */
function sqlTextArray(values: readonly string[]): SQL {
  return sql`ARRAY[${sql.join(
    values.map((v) => sql`${v}::text`),
    sql`, `,
  )}]::text[]`;
}
