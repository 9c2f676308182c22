/**
 * The new-run form's sweep mode: axes (a config path and comma-separated values) and seeds as typed, turned into
 * StartSweepInput's `axes` and `seeds`, and the server's issues placed back on the rows they name. The server's
 * planSweep is the only judge of a value (ranges, primes, enum names); this only splits and parses numbers.
 */
import type { FieldIssue } from '../../graphql/user-input-issues.ts';
import type { ModelKindInfo } from '../model-kinds/queries.ts';
import { type FieldSpec, fieldSpec } from './form-fields.ts';

export interface AxisDraft {
  path: string;
  /** Comma-separated, as typed. */
  values: string;
}

export interface SweepDraft {
  axes: AxisDraft[];
  /** Comma-separated seeds and `a..b` ranges, as typed; empty: the base config's seed. */
  seeds: string;
}

export interface ParsedSweep {
  axes: { path: string; values: (number | string)[] }[];
  /** null: none given, the server uses the base seed. */
  seeds: number[] | null;
  /** By input path (`axes.1.values`, `seeds`): text that could not be parsed, so it was not sent. */
  localErrors: Map<string, string>;
  runCount: number;
}

/** Fields a sweep can vary for a model kind: every config field of the kind (the registry's) but the seed. */
export function axisFields(kind: ModelKindInfo): FieldSpec[] {
  return kind.fields.map(fieldSpec).filter((f) => f.key !== 'seed');
}

const INT = /^[+-]?\d+$/;
const RANGE = /^(\d+)\s*\.\.\s*(\d+)$/;
/** A seeds range longer than this is a typo, not a plan (the server caps a sweep at 10 000 runs anyway). */
const MAX_SEED_RANGE = 10_000;

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function parseSweepDraft(draft: SweepDraft, kind: ModelKindInfo): ParsedSweep {
  const fields = new Map(axisFields(kind).map((f) => [f.path, f]));
  const localErrors = new Map<string, string>();
  const axes = draft.axes.map((axis, i) => {
    const field = fields.get(axis.path);
    if (!field) localErrors.set(`axes.${i}.path`, 'choose a field');
    const texts = splitList(axis.values);
    if (texts.length === 0) localErrors.set(`axes.${i}.values`, 'give at least one value');
    const values: (number | string)[] = [];
    for (const text of texts) {
      if (field?.kind === 'int' || field?.kind === 'float') {
        const n = Number(text);
        if (!Number.isFinite(n)) localErrors.set(`axes.${i}.values`, `“${text}” is not a number`);
        else if (field.kind === 'int' && !INT.test(text))
          localErrors.set(`axes.${i}.values`, `“${text}” is not a whole number`);
        else values.push(n);
      } else values.push(text);
    }
    return { path: axis.path, values };
  });
  const seeds = parseSeeds(draft.seeds, localErrors);
  const runCount = axes.reduce((n, a) => n * a.values.length, 1) * Math.max(1, seeds?.length ?? 1);
  return { axes, seeds, localErrors, runCount };
}

function parseSeeds(text: string, errors: Map<string, string>): number[] | null {
  const parts = splitList(text);
  if (parts.length === 0) return null;
  const seeds: number[] = [];
  for (const part of parts) {
    const range = RANGE.exec(part);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (to < from || to - from >= MAX_SEED_RANGE)
        errors.set('seeds', `“${part}” is not a range a..b with a ≤ b`);
      else for (let s = from; s <= to; s++) seeds.push(s);
    } else if (INT.test(part)) seeds.push(Number(part));
    else errors.set('seeds', `“${part}” is not a whole number or a range a..b`);
  }
  return seeds;
}

export interface PlacedSweepIssues {
  /** Issues of the base config, paths relative to it (`p`, `model.embedDim`), for the form's fields. */
  base: FieldIssue[];
  /** First message per axis row. */
  axes: Map<number, string>;
  seeds: string | null;
  /** Issues about the sweep as a whole (`axes`: too many runs, a combination refused) and anything else. */
  other: FieldIssue[];
}

/** Places the server's issues (paths relative to StartSweepInput, `input.` already removed) on the form. */
export function placeSweepIssues(issues: readonly FieldIssue[]): PlacedSweepIssues {
  const placed: PlacedSweepIssues = { base: [], axes: new Map(), seeds: null, other: [] };
  for (const issue of issues) {
    const axis = /^axes\.(\d+)(\.|$)/.exec(issue.path);
    if (issue.path.startsWith('base.'))
      placed.base.push({ ...issue, path: issue.path.slice('base.'.length) });
    else if (axis) {
      const i = Number(axis[1]);
      if (!placed.axes.has(i)) placed.axes.set(i, axisMessage(issue));
    } else if (issue.path === 'seeds' || issue.path.startsWith('seeds.')) placed.seeds ??= issue.message;
    else placed.other.push(issue);
  }
  return placed;
}

/** `axes.0.values.2: must be a prime number` → "value 3: must be a prime number" (which value, counted from 1). */
function axisMessage(issue: FieldIssue): string {
  const value = /^axes\.\d+\.values\.(\d+)/.exec(issue.path);
  return value ? `value ${Number(value[1]) + 1}: ${issue.message}` : issue.message;
}
