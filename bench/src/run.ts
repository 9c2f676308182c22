import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs, USAGE } from './args.ts';
import { printGrok, printParallel, printSteps, printStorage, printTelemetry } from './print.ts';
import type { StorageKind } from './storages.ts';

/**
 * `pnpm bench`: trainer step time per backend against PyTorch, measure overhead and MFU, parallel runs, telemetry
 * latency, storage throughput and the default run's grokking time. Sections run one after another (never two heavy
 * processes at once); docs/bench.md explains every number. Sections are imported when they run, so one whose
 * dependencies (the server, the database) do not load here fails alone.
 */
const args = parseBenchArgs(process.argv.slice(2).filter((a) => a !== '--'));
if (args === 'help') {
  console.log(USAGE);
  process.exit(0);
}

const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const STORAGES: StorageKind[] = ['pglite', 'postgres'];
const report: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: args.cores, node: process.version },
  args: { ...args, pgUrl: args.pgUrl.replace(/\/\/[^@]*@/, '//…@') },
};
const started = performance.now();

for (const section of args.sections) {
  log(`section ${section}`);
  let text: string;
  if (section === 'steps') {
    const { benchSteps } = await import('./sections/steps.ts');
    const result = await benchSteps(args, log);
    report.steps = result;
    text = printSteps(result);
  } else if (section === 'parallel') {
    const { benchParallel } = await import('./sections/parallel.ts');
    const result = await benchParallel({ steps: args.parallelSteps, cores: args.cores }).catch(
      (error: unknown) => ({
        unavailable: String(error),
      }),
    );
    report.parallel = result;
    text = printParallel(result);
  } else if (section === 'telemetry') {
    const { benchTelemetry } = await import('./sections/telemetry.ts');
    const results = [];
    for (const kind of STORAGES)
      results.push(await benchTelemetry(kind, args.pgUrl, { steps: args.telemetrySteps }));
    report.telemetry = results;
    text = printTelemetry(results);
  } else if (section === 'storage') {
    const { benchStorage } = await import('./sections/storage.ts');
    const results = [];
    for (const kind of STORAGES)
      results.push(await benchStorage(kind, args.pgUrl, { runSteps: args.storageSteps }));
    report.storage = results;
    text = printStorage(results);
  } else if (section === 'web') {
    const { benchWeb, printWeb } = await import('./sections/web.ts');
    const result = await benchWeb({ runs: 10, steps: args.quick ? 10_000 : 100_000, loads: 3 }, log).catch(
      (error: unknown) => ({ unavailable: String(error) }),
    );
    report.web = result;
    text = printWeb(result);
  } else if (section === 'load') {
    const { benchLoad, printLoad } = await import('./sections/load.ts');
    const results = [];
    for (const kind of STORAGES)
      results.push(
        await benchLoad(kind, args.pgUrl, { subscribers: args.loadSubscribers, seconds: args.loadSeconds }),
      );
    report.load = results;
    text = printLoad(results);
  } else if (section === 'memory') {
    const { benchMemory, printMemory } = await import('./sections/memory.ts');
    const result = await benchMemory({
      runs: args.memoryRuns,
      stepsPerRun: args.quick ? 100 : 300,
      trainerSteps: args.quick ? 50 : 200,
    }).catch((error: unknown) => ({ unavailable: String(error) }));
    report.memory = result;
    text = printMemory(result);
  } else if (section === 'faults') {
    const { benchFaults, printFaults } = await import('./sections/faults.ts');
    const result = await benchFaults({
      stormSeconds: args.quick ? 5 : 30,
      soakSeconds: args.quick ? 30 : 600,
      log,
    }).catch((error: unknown) => ({ unavailable: String(error) }));
    report.faults = result;
    text = printFaults(result);
  } else if (section === 'rfm') {
    const { benchRfm, printRfm } = await import('./sections/rfm.ts');
    const result = await benchRfm({
      primes: args.quick ? [23, 31] : [23, 31, 47, 61],
      iterations: args.quick ? 2 : 3,
      log,
    }).catch((error: unknown) => ({ unavailable: String(error) }));
    report.rfm = result;
    text = printRfm(result);
  } else if (section === 'sweep') {
    // Two parts in their own modules: 8 same-shape runs batched in one process vs separate processes, and
    // queue workers in two processes vs one.
    const { benchBatchedSweep, printBatchedSweep } = await import('./sections/sweep-batched.ts');
    const batched = await benchBatchedSweep({
      runs: 8,
      steps: args.quick ? 60 : 150,
      cores: args.cores,
      rounds: args.quick ? 1 : 3,
      log,
    }).catch((error: unknown) => ({ unavailable: String(error) }));
    report.sweepBatched = batched;
    const { benchSweepWorkers, printSweepWorkers } = await import('./sections/sweep-workers.ts');
    const workers = await benchSweepWorkers({
      pgUrl: args.pgUrl,
      runs: args.sweepRuns,
      steps: args.sweepSteps,
      log,
    }).catch((error: unknown) => ({ unavailable: String(error) }));
    report.sweepWorkers = workers;
    text = `${printBatchedSweep(batched)}\n\n${printSweepWorkers(workers)}`;
  } else {
    const { benchGrok } = await import('./sections/grok.ts');
    const result = await benchGrok(args.grokSteps, args.backends);
    report.grok = result;
    text = printGrok(result);
  }
  console.log(`\n${text}\n`);
}

report.wallSeconds = Math.round((performance.now() - started) / 100) / 10;
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const out = args.out ?? fileURLToPath(new URL(`../results/bench-${stamp}.json`, import.meta.url));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`wrote ${out} (${report.wallSeconds} s)`);
