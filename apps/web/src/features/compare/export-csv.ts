import type { Client } from 'urql';
import { SeriesPageQuery } from './queries.ts';

/** Steps per request: bounds one response (a measure logged every step gives at most this many points). */
export const EXPORT_PAGE_STEPS = 20_000;

export interface CsvSeries {
  runId: string;
  name: string;
  steps: readonly number[];
  values: readonly (number | null)[];
  specials: readonly { step: number; kind: string }[];
}

const SPECIAL_TEXT: Record<string, string> = { NAN: 'NaN', INFINITY: 'Infinity', NEG_INFINITY: '-Infinity' };

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * `step,run,measure,value`, one row per stored point, values at full precision (shortest round-tripping
 * decimal); a non-finite value is written as NaN, Infinity or -Infinity, a missing one as an empty field.
 */
export function seriesToCsv(series: readonly CsvSeries[]): string {
  const lines = ['step,run,measure,value'];
  for (const s of series) {
    const specials = new Map(s.specials.map((sp) => [sp.step, SPECIAL_TEXT[sp.kind] ?? sp.kind]));
    s.steps.forEach((step, i) => {
      const v = s.values[i];
      const text = v === null || v === undefined ? (specials.get(step) ?? '') : String(v);
      lines.push(`${step},${csvField(s.runId)},${csvField(s.name)},${text}`);
    });
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Every stored point of `names` for one run in [fromStep, toStep], fetched without downsampling a page of
 * EXPORT_PAGE_STEPS steps at a time; throws if the server bucketed anything (the export promises full fidelity).
 */
export async function fetchFullSeries(
  client: Client,
  runId: string,
  names: readonly string[],
  fromStep: number,
  toStep: number,
): Promise<CsvSeries[]> {
  const out = new Map<
    string,
    CsvSeries & { steps: number[]; values: (number | null)[]; specials: { step: number; kind: string }[] }
  >();
  for (const name of names) out.set(name, { runId, name, steps: [], values: [], specials: [] });
  for (let from = Math.max(0, Math.floor(fromStep)); from <= toStep; from += EXPORT_PAGE_STEPS) {
    const to = Math.min(Math.ceil(toStep), from + EXPORT_PAGE_STEPS - 1);
    const result = await client
      .query(
        SeriesPageQuery,
        { id: runId, names: [...names], fromStep: from, toStep: to },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    if (result.error) throw new Error(`CSV export of run ${runId}: ${result.error.message}`);
    for (const s of result.data?.run?.series ?? []) {
      if (s.bucketSize !== 1)
        throw new Error(`CSV export of ${s.name}: the server bucketed ${s.bucketSize} steps per point`);
      const target = out.get(s.name);
      if (!target) continue;
      target.steps.push(...s.steps);
      target.values.push(...s.values);
      target.specials.push(...s.specials);
    }
  }
  return [...out.values()];
}
