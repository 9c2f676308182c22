import { fileURLToPath } from 'node:url';

/** Folders the harness works in, resolved from this file so the test runs from any cwd. */
export const WEB_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const REPO_DIR = fileURLToPath(new URL('../../../../', import.meta.url));
export const SERVER_DIR = fileURLToPath(new URL('../../../server/', import.meta.url));
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));

/** The Next build folder: `.next`, or NEXT_DIST_DIR (next.config.ts reads the same variable). */
export const DIST_DIR = process.env.NEXT_DIST_DIR ?? '.next';
