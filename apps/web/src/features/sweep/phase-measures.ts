import { z } from 'zod';
import type { PhaseOptions } from './queries.ts';

// gql.tada types introspection fields (`__type`) as `{}`, so their shape is checked here instead.
const enumTypeSchema = z
  .object({ enumValues: z.array(z.object({ name: z.string(), description: z.string().nullable() })) })
  .nullable();

/** An enum's values with their SDL descriptions, from an `__type(name:) { enumValues { name description } }`. */
export function enumValuesOf(type: unknown): { name: string; description: string | null }[] {
  const parsed = enumTypeSchema.safeParse(type);
  return parsed.success ? (parsed.data?.enumValues ?? []) : [];
}

/** One entry of the diagram's measure menu. */
export interface PhaseMeasure {
  /** What Sweep.phaseDiagram's `measure` argument takes. */
  id: string;
  label: string;
  group: 'Final measures' | 'Grokking' | 'Algorithm verdict';
  description: string;
  /** Shares of runs lie in [0, 1] whatever the data: the colour scale is pinned there. */
  share: boolean;
}

/** The grokking step, which phaseDiagram takes beside the catalogue's ids (docs/api.md). */
export const GROK_STEP = 'grok_step';

/** The phaseDiagram measure id of an algorithm verdict: the share of runs with it (docs/api.md). */
export function verdictMeasureId(algorithm: string): string {
  return algorithm;
}

/**
 * The measures a phase diagram can show, all from the server: the catalogue's scalar measures (their final
 * values), the grokking step, and each Algorithm verdict (its SDL description as the explanation).
 */
export function phaseMeasures(options: PhaseOptions): PhaseMeasure[] {
  const scalars = options.measures
    .filter((m) => m.kind === 'SCALAR')
    .map<PhaseMeasure>((m) => ({
      id: m.id,
      label: m.id,
      group: 'Final measures',
      description: `${m.description} (${m.unit}; final value)`,
      share: false,
    }));
  const grok: PhaseMeasure = {
    id: GROK_STEP,
    label: GROK_STEP,
    group: 'Grokking',
    description: 'The step from which test accuracy stays ≥ 0.99; runs that have not grokked give no value.',
    share: false,
  };
  const verdicts = enumValuesOf(options.algorithms).map<PhaseMeasure>((v) => ({
    id: verdictMeasureId(v.name),
    label: `share ${v.name}`,
    group: 'Algorithm verdict',
    description: `Share of the cell’s finished runs judged ${v.name}${v.description ? `: ${v.description}` : ''}`,
    share: true,
  }));
  return [...scalars, grok, ...verdicts];
}

/** SHARE_ABOVE reduces any measure to a share; a verdict is one already. */
export function isShare(measure: PhaseMeasure | undefined, reduce: string): boolean {
  return reduce === 'SHARE_ABOVE' || measure?.share === true;
}
