import { createRfm, parseRunConfig, type RfmTimings, rfmMatrixBytes } from '@grokscope/trainer';
import { formatTable } from '../table.ts';

export interface RfmRow {
  p: number;
  trainFraction: number;
  trainPairs: number;
  /** Float64 kernel memory the run holds (the config's memory guard counts this). */
  kernelMiB: number;
  iterations: number;
  /** Means over the timed iterations, ms. */
  kernelMs: number;
  solveMs: number;
  predictMs: number;
  agopMs: number;
  powerMs: number;
  totalMs: number;
}

export type RfmSection = { rows: RfmRow[] } | { unavailable: string };

/**
 * RFM time per iteration (src/rfm/, host float64) split into its parts, at a few p with the paper's 50% train
 * fraction (the rfm reproduction's setting). One untimed iteration first (JIT warm-up); then `iterations` timed
 * ones, each fitting with the feature matrix the previous one produced, as a run does.
 */
export async function benchRfm(options: {
  primes: readonly number[];
  iterations: number;
  log: (line: string) => void;
}): Promise<RfmSection> {
  const rows: RfmRow[] = [];
  for (const p of options.primes) {
    const trainFraction = 0.5;
    const config = parseRunConfig({
      p,
      trainFraction,
      model: { kind: 'RFM', iterations: options.iterations + 1 },
    });
    if (config.model.kind !== 'RFM') return { unavailable: 'the config did not parse as an RFM' };
    const rfm = createRfm(config, config.model);
    let M = rfm.iterate(rfm.initial).next;
    const sums: RfmTimings = { kernel: 0, solve: 0, predict: 0, agop: 0, power: 0 };
    for (let t = 0; t < options.iterations; t++) {
      const result = rfm.iterate(M);
      for (const key of Object.keys(sums) as (keyof RfmTimings)[]) sums[key] += result.timings[key];
      M = result.next;
      // Let the event loop breathe between long synchronous iterations.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const mean = (ms: number) => Math.round((ms / options.iterations) * 10) / 10;
    const row: RfmRow = {
      p,
      trainFraction,
      trainPairs: rfm.trainSize,
      kernelMiB: Math.round(rfmMatrixBytes(p, trainFraction) / 2 ** 20),
      iterations: options.iterations,
      kernelMs: mean(sums.kernel),
      solveMs: mean(sums.solve),
      predictMs: mean(sums.predict),
      agopMs: mean(sums.agop),
      powerMs: mean(sums.power),
      totalMs: mean(sums.kernel + sums.solve + sums.predict + sums.agop + sums.power),
    };
    options.log(`rfm p = ${p}: ${row.totalMs} ms/iteration`);
    rows.push(row);
  }
  return { rows };
}

export function printRfm(result: RfmSection): string {
  if ('unavailable' in result) return `RFM: unavailable: ${result.unavailable}`;
  return [
    'RFM time per iteration (Gaussian kernel, ridgeless, 50% train, host float64, one thread), ms',
    formatTable(result.rows, [
      ['p', 'p'],
      ['trainPairs', 'train pairs'],
      ['kernelMiB', 'kernel MiB'],
      ['iterations', 'timed iters'],
      ['kernelMs', 'kernel'],
      ['solveMs', 'Cholesky + solve'],
      ['predictMs', 'predict'],
      ['agopMs', 'AGOP'],
      ['powerMs', 'G^½'],
      ['totalMs', 'total'],
    ]),
  ].join('\n');
}
