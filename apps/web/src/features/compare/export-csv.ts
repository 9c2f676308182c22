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

/** Points per request (the server's most). */
export const EXPORT_PAGE_POINTS = 20_000;

/**
 * Every stored point of `name` for one run in [fromStep, toStep], read in FULL mode (lossless keyset pages by
 * step), so the file holds what was stored, not the chart's buckets.
 */
export async function fetchFullSeries(
  client: Client,
  runId: string,
  name: string,
  fromStep: number,
  toStep: number,
): Promise<CsvSeries> {
  const out = {
    runId,
    name,
    steps: [] as number[],
    values: [] as (number | null)[],
    specials: [] as { step: number; kind: string }[],
  };
  const from = Math.max(0, Math.ceil(fromStep));
  let afterStep: number | null = from > 0 ? from - 1 : null;
  for (;;) {
    const result = await client
      .query(
        SeriesPageQuery,
        {
          id: runId,
          name,
          toStep: Math.floor(toStep),
          first: EXPORT_PAGE_POINTS,
          ...(afterStep !== null && { afterStep }),
        },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    const page = result.data?.run?.seriesPage;
    if (result.error || !page)
      throw new Error(`CSV export of ${name} (run ${runId}): ${result.error?.message ?? 'no such run'}`);
    out.steps.push(...page.steps);
    out.values.push(...page.values);
    out.specials.push(...page.specials);
    if (!page.hasMore || page.endStep === null) return out;
    afterStep = page.endStep;
  }
}
