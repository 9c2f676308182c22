export type { CreateDbOptions, Database, EmbeddedDatabase, PostgresDatabase } from './client.ts';
export { createDb, MEMORY_DATA_DIR } from './client.ts';
export type { Db, Schema, Tx } from './db.ts';
export { MIGRATIONS_FOLDER, migrate } from './migrate.ts';
export {
  checkpointAtOrBefore,
  checkpointStepsKept,
  HISTORY_PER_OCTAVE,
  saveCheckpointWithHistory,
} from './queries/checkpoint-history.ts';
export {
  CHECKPOINTS_KEPT,
  latestCheckpoint,
  listCheckpoints,
  saveCheckpoint,
} from './queries/checkpoints.ts';
export { getRunsByIds } from './queries/compare.ts';
export type { RunCursor } from './queries/cursor.ts';
export { decodeCursor, encodeCursor, InvalidCursorError } from './queries/cursor.ts';
export { BLOCK_SIZES, bucketOf, bucketWidth, keepsIndex } from './queries/downsample.ts';
export type { ExportKey, ExportRow } from './queries/export.ts';
export { countExportRows, exportRuns, readExportPage } from './queries/export.ts';
export {
  interruptSilentExternalRuns,
  readStepPoints,
  type StoredPoint,
  touchExternalRun,
} from './queries/external.ts';
export { recordMeasureVersions } from './queries/measure-versions.ts';
export type {
  AppendReportsOptions,
  ReadReportsOptions,
  ReportBatchItem,
  StoredReport,
} from './queries/metrics.ts';
export {
  appendReports,
  latestScalars,
  type ReplacedValues,
  readReports,
  rebuildMetricBlocks,
  replaceStepReport,
} from './queries/metrics.ts';
export { pgNotify } from './queries/notify.ts';
export { claimQueuedRun, heartbeatQueuedRun, requeueRun } from './queries/queued-runs.ts';
export type { ConfigPredicate, RunFilter, SummaryNumber, SummaryPredicate } from './queries/run-filter.ts';
export { globToLike } from './queries/run-filter.ts';
export { deleteFinishedRun, setRunArchived } from './queries/run-management.ts';
export type { RunOrder, RunOrderKey } from './queries/run-order.ts';
export { DEFAULT_RUN_ORDER } from './queries/run-order.ts';
export type {
  ListRunsOptions,
  MarkInterruptedScope,
  RunPage,
  RunPatch,
  SetRunStatusExtra,
} from './queries/runs.ts';
export {
  DEFAULT_PAGE_SIZE,
  deleteRun,
  getRun,
  heartbeatRuns,
  insertRun,
  listRuns,
  MAX_PAGE_SIZE,
  markInterrupted,
  setRunStatus,
  updateRun,
} from './queries/runs.ts';
export type { Series, SeriesOptions, SeriesPage, SeriesPageOptions } from './queries/series.ts';
export { readSeries, readSeriesForRuns, readSeriesPage } from './queries/series.ts';
export type { Spectra, SpectraOptions } from './queries/spectra.ts';
export { readSpectra } from './queries/spectra.ts';
export type { SweepCounts, SweepPage } from './queries/sweeps.ts';
export {
  finishSweepIfDone,
  getSweep,
  insertSweep,
  latestValues,
  listSweeps,
  markSweepStopped,
  sweepCounts,
  sweepRuns,
  sweepStatus,
} from './queries/sweeps.ts';
export type { NewApiToken } from './queries/tokens.ts';
export {
  findActiveApiToken,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
  touchApiToken,
} from './queries/tokens.ts';
export * from './schema.ts';
export { isUuid } from './uuid.ts';
