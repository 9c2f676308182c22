import type { ConfigPredicate, RunFilter, RunOrder, RunStatus, SummaryPredicate } from '@grokscope/db';
import { MEASURE_CATALOGUE } from '@grokscope/trainer';
import { type Algorithm, AlgorithmRef } from './algorithm.ts';
import { builder } from './builder.ts';
import { configShape, ModelKindRef } from './config-types.ts';
import { badUserInput } from './errors.ts';
import { RunStatusRef } from './run-status.ts';
import type { ShapeNode } from './zod-shape.ts';

/** Nesting of and/or/not, and predicates in one filter: bounds the SQL a request can make. */
export const FILTER_MAX_DEPTH = 6;
export const FILTER_MAX_PREDICATES = 100;

interface ConfigPredicateInput {
  path: string;
  eq?: number | null | undefined;
  eqString?: string | null | undefined;
  eqBoolean?: boolean | null | undefined;
  gt?: number | null | undefined;
  gte?: number | null | undefined;
  lt?: number | null | undefined;
  lte?: number | null | undefined;
}

interface NumberRangeInput {
  eq?: number | null | undefined;
  gt?: number | null | undefined;
  gte?: number | null | undefined;
  lt?: number | null | undefined;
  lte?: number | null | undefined;
}

interface FinalScalarPredicateInput extends NumberRangeInput {
  measure: string;
}

export interface RunFilterInput {
  status?: RunStatus[] | null | undefined;
  modelKind?: (string | number)[] | null | undefined;
  tags?: string[] | null | undefined;
  namePattern?: string | null | undefined;
  config?: ConfigPredicateInput[] | null | undefined;
  finalScalars?: FinalScalarPredicateInput[] | null | undefined;
  grokStep?: NumberRangeInput | null | undefined;
  grokked?: boolean | null | undefined;
  algorithm?: Algorithm[] | null | undefined;
  and?: RunFilterInput[] | null | undefined;
  or?: RunFilterInput[] | null | undefined;
  not?: RunFilterInput | null | undefined;
}

const ConfigPredicateRef = builder.inputRef<ConfigPredicateInput>('ConfigPredicate').implement({
  description:
    'A condition on one field of the stored run config, e.g. `{ path: "model.alpha", gt: 0.5 }`. Every given ' +
    'comparison must hold; a run whose config lacks the field does not match.',
  fields: (t) => ({
    path: t.string({
      required: true,
      description: 'Dotted path of a config field, as in RunConfig (`p`, `optimizer.lr`, `model.alpha`).',
    }),
    eq: t.float({ description: 'Equal to this number (numeric fields).' }),
    eqString: t.string({
      description: 'Equal to this value (enum fields such as `backend` or `model.kind`).',
    }),
    eqBoolean: t.boolean({ description: 'Equal to this value (boolean fields).' }),
    gt: t.float({ description: 'Greater than (numeric fields).' }),
    gte: t.float({ description: 'Greater than or equal to (numeric fields).' }),
    lt: t.float({ description: 'Less than (numeric fields).' }),
    lte: t.float({ description: 'Less than or equal to (numeric fields).' }),
  }),
});

const NumberRangeRef = builder.inputRef<NumberRangeInput>('NumberRange').implement({
  description: 'Comparisons on a number; every given one must hold.',
  fields: (t) => ({
    eq: t.float({ description: 'Equal to.' }),
    gt: t.float({ description: 'Greater than.' }),
    gte: t.float({ description: 'Greater than or equal to.' }),
    lt: t.float({ description: 'Less than.' }),
    lte: t.float({ description: 'Less than or equal to.' }),
  }),
});

const FinalScalarPredicateRef = builder
  .inputRef<FinalScalarPredicateInput>('FinalScalarPredicate')
  .implement({
    description:
      'A condition on a scalar measure\'s final value from the run summary, e.g. `{ measure: "test_acc", gte: ' +
      '0.99 }`. Every given comparison must hold; a run without a final value of that measure does not match.',
    fields: (t) => ({
      measure: t.string({ required: true, description: 'Scalar measure id (see Query.measures).' }),
      eq: t.float({ description: 'Equal to.' }),
      gt: t.float({ description: 'Greater than.' }),
      gte: t.float({ description: 'Greater than or equal to.' }),
      lt: t.float({ description: 'Less than.' }),
      lte: t.float({ description: 'Less than or equal to.' }),
    }),
  });

export const RunFilterRef = builder.inputRef<RunFilterInput>('RunFilter');
RunFilterRef.implement({
  description:
    'Which runs to list. Every given condition must hold; `and`, `or` and `not` combine nested filters ' +
    `(at most ${FILTER_MAX_DEPTH} levels and ${FILTER_MAX_PREDICATES} conditions). Evaluated in SQL.`,
  fields: (t) => ({
    status: t.field({ type: [RunStatusRef], description: 'Status is one of these.' }),
    modelKind: t.field({ type: [ModelKindRef], description: 'Model kind is one of these.' }),
    tags: t.stringList({ description: 'Runs carrying every one of these tags.' }),
    namePattern: t.string({
      description: 'Case-insensitive glob on the name: `*` any characters, `?` one character.',
    }),
    config: t.field({
      type: [ConfigPredicateRef],
      description: 'Conditions on config fields, all must hold.',
    }),
    finalScalars: t.field({
      type: [FinalScalarPredicateRef],
      description:
        'Conditions on final measure values from the summary (e.g. final test_acc), all must hold.',
    }),
    grokStep: t.field({
      type: NumberRangeRef,
      description: 'Conditions on the grokking step; runs that have not grokked do not match.',
    }),
    grokked: t.boolean({ description: 'true: runs with a grokking step; false: runs without one.' }),
    algorithm: t.field({
      type: [AlgorithmRef],
      description: 'The algorithm verdict is one of these; runs without a verdict do not match.',
    }),
    and: t.field({ type: [RunFilterRef], description: 'Every one of these filters holds.' }),
    or: t.field({ type: [RunFilterRef], description: 'At least one of these filters holds.' }),
    not: t.field({ type: RunFilterRef, description: 'This filter does not hold.' }),
  }),
});

const RunOrderFieldRef = builder.enumType('RunOrderField', {
  description: 'What to sort runs by.',
  values: {
    CREATED_AT: { value: 'createdAt', description: 'Creation time (default direction DESC).' },
    NAME: { value: 'name', description: 'Name, byte order (default direction ASC).' },
    STEPS_DONE: { value: 'stepsDone', description: 'Highest step stored.' },
    TOTAL_STEPS: { value: 'totalSteps', description: 'Steps the run trains for.' },
    GROK_STEP: { value: 'grokStep', description: 'Grokking step from the summary; runs without one last.' },
    FINAL_SCALAR: {
      value: 'finalScalar',
      description:
        'Final value of the scalar measure named in `measure` (e.g. `test_acc`); runs without it last.',
    },
  } as const,
});

const SortDirectionRef = builder.enumType('SortDirection', {
  description: 'Sort direction.',
  values: {
    ASC: { value: 'asc', description: 'Smallest first.' },
    DESC: { value: 'desc', description: 'Largest (newest) first.' },
  } as const,
});

interface RunOrderInput {
  field: RunOrder['key']['by'];
  direction?: 'asc' | 'desc' | null | undefined;
  measure?: string | null | undefined;
}

export const RunOrderByRef = builder.inputRef<RunOrderInput>('RunOrderBy').implement({
  description: 'Sort order of a runs list; ties break on the run id, so pages never overlap.',
  fields: (t) => ({
    field: t.field({ type: RunOrderFieldRef, required: true, description: 'What to sort by.' }),
    direction: t.field({
      type: SortDirectionRef,
      description: 'ASC or DESC; default ASC for NAME, DESC for everything else.',
    }),
    measure: t.string({ description: 'Scalar measure id, for FINAL_SCALAR only.' }),
  }),
});

const SCALARS: ReadonlySet<string> = new Set(
  MEASURE_CATALOGUE.filter((m) => m.shape === 'scalar').map((m) => m.id),
);

/** The order as the storage layer takes it; errors name `orderBy.<field>`. */
export function toRunOrder(input: RunOrderInput): RunOrder {
  const direction = input.direction ?? (input.field === 'name' ? 'asc' : 'desc');
  if (input.field === 'finalScalar') {
    if (input.measure == null || !SCALARS.has(input.measure)) {
      throw badUserInput([
        { path: 'orderBy.measure', message: 'FINAL_SCALAR needs a scalar measure id (see Query.measures)' },
      ]);
    }
    return { key: { by: 'finalScalar', measure: input.measure }, direction };
  }
  if (input.measure != null) {
    throw badUserInput([{ path: 'orderBy.measure', message: 'is only used with field FINAL_SCALAR' }]);
  }
  return { key: { by: input.field }, direction };
}

/** The filter as the storage layer takes it, after checking paths, operators and size; errors name the field. */
export function toRunFilter(input: RunFilterInput): RunFilter {
  let predicates = 0;
  const count = (path: string, n = 1) => {
    predicates += n;
    if (predicates > FILTER_MAX_PREDICATES) {
      throw badUserInput([
        { path, message: `a filter may hold at most ${FILTER_MAX_PREDICATES} conditions` },
      ]);
    }
  };

  const convert = (f: RunFilterInput, path: string, depth: number): RunFilter => {
    if (depth > FILTER_MAX_DEPTH) {
      throw badUserInput([{ path, message: `and/or/not may nest at most ${FILTER_MAX_DEPTH} levels` }]);
    }
    const out: RunFilter = {};
    if (f.status != null) {
      count(`${path}.status`);
      out.status = f.status;
    }
    if (f.modelKind != null) {
      count(`${path}.modelKind`);
      out.kinds = f.modelKind.map(String);
    }
    if (f.tags != null) {
      count(`${path}.tags`, f.tags.length);
      const long = f.tags.findIndex((tag) => tag.length > 200);
      if (long >= 0)
        throw badUserInput([{ path: `${path}.tags.${long}`, message: 'at most 200 characters' }]);
      out.tags = f.tags;
    }
    if (f.namePattern != null) {
      count(`${path}.namePattern`);
      if (f.namePattern.length > 200) {
        throw badUserInput([{ path: `${path}.namePattern`, message: 'at most 200 characters' }]);
      }
      out.namePattern = f.namePattern;
    }
    if (f.config != null) {
      out.config = f.config.map((p, i) => {
        count(`${path}.config.${i}`);
        return toConfigPredicate(p, `${path}.config.${i}`);
      });
    }
    const summary: SummaryPredicate[] = [];
    f.finalScalars?.forEach((p, i) => {
      const at = `${path}.finalScalars.${i}`;
      count(at);
      if (!SCALARS.has(p.measure)) {
        const shown = JSON.stringify(p.measure.slice(0, 80));
        throw badUserInput([
          { path: `${at}.measure`, message: `${shown} is not a scalar measure id (see Query.measures)` },
        ]);
      }
      summary.push(toSummaryPredicate({ by: 'finalScalar', measure: p.measure }, p, at));
    });
    if (f.grokStep != null) {
      count(`${path}.grokStep`);
      summary.push(toSummaryPredicate({ by: 'grokStep' }, f.grokStep, `${path}.grokStep`));
    }
    if (summary.length > 0) out.summary = summary;
    if (f.grokked != null) {
      count(`${path}.grokked`);
      out.grokked = f.grokked;
    }
    if (f.algorithm != null) {
      count(`${path}.algorithm`);
      out.algorithms = f.algorithm;
    }
    if (f.and != null) out.and = f.and.map((g, i) => convert(g, `${path}.and.${i}`, depth + 1));
    if (f.or != null) out.or = f.or.map((g, i) => convert(g, `${path}.or.${i}`, depth + 1));
    if (f.not != null) out.not = convert(f.not, `${path}.not`, depth + 1);
    return out;
  };
  return convert(input, 'filter', 1);
}

function leafAt(path: string): ShapeNode | undefined {
  let node: ShapeNode = configShape;
  for (const key of path.split('.')) {
    if (node.kind !== 'object') return undefined;
    const field: { node: ShapeNode } | undefined = node.fields[key];
    if (!field) return undefined;
    node = field.node;
  }
  return node;
}

function toConfigPredicate(input: ConfigPredicateInput, path: string): ConfigPredicate {
  const leaf = leafAt(input.path);
  const shown = JSON.stringify(input.path.slice(0, 100));
  if (!leaf || leaf.kind === 'object' || leaf.kind === 'list') {
    throw badUserInput([
      { path: `${path}.path`, message: `${shown} is not a number, enum or boolean field of RunConfig` },
    ]);
  }
  const numeric = { eq: input.eq, gt: input.gt, gte: input.gte, lt: input.lt, lte: input.lte };
  const given = Object.entries(numeric).filter(([, v]) => v != null);
  const equalities = [input.eq, input.eqString, input.eqBoolean].filter((v) => v != null).length;
  if (given.length === 0 && equalities === 0) {
    throw badUserInput([{ path, message: 'give at least one of eq, eqString, eqBoolean, gt, gte, lt, lte' }]);
  }
  if (equalities > 1) throw badUserInput([{ path, message: 'give only one of eq, eqString, eqBoolean' }]);
  const isNumber = leaf.kind === 'int' || leaf.kind === 'float';
  if (given.length > 0 && !isNumber) {
    throw badUserInput([
      { path: `${path}.${given[0]?.[0]}`, message: `${shown} is a ${leaf.kind} field, not a number` },
    ]);
  }
  if (input.eqString != null && leaf.kind !== 'enum') {
    throw badUserInput([
      { path: `${path}.eqString`, message: `${shown} is a ${leaf.kind} field, not an enum` },
    ]);
  }
  if (input.eqBoolean != null && leaf.kind !== 'boolean') {
    throw badUserInput([
      { path: `${path}.eqBoolean`, message: `${shown} is a ${leaf.kind} field, not a boolean` },
    ]);
  }
  const predicate: ConfigPredicate = { path: input.path.split('.') };
  const eq = input.eq ?? input.eqString ?? input.eqBoolean;
  if (eq != null) predicate.eq = eq;
  if (input.gt != null) predicate.gt = input.gt;
  if (input.gte != null) predicate.gte = input.gte;
  if (input.lt != null) predicate.lt = input.lt;
  if (input.lte != null) predicate.lte = input.lte;
  return predicate;
}

function toSummaryPredicate(
  key: SummaryPredicate['key'],
  range: NumberRangeInput,
  path: string,
): SummaryPredicate {
  const predicate: SummaryPredicate = { key };
  for (const op of ['eq', 'gt', 'gte', 'lt', 'lte'] as const) {
    const value = range[op];
    if (value != null) predicate[op] = value;
  }
  if (Object.keys(predicate).length === 1) {
    throw badUserInput([{ path, message: 'give at least one of eq, gt, gte, lt, lte' }]);
  }
  return predicate;
}
