export * from './config.ts';
export type { StepReport } from './report.ts';
