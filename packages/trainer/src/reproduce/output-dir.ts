import path from 'node:path';
import type { ReproductionSize } from './presets.ts';

/** `2026-11-23T02-41-50Z`: an ISO time without the characters some file systems refuse. */
function timestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

/** Where a reproduction writes: `outDir`, else `<cwd>/reproductions/<name>[-ci]-<timestamp>`. */
export function reproductionDir(
  name: string,
  size: ReproductionSize,
  startedAt: Date,
  options: { cwd?: string | undefined; outDir?: string | undefined },
): string {
  return path.resolve(
    options.cwd ?? process.cwd(),
    options.outDir ??
      path.join('reproductions', `${name}${size === 'ci' ? '-ci' : ''}-${timestamp(startedAt)}`),
  );
}
