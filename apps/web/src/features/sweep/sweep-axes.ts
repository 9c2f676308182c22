import { z } from 'zod';

export interface SweepAxis {
  path: string;
  values: unknown[];
}

// Sweep.axes is JSON (the axes as given); its shape is StartSweepInput's SweepAxisInput.
const axesSchema = z.array(z.object({ path: z.string(), values: z.array(z.unknown()) }));

/** The sweep's axes, or none when the JSON is not the expected shape (never thrown at a page). */
export function sweepAxes(json: readonly unknown[]): SweepAxis[] {
  const parsed = axesSchema.safeParse(json);
  return parsed.success ? parsed.data : [];
}

/** What a diagram can put on x or y: the axis paths, and `seed` when the sweep runs several (phaseDiagram takes it). */
export function diagramAxes(axes: readonly SweepAxis[], seeds: readonly number[]): string[] {
  const paths = axes.map((a) => a.path);
  return seeds.length > 1 && !paths.includes('seed') ? [...paths, 'seed'] : paths;
}
