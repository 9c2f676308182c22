/**
 * A sweep's plan: a base config, axes (config paths with lists of values) and seeds become the list of run configs
 * to train. Pure: no storage, no processes. Every planned config passes the same zod schema as a single run, so a
 * sweep can never store a run that startRun would refuse; a refused axis is named (`axes.1.values.2: …`).
 */
import type { z } from 'zod';
import { type RunConfig, type RunConfigInput, runConfigSchema } from '../config.ts';
import { createRng } from '../data/rng.ts';

/** More planned runs than this are refused: a typo in an axis must not queue a month of training. */
export const MAX_SWEEP_RUNS = 10_000;

export interface SweepAxis {
  /** A dotted RunConfig path: `model.alpha`, `optimizer.weightDecay`, `trainFraction`, `operation`, … */
  path: string;
  /** Numbers or enum names (any JSON the field accepts). */
  values: readonly unknown[];
}

/** `grid`: every combination of axis values × seeds. `random`: `count` draws, each axis value uniform, × seeds. */
export type SweepMode = { kind: 'grid' } | { kind: 'random'; count: number; seed?: number };

export interface PlannedRun {
  config: RunConfig;
  /** The value each axis took in this run, by path (as given in the axis). */
  axisValues: Record<string, unknown>;
}

export type SweepIssueCode = 'INVALID_VALUE' | 'OUT_OF_RANGE' | 'TOO_MANY' | 'UNKNOWN_FIELD';

export interface SweepIssue {
  /** Relative to the sweep input: `base.p`, `axes.1.path`, `axes.1.values.2`, `seeds.0`, `axes`. */
  path: string;
  message: string;
  code: SweepIssueCode;
}

export class SweepPlanError extends Error {
  constructor(readonly issues: SweepIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    this.name = 'SweepPlanError';
  }
}

type Schema = z.core.$ZodType;

/** The zod schema at `segments` below `schema`, following the model union's branch the config selects. */
function schemaAt(schema: Schema, segments: readonly string[], value: unknown): Schema | undefined {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  if (
    def.type === 'default' ||
    def.type === 'prefault' ||
    def.type === 'optional' ||
    def.type === 'nullable'
  ) {
    return schemaAt(def.innerType as Schema, segments, value);
  }
  const [head, ...rest] = segments;
  if (head === undefined) return schema;
  if (def.type === 'object') {
    const child = (def.shape as Record<string, Schema>)[head];
    const inner = value && typeof value === 'object' ? (value as Record<string, unknown>)[head] : undefined;
    return child && Object.hasOwn(def.shape as object, head) ? schemaAt(child, rest, inner) : undefined;
  }
  if (def.type === 'union') {
    // The discriminated model union: the branch whose literal `kind` the (parsed) config has.
    const kind = value && typeof value === 'object' ? (value as Record<string, unknown>).kind : undefined;
    for (const option of def.options as Schema[]) {
      const shape = (option._zod.def as unknown as { shape?: Record<string, Schema> }).shape;
      const literal = shape?.kind?._zod.def as unknown as { values?: unknown[] } | undefined;
      if (literal?.values?.includes(kind)) return schemaAt(option, segments, value);
    }
  }
  return undefined;
}

function setPath(target: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let node = target;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    node[segment] = next && typeof next === 'object' ? { ...(next as object) } : {};
    node = node[segment] as Record<string, unknown>;
  }
  node[segments.at(-1) as string] = value;
}

function codeOf(issue: z.core.$ZodIssue): SweepIssueCode {
  if (issue.code === 'too_big' || issue.code === 'too_small') {
    return issue.origin === 'number' || issue.origin === 'int' ? 'OUT_OF_RANGE' : 'INVALID_VALUE';
  }
  return issue.code === 'unrecognized_keys' ? 'UNKNOWN_FIELD' : 'INVALID_VALUE';
}

const issuesOf = (error: z.core.$ZodError, prefix: string): SweepIssue[] =>
  error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
    code: codeOf(issue),
  }));

/** The configs to train, in plan order (axes vary fastest last, then seeds); throws SweepPlanError naming fields. */
export function planSweep(
  base: RunConfigInput | undefined,
  axes: readonly SweepAxis[],
  seeds?: readonly number[],
  mode: SweepMode = { kind: 'grid' },
): PlannedRun[] {
  const parsedBase = runConfigSchema.safeParse(base ?? {});
  if (!parsedBase.success) throw new SweepPlanError(issuesOf(parsedBase.error, 'base'));
  const baseInput = structuredClone((base ?? {}) as Record<string, unknown>);
  const issues: SweepIssue[] = [];
  const seedList = seeds && seeds.length > 0 ? [...seeds] : [parsedBase.data.seed];

  seedList.forEach((seed, i) => {
    if (!Number.isInteger(seed) || seed < 0 || seed > 2_147_483_647) {
      issues.push({
        path: `seeds.${i}`,
        message: 'must be an integer in 0..2147483647',
        code: 'OUT_OF_RANGE',
      });
    }
  });
  if (new Set(seedList).size !== seedList.length) {
    issues.push({ path: 'seeds', message: 'lists a seed twice', code: 'INVALID_VALUE' });
  }

  const seen = new Set<string>();
  axes.forEach((axis, i) => {
    const segments = axis.path.split('.');
    if (seen.has(axis.path)) {
      issues.push({
        path: `axes.${i}.path`,
        message: `${axis.path} is already an axis`,
        code: 'INVALID_VALUE',
      });
    }
    seen.add(axis.path);
    if (axis.path === 'seed' && seeds && seeds.length > 0) {
      issues.push({
        path: `axes.${i}.path`,
        message: 'seed is swept by `seeds`; give one or the other',
        code: 'INVALID_VALUE',
      });
    }
    if (segments.some((s) => s === '') || !schemaAt(runConfigSchema, segments, parsedBase.data)) {
      issues.push({
        path: `axes.${i}.path`,
        message: `${axis.path} is not a field of this run config (model fields follow base.model.kind = ${parsedBase.data.model.kind})`,
        code: 'UNKNOWN_FIELD',
      });
      return;
    }
    if (axis.values.length === 0) {
      issues.push({ path: `axes.${i}.values`, message: 'needs at least one value', code: 'INVALID_VALUE' });
    }
    // Each value alone on the base: an error at (or below) the axis path belongs to that value.
    axis.values.forEach((value, j) => {
      const input = structuredClone(baseInput);
      setPath(input, segments, value);
      const result = runConfigSchema.safeParse(input);
      if (result.success) return;
      for (const issue of result.error.issues) {
        const at = issue.path.map(String).join('.');
        if (at === axis.path || at.startsWith(`${axis.path}.`) || axis.path.startsWith(`${at}.`)) {
          issues.push({ path: `axes.${i}.values.${j}`, message: issue.message, code: codeOf(issue) });
        }
      }
    });
  });

  const perSeed =
    mode.kind === 'grid' ? axes.reduce((n, axis) => n * Math.max(1, axis.values.length), 1) : mode.count;
  if (mode.kind === 'random' && (!Number.isInteger(mode.count) || mode.count < 1)) {
    issues.push({ path: 'random.count', message: 'must be an integer ≥ 1', code: 'OUT_OF_RANGE' });
  }
  const total = perSeed * seedList.length;
  if (total > MAX_SWEEP_RUNS) {
    issues.push({
      path: mode.kind === 'grid' ? 'axes' : 'random.count',
      message: `plans ${total} runs; at most ${MAX_SWEEP_RUNS} are allowed`,
      code: 'TOO_MANY',
    });
  }
  if (issues.length > 0) throw new SweepPlanError(issues);

  const points = mode.kind === 'grid' ? gridPoints(axes) : randomPoints(axes, mode.count, mode.seed ?? 0);
  const planned: PlannedRun[] = [];
  for (const point of points) {
    for (const seed of seedList) {
      const input = structuredClone(baseInput);
      for (const [i, axis] of axes.entries()) setPath(input, axis.path.split('.'), point[i]);
      if (!axes.some((a) => a.path === 'seed')) input.seed = seed;
      const result = runConfigSchema.safeParse(input);
      if (!result.success) {
        // Values valid alone can clash together (trainFraction × p leaving no test pair, heads ∤ dModel).
        const where = axes.map((a, i) => `${a.path}=${JSON.stringify(point[i])}`).join(', ');
        throw new SweepPlanError(
          result.error.issues.map((issue) => ({
            path: 'axes',
            message: `the combination ${where}: ${issue.path.map(String).join('.')}: ${issue.message}`,
            code: codeOf(issue),
          })),
        );
      }
      planned.push({
        config: result.data,
        axisValues: Object.fromEntries(axes.map((a, i) => [a.path, point[i]])),
      });
    }
  }
  return planned;
}

/** Every combination, the last axis varying fastest. */
function gridPoints(axes: readonly SweepAxis[]): unknown[][] {
  return axes.reduce<unknown[][]>(
    (points, axis) => points.flatMap((point) => axis.values.map((value) => [...point, value])),
    [[]],
  );
}

/** `count` points, each axis value drawn uniformly and independently (seeded, so a plan is reproducible). */
function randomPoints(axes: readonly SweepAxis[], count: number, seed: number): unknown[][] {
  const rng = createRng(seed, 'sweep-random');
  return Array.from({ length: count }, () => axes.map((axis) => axis.values[rng.int(axis.values.length)]));
}
