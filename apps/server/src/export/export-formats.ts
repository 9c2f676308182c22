import type { ExportRow } from '@grokscope/db';
import { encodeNumber } from '@grokscope/trainer';
import type { ColumnSource } from 'hyparquet-writer';
import { fileWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import { numberText, pointLine } from './export-rows.ts';

export const EXPORT_FORMATS = ['csv', 'ndjson', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Where an export writes: pages of points in, a file or stdout out. */
export interface ExportSink {
  write(rows: readonly ExportRow[], runName: (id: string) => string): Promise<void>;
  close(): Promise<void>;
}

type Out = { write(text: string): Promise<void>; close(): Promise<void> };

/** NDJSON: the HTTP endpoint's lines (pointLine), without its trailer. */
export function ndjsonSink(out: Out): ExportSink {
  return {
    write: (rows) => out.write(rows.map((r) => `${pointLine(r)}\n`).join('')),
    close: () => out.close(),
  };
}

const CSV_HEADER = 'run_id,run_name,name,step,index,value\n';
const csvText = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
/** Shortest text that parses back to the same double, -0 kept, or NaN / Infinity / -Infinity. */
const csvNumber = (v: number) =>
  Number.isFinite(v) || Object.is(v, -0) ? numberText(v) : String(encodeNumber(v));

/**
 * CSV, one row per number: a scalar point has an empty `index`, a vector point one row per element (index 0…).
 * Numbers as the shortest decimal that reads back to the same double (vectors: the same float32).
 */
export function csvSink(out: Out): ExportSink {
  let headed = false;
  return {
    async write(rows, runName) {
      let text = headed ? '' : CSV_HEADER;
      headed = true;
      for (const r of rows) {
        const prefix = `${r.runId},${csvText(runName(r.runId))},${csvText(r.name)},${r.step},`;
        if (r.values === undefined) text += `${prefix},${csvNumber(r.value)}\n`;
        else
          r.values.forEach((v, i) => {
            text += `${prefix}${i},${csvNumber(v)}\n`;
          });
      }
      await out.write(text);
    },
    close: async () => {
      if (!headed) await out.write(CSV_HEADER);
      await out.close();
    },
  };
}

/**
 * Parquet (hyparquet-writer, pure JS): the CSV's columns typed, run_id/run_name/name STRING, step INT32, index INT32
 * (null for scalars), value DOUBLE (NaN and ±Infinity as IEEE values); one row group per page of points.
 */
export function parquetSink(filename: string): ExportSink {
  let writer: ParquetWriter | undefined;
  const columns = (rows: readonly ExportRow[], runName: (id: string) => string): ColumnSource[] => {
    const runId: string[] = [];
    const run: string[] = [];
    const name: string[] = [];
    const step: number[] = [];
    const index: (number | null)[] = [];
    const value: number[] = [];
    const push = (r: ExportRow, i: number | null, v: number) => {
      runId.push(r.runId);
      run.push(runName(r.runId));
      name.push(r.name);
      step.push(r.step);
      index.push(i);
      value.push(v);
    };
    for (const r of rows) {
      if (r.values === undefined) push(r, null, r.value);
      else
        r.values.forEach((v, i) => {
          push(r, i, v);
        });
    }
    return [
      { name: 'run_id', data: runId, type: 'STRING', nullable: false },
      { name: 'run_name', data: run, type: 'STRING', nullable: false },
      { name: 'name', data: name, type: 'STRING', nullable: false },
      { name: 'step', data: step, type: 'INT32', nullable: false },
      { name: 'index', data: index, type: 'INT32', nullable: true },
      { name: 'value', data: value, type: 'DOUBLE', nullable: false },
    ];
  };
  return {
    async write(rows, runName) {
      const columnData = columns(rows, runName);
      writer ??= new ParquetWriter({
        writer: fileWriter(filename),
        schema: schemaFromColumnData({ columnData }),
      });
      writer.write({ columnData });
    },
    async close() {
      writer ??= new ParquetWriter({
        writer: fileWriter(filename),
        schema: schemaFromColumnData({ columnData: columns([], () => '') }),
      });
      writer.finish();
    },
  };
}
