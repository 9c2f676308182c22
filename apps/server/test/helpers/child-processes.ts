import { readdirSync, readFileSync } from 'node:fs';

/** Pids of this process's children whose command line names `entry` (a trainer's entry file), from /proc (Linux). */
export function childProcessesRunning(entry: string): number[] {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        // Field 4 of stat is the parent pid; the command name (field 2) may hold spaces, so split after ')'.
        const parent = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1];
        return Number(parent) === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(entry);
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}
