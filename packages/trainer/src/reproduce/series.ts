import type { StepReport } from '../report.ts';

/** One vector measure over the run: the steps it was computed at and its values there. */
export interface VectorSeries {
  steps: number[];
  rows: number[][];
}

/**
 * Everything a reproduction keeps of a run: every scalar at every step it was reported, and the spectra it plots.
 * Memory: ~15 scalars × 40k steps ≈ 5 MB of numbers for the longest run, so keeping all of it is fine.
 */
export class RunRecorder {
  /** Scalar measure ids in the order they first appeared (CSV column order). */
  readonly scalarIds: string[] = [];
  readonly scalarRows: { step: number; scalars: Record<string, number> }[] = [];
  readonly vectors = new Map<string, VectorSeries>();
  last: StepReport | undefined;

  constructor(private readonly vectorIds: readonly string[]) {}

  record(report: StepReport): void {
    this.last = report;
    for (const id of Object.keys(report.scalars)) if (!this.scalarIds.includes(id)) this.scalarIds.push(id);
    this.scalarRows.push({ step: report.step, scalars: report.scalars });
    for (const id of this.vectorIds) {
      const values = report.vectors[id];
      if (values === undefined) continue;
      let series = this.vectors.get(id);
      if (!series) {
        series = { steps: [], rows: [] };
        this.vectors.set(id, series);
      }
      series.steps.push(report.step);
      series.rows.push(values);
    }
  }

  /** The steps at which `id` was reported, with its values there (NaN entries kept: analysis skips them). */
  scalar(id: string): { steps: number[]; values: number[] } {
    const steps: number[] = [];
    const values: number[] = [];
    for (const row of this.scalarRows) {
      const value = row.scalars[id];
      if (value === undefined) continue;
      steps.push(row.step);
      values.push(value);
    }
    return { steps, values };
  }

  /** The steps at which every one of `ids` was reported, with their values there (for series compared step by step). */
  aligned(ids: readonly string[]): { steps: number[]; values: number[][] } {
    const steps: number[] = [];
    const values: number[][] = ids.map(() => []);
    for (const row of this.scalarRows) {
      if (!ids.every((id) => row.scalars[id] !== undefined)) continue;
      steps.push(row.step);
      ids.forEach((id, i) => {
        values[i]!.push(row.scalars[id]!);
      });
    }
    return { steps, values };
  }
}
