import { RUN_NAME_MAX } from './run.ts';

/** A run's name in a sweep: the sweep's, its axis values and its seed (`clock-pizza α=0.3 dModel=128 s2`). */
export function sweepRunName(sweep: string, axisValues: Record<string, unknown>, seed: number): string {
  const values = Object.entries(axisValues).map(([path, value]) => {
    const leaf = path.split('.').at(-1) ?? path;
    return `${leaf}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
  });
  return [sweep, ...values, `s${seed}`].join(' ').slice(0, RUN_NAME_MAX);
}
