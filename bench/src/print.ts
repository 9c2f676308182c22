import type { GrokSection } from './sections/grok.ts';
import type { ParallelResult } from './sections/parallel.ts';
import type { StepsSection } from './sections/steps.ts';
import type { StorageResult } from './sections/storage.ts';
import type { TelemetryResult } from './sections/telemetry.ts';
import { formatTable } from './table.ts';

type Unavailable = { unavailable: string };

const short = (status: string) => (status.length > 40 ? `${status.slice(0, 37)}...` : status);

export function printSteps(section: StepsSection): string {
  const out: string[] = ['Step time per backend vs PyTorch (full-batch AdamW; grokscope with measures off)'];
  const rows = [
    ...section.pytorch.map((p) => ({
      config: p.config,
      impl: `pytorch${p.best ? ` ${p.best.threads}t` : ''}`,
      status: short(p.status),
      ms: p.best?.msPerStep,
      ratio: p.best ? 1 : undefined,
      matmul: p.matmulGflops,
      model: p.modelGflops,
      mfu: p.mfu,
    })),
    ...section.grokscope.map((g) => ({
      config: g.config,
      impl: g.backend,
      status: short(g.status),
      ms: g.msPerStep,
      ratio: g.ratioToPytorch,
      def: g.msPerStepDefault,
      defRatio: g.ratioDefaultToPytorch,
      overhead: g.overheadPct,
      inWindow: g.overheadInWindowPct,
      matmul: g.matmulGflops,
      model: g.modelGflops,
      mfu: g.mfu,
      exec: g.executedMfu,
    })),
  ].sort((a, b) => a.config.localeCompare(b.config));
  out.push(
    formatTable(rows, [
      ['config', 'config'],
      ['impl', 'impl'],
      ['status', 'status'],
      ['ms', 'ms/step'],
      ['ratio', 'ratio'],
      ['def', 'ms/step (measures)'],
      ['defRatio', 'ratio (measures)'],
      ['overhead', 'overhead % (vs off)'],
      ['inWindow', 'overhead % (in window)'],
      ['matmul', 'matmul GFLOP/s'],
      ['model', 'model GFLOP/s'],
      ['mfu', 'MFU'],
      ['exec', 'exec MFU'],
    ]),
  );
  for (const [config, f] of Object.entries(section.flops)) {
    out.push(
      `${config}: ${(f.model / 1e9).toFixed(3)} GFLOP/step dense model, ${(f.executed / 1e9).toFixed(3)} executed ` +
        `by grokscope (n_train ${f.nTrain}, n_test ${f.nTest})`,
    );
  }
  for (const p of section.parity) {
    out.push(
      `${p.config} vs peer_torch.py: ${p.mismatches.length ? `MISMATCH ${p.mismatches.join('; ')}` : 'hyper-parameters and split size match'}`,
    );
    for (const note of p.notes) out.push(`  note: ${note}`);
  }
  for (const row of [...section.grokscope, ...section.pytorch]) {
    if (row.status !== 'ok')
      out.push(`${row.config} ${'backend' in row ? row.backend : 'pytorch'}: ${row.status}`);
  }
  for (const p of section.pytorch)
    if (p.runs.length > 1)
      out.push(
        `${p.config} pytorch threads: ${p.runs.map((r) => `${r.threads}t ${r.msPerStep} ms`).join(', ')}`,
      );
  if (section.peerBlas) out.push(`PyTorch peer BLAS: ${section.peerBlas}`);
  if (section.measureCosts.length) {
    out.push('', 'Per-measure cost (measures due every step vs none; amortised at the default cadence)');
    out.push(
      formatTable(section.measureCosts, [
        ['config', 'config'],
        ['backend', 'backend'],
        ['measure', 'measure (cadence key)'],
        ['cadence', 'cadence'],
        ['msWhenDue', 'ms when due'],
        ['msAmortised', 'ms/step amortised'],
        ['pctOfStep', '% of step'],
      ]),
    );
  }
  return out.join('\n');
}

export function printParallel(result: ParallelResult | Unavailable): string {
  if ('unavailable' in result) return `Parallel runs: unavailable: ${result.unavailable}`;
  const starved =
    result.sweepCores !== undefined && result.sweepCores < 0.9 * result.runs
      ? `\nThe ${result.runs} runs got ${result.sweepCores} cores between them (load average ${result.loadBefore.sweep} ` +
        'before): other processes took the rest, so the speed-up is bounded by the machine, not by the runs.'
      : '';
  return (
    [
      `Parallel runs (${result.config}, ${result.steps} steps each, ${result.cores} cores)`,
      formatTable(
        [
          {
            runs: 1,
            rate: result.oneRunStepsPerSecond,
            busy: result.oneRunCores,
            perCpu: result.oneRunStepsPerCpuSecond,
            load: result.loadBefore.one,
          },
          {
            runs: result.runs,
            rate: result.sweepStepsPerSecond,
            speedUp: result.speedUp,
            busy: result.sweepCores,
            perCpu: result.sweepStepsPerCpuSecond,
            load: result.loadBefore.sweep,
          },
        ],
        [
          ['runs', 'runs at once'],
          ['rate', 'steps/s (all runs)'],
          ['speedUp', 'speed-up'],
          ['busy', 'cores used'],
          ['perCpu', 'steps per CPU-s'],
          ['load', 'load avg before'],
        ],
      ),
    ].join('\n') + starved
  );
}

export function printTelemetry(
  results: readonly (TelemetryResult | (Unavailable & { storage: string }))[],
): string {
  return [
    'Step → subscriber latency (loopback graphql-ws, runProgress, mlp-59 default cadences)',
    formatTable(
      results.map((r) =>
        'unavailable' in r
          ? { storage: r.storage, status: short(`unavailable: ${r.unavailable}`) }
          : { ...r, status: 'ok' },
      ),
      [
        ['storage', 'storage'],
        ['status', 'status'],
        ['steps', 'steps'],
        ['p50Ms', 'p50 ms'],
        ['p95Ms', 'p95 ms'],
        ['maxMs', 'max ms'],
        ['msBetweenSteps', 'ms between steps'],
      ],
    ),
  ].join('\n');
}

export function printStorage(
  results: readonly (StorageResult | (Unavailable & { storage: string }))[],
): string {
  return [
    'Storage: ingestion through appendReports, and reading four series of a long run at maxPoints 2000',
    formatTable(
      results.map((r) =>
        'unavailable' in r
          ? { storage: r.storage, status: short(`unavailable: ${r.unavailable}`) }
          : { ...r, status: 'ok' },
      ),
      [
        ['storage', 'storage'],
        ['status', 'status'],
        ['bulkPointsPerSecond', 'points/s (2000-step batches)'],
        ['singlePointsPerSecond', 'points/s (1-step commits)'],
        ['singleCommitMs', 'ms/commit'],
        ['runSteps', 'run steps'],
        ['readMs', 'read ms'],
        ['readPoints', 'points read'],
      ],
    ),
  ].join('\n');
}

export function printGrok(section: GrokSection): string {
  const rows = section.runs.map((run) =>
    'unavailable' in run
      ? { backend: run.backend, status: short(`unavailable: ${run.unavailable}`) }
      : {
          backend: run.backend,
          status: 'ok',
          steps: run.steps,
          wallSeconds: Number(run.wallSeconds.toFixed(1)),
          msPerStep: Number(run.msPerStep.toFixed(2)),
          grokStep: run.grokStep ?? '–',
          finalTestAcc: Number(run.finalTestAcc.toFixed(4)),
        },
  );
  const difference = section.relativeDifference;
  return [
    'mlp-59 (the bench configuration), default cadences, per engine',
    formatTable(rows, [
      ['backend', 'backend'],
      ['status', 'status'],
      ['steps', 'steps'],
      ['wallSeconds', 'wall s'],
      ['msPerStep', 'ms/step'],
      ['grokStep', 'grok step (test acc ≥ 0.99 from there on)'],
      ['finalTestAcc', 'final test acc'],
    ]),
    difference === undefined
      ? 'native vs wasm: not both grokked (more --grok-steps?)'
      : `native vs wasm: grokking steps ${(difference * 100).toFixed(1)} % apart (issue 14: within 2 %)`,
  ].join('\n');
}
