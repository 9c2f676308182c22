import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      cwd: '/',
    },
  };
}

// Argument handling only: nothing here starts a backend (the runs themselves are in test/reproduce.test.ts).
describe('grokscope reproduce (arguments)', () => {
  it('prints the usage for --help', async () => {
    const { out, io: cli } = io();
    expect(await runCli(['reproduce', '--help'], cli)).toBe(0);
    expect(out.join('')).toMatch(/grokscope reproduce <name>/);
  });

  it('exits 2 for an unknown name, a missing name or an invalid step cap, before training', async () => {
    for (const argv of [['reproduce', 'spiral'], ['reproduce'], ['reproduce', 'clock', '--steps', '0']]) {
      const { err, io: cli } = io();
      expect(await runCli(argv, cli)).toBe(2);
      expect(err.join('')).toMatch(/^grokscope: invalid (arguments|config): /);
    }
  });

  it('exits 2 for sweep-only or run-only options on the wrong kind of reproduction', async () => {
    for (const [argv, message] of [
      [['reproduce', 'clock', '--jobs', '2'], /--jobs applies to sweeps only/],
      [['reproduce', 'embedding-dim', '--jobs', '0'], /--jobs must be an integer 1\.\.64/],
      [['reproduce', 'embedding-dim', '--seed', '3'], /--seed and --backend do not apply/],
      [['reproduce', 'rfm', '--steps', '0'], /steps|iterations/],
    ] as const) {
      const { err, io: cli } = io();
      expect(await runCli(argv, cli)).toBe(2);
      expect(err.join('')).toMatch(message);
    }
  });

  it('names every reproduction, rfm and embedding-dim included, for an unknown name', async () => {
    const { err, io: cli } = io();
    expect(await runCli(['reproduce', 'spiral'], cli)).toBe(2);
    expect(err.join('')).toMatch(/known: progress-measures, clock, pizza, rfm, embedding-dim/);
  });
});
