import type { BandSpec } from '../../charts/metric-chart.tsx';
import { OKABE_ITO } from '../../charts/palette.ts';
import type { RunHeader } from './queries.ts';

export type Phases = NonNullable<RunHeader['phases']>;

const PHASE_COLORS = { memorisation: OKABE_ITO.sky, circuit: OKABE_ITO.yellow, cleanup: OKABE_ITO.green };

/** Memorisation / circuit formation / clean-up (the server's Run.phases) as shaded step ranges, where both ends are known. */
export function phaseBands(phases: Phases | null): BandSpec[] {
  if (!phases) return [];
  const { memorisationEnd: m, circuitFormationEnd: c, cleanupEnd: e } = phases;
  const bands: BandSpec[] = [];
  if (m !== null) bands.push({ from: 0, to: m, label: 'memorisation', color: PHASE_COLORS.memorisation });
  if (m !== null && c !== null && c > m)
    bands.push({ from: m, to: c, label: 'circuit formation', color: PHASE_COLORS.circuit });
  if (c !== null && e !== null && e > c)
    bands.push({ from: c, to: e, label: 'clean-up', color: PHASE_COLORS.cleanup });
  return bands;
}
