import type { ProgressStream } from './progress-bar.ts';

/** What a CLI command writes to and reads from; its own module so every command can take it without a cycle. */
export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  /** Where relative --config paths start (the directory the user ran the command in). */
  cwd: string;
  /** Aborted on Ctrl-C by the entry point. */
  signal?: AbortSignal;
  /** The environment (GROKSCOPE_URL, GROKSCOPE_TOKEN: sweep reproductions store their sweep on that server). */
  env?: Readonly<Record<string, string | undefined>>;
}
