import type { Algorithm, ModelKind, RunOrderField, RunStatus } from '../../graphql/enums.ts';
import { ALGORITHM_LABEL } from '../run/verdict.ts';
import {
  type ConfigCondition,
  type ConfigPredicateInput,
  conditionTarget,
  formatConfigCondition,
  type NumberRangeInput,
  parseConfigCondition,
  toConfigPredicate,
  toNumberRange,
} from './config-predicate.ts';

/** The columns the table sorts by, each mapped to a server RunOrderBy (sorting is never done in the browser). */
export const SORT_KEYS = {
  created: { field: 'CREATED_AT', defaultDir: 'DESC' },
  name: { field: 'NAME', defaultDir: 'ASC' },
  progress: { field: 'STEPS_DONE', defaultDir: 'DESC' },
  grokStep: { field: 'GROK_STEP', defaultDir: 'ASC' },
  testAcc: { field: 'FINAL_SCALAR', defaultDir: 'DESC', measure: 'test_acc' },
} as const satisfies Record<string, { field: RunOrderField; defaultDir: SortDir; measure?: string }>;

export type SortKey = keyof typeof SORT_KEYS;
export type SortDir = 'ASC' | 'DESC';

export const STATUSES: readonly RunStatus[] = [
  'QUEUED',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'STOPPED',
  'INTERRUPTED',
];
/**
 * A model kind as the URL may name one: the SDL enum's value shape. Which kinds exist is the server's registry
 * (`modelKinds`); `toRunsArgs` drops names it does not list.
 */
const KIND_NAME = /^[A-Z][A-Z0-9_]*$/;
/** The verdicts, from the one record of their labels (which the compiler checks against the SDL's enum). */
export const ALGORITHMS = Object.keys(ALGORITHM_LABEL) as Algorithm[];

/** What the runs page shows: filters and sort. It lives in the URL so a view can be shared and reloaded. */
export interface RunsViewState {
  status: RunStatus[];
  modelKind: ModelKind[];
  algorithm: Algorithm[];
  /** true: runs with a grokking step; false: runs without; null: either. */
  grokked: boolean | null;
  tags: string[];
  namePattern: string;
  config: ConfigCondition[];
  /** Archived runs only (archiveRun) instead of the runs not archived. */
  archived: boolean;
  sort: SortKey;
  dir: SortDir;
}

export const DEFAULT_VIEW: RunsViewState = {
  status: [],
  modelKind: [],
  algorithm: [],
  grokked: null,
  tags: [],
  namePattern: '',
  config: [],
  archived: false,
  sort: 'created',
  dir: 'DESC',
};

/**
 * Reads the view from URL parameters: `status=RUNNING,FAILED&kind=MLP&tag=a&tag=b&name=p97*&where=model.alpha>0.5
 * &sort=grokStep&dir=asc`. Unknown values are dropped rather than failing the page: a hand-edited URL still loads.
 */
export function parseRunsView(params: URLSearchParams): RunsViewState {
  const list = (key: string) =>
    params
      .getAll(key)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
  const sortParam = params.get('sort');
  const sort: SortKey = sortParam && sortParam in SORT_KEYS ? (sortParam as SortKey) : DEFAULT_VIEW.sort;
  const dirParam = params.get('dir')?.toUpperCase();
  const dir: SortDir = dirParam === 'ASC' || dirParam === 'DESC' ? dirParam : SORT_KEYS[sort].defaultDir;
  const config: ConfigCondition[] = [];
  for (const text of params.getAll('where')) {
    const parsed = parseConfigCondition(text);
    if (!('error' in parsed)) config.push(parsed);
  }
  return {
    status: list('status').filter((s): s is RunStatus => STATUSES.includes(s as RunStatus)),
    modelKind: list('kind').filter((k): k is ModelKind => KIND_NAME.test(k)),
    algorithm: list('verdict').filter((a): a is Algorithm => ALGORITHMS.includes(a as Algorithm)),
    grokked: params.get('grokked') === 'yes' ? true : params.get('grokked') === 'no' ? false : null,
    // Tags may contain commas, so each tag is its own parameter.
    tags: params
      .getAll('tag')
      .map((t) => t.trim())
      .filter(Boolean),
    namePattern: params.get('name')?.trim() ?? '',
    config,
    archived: params.get('archived') === 'yes',
    sort,
    dir,
  };
}

/** The inverse of parseRunsView, leaving out defaults so the plain page keeps a plain URL. */
export function formatRunsView(view: RunsViewState): URLSearchParams {
  const params = new URLSearchParams();
  if (view.status.length) params.set('status', view.status.join(','));
  if (view.modelKind.length) params.set('kind', view.modelKind.join(','));
  if (view.algorithm.length) params.set('verdict', view.algorithm.join(','));
  if (view.grokked !== null) params.set('grokked', view.grokked ? 'yes' : 'no');
  for (const tag of view.tags) params.append('tag', tag);
  if (view.namePattern) params.set('name', view.namePattern);
  for (const c of view.config) params.append('where', formatConfigCondition(c));
  if (view.archived) params.set('archived', 'yes');
  if (view.sort !== DEFAULT_VIEW.sort || view.dir !== SORT_KEYS[view.sort].defaultDir) {
    params.set('sort', view.sort);
    params.set('dir', view.dir.toLowerCase());
  }
  return params;
}

export interface RunFilterInput {
  status?: RunStatus[];
  modelKind?: ModelKind[];
  tags?: string[];
  namePattern?: string;
  config?: ConfigPredicateInput[];
  finalScalars?: (NumberRangeInput & { measure: string })[];
  grokStep?: NumberRangeInput;
  grokked?: boolean;
  algorithm?: Algorithm[];
}

export interface RunOrderByInput {
  field: RunOrderField;
  direction: SortDir;
  measure?: string;
}

/** The view as Query.runs arguments: every filter is evaluated by the server, in SQL. `knownKinds`: the registry's kinds. */
export function toRunsArgs(
  view: RunsViewState,
  knownKinds: ReadonlySet<string> | null = null,
): { filter: RunFilterInput | null; orderBy: RunOrderByInput; archived?: true } {
  const filter: RunFilterInput = {};
  if (view.status.length) filter.status = view.status;
  // A kind the registry does not list (an old or mistyped URL) is dropped rather than failing the whole query.
  const kinds = knownKinds ? view.modelKind.filter((k) => knownKinds.has(k)) : view.modelKind;
  if (kinds.length) filter.modelKind = kinds;
  if (view.tags.length) filter.tags = view.tags;
  if (view.namePattern) filter.namePattern = view.namePattern;
  if (view.algorithm.length) filter.algorithm = view.algorithm;
  if (view.grokked !== null) filter.grokked = view.grokked;
  const config: ConfigPredicateInput[] = [];
  const finalScalars: NonNullable<RunFilterInput['finalScalars']> = [];
  let grokStep: NumberRangeInput | null = null;
  for (const c of view.config) {
    const target = conditionTarget(c);
    const range = toNumberRange(c);
    if (target.kind === 'config') config.push(toConfigPredicate(c));
    else if (target.kind === 'final' && range) finalScalars.push({ measure: target.measure, ...range });
    else if (target.kind === 'grokStep' && range) grokStep = { ...(grokStep ?? {}), ...range };
  }
  if (config.length) filter.config = config;
  if (finalScalars.length) filter.finalScalars = finalScalars;
  if (grokStep) filter.grokStep = grokStep;
  const sort = SORT_KEYS[view.sort];
  const orderBy: RunOrderByInput = {
    field: sort.field,
    direction: view.dir,
    ...('measure' in sort && { measure: sort.measure }),
  };
  return {
    filter: Object.keys(filter).length ? filter : null,
    orderBy,
    ...(view.archived && { archived: true as const }),
  };
}

/** Whether the view is the unfiltered newest-first list, where a brand-new run belongs on top. */
export function isDefaultListing(view: RunsViewState): boolean {
  return toRunsArgs(view).filter === null && !view.archived && view.sort === 'created' && view.dir === 'DESC';
}

/** Next sort after clicking a column: a new column starts in its natural direction, the same one flips. */
export function nextSort(view: RunsViewState, key: SortKey): Pick<RunsViewState, 'sort' | 'dir'> {
  if (view.sort !== key) return { sort: key, dir: SORT_KEYS[key].defaultDir };
  return { sort: key, dir: view.dir === 'ASC' ? 'DESC' : 'ASC' };
}
