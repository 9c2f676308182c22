import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_DIR, WEB_DIR } from './paths.ts';

/** Newest modification time under `dir` (recursively), ignoring nothing: src/ holds only app code. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Vitest global setup: runs `next build` when there is no build or src/ changed since the last one, so the test
 * always exercises the code on disk in production mode. Set E2E_NEXT_DEV=1 to skip this and use `next dev`.
 */
export default function setup(): void {
  if (process.env.E2E_NEXT_DEV === '1') return;
  const buildId = join(WEB_DIR, DIST_DIR, 'BUILD_ID');
  const sources = Math.max(
    newestMtime(join(WEB_DIR, 'src')),
    statSync(join(WEB_DIR, 'next.config.ts')).mtimeMs,
  );
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= sources) return;
  console.log('[e2e] building the web app (next build)…');
  execFileSync('pnpm', ['exec', 'next', 'build'], { cwd: WEB_DIR, stdio: 'inherit' });
}
