/**
 * What a trainer child process (worker.ts, batch-worker.ts) does with its parent: exit once orphaned, and write
 * telemetry lines with backpressure.
 */

/**
 * A parent killed with SIGKILL cannot stop its trainer: the trainer notices it was orphaned and exits, so a dead
 * server or queue worker leaves no process writing nowhere.
 */
export function exitWhenOrphaned(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(1);
  }, 500).unref();
}

/** Writes one line to stdout; resolves once the stream takes more (a parent that reads slowly holds the trainer). */
export function writeLine(line: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(`${line}\n`)) resolve();
    else process.stdout.once('drain', resolve);
  });
}
