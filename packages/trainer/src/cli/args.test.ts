import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrainArgs, UsageError } from './args.ts';

describe('parseTrainArgs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'grokscope-args-'));
    await writeFile(
      path.join(dir, 'run.json'),
      JSON.stringify({
        p: 31,
        seed: 5,
        model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 },
        optimizer: { lr: 0.01, beta2: 0.99 },
      }),
    );
    await writeFile(path.join(dir, 'broken.json'), '{ p: 31');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true });
  });

  it('turns flags into a RunConfigInput', async () => {
    const args = await parseTrainArgs(['--p', '23', '--steps', '300', '--backend', 'cpu', '--json'], dir);
    expect(args).toEqual({ help: false, json: true, config: { p: 23, steps: 300, backend: 'cpu' } });
  });

  it('merges flags over a --config file resolved from the base directory, deeply for model and optimizer', async () => {
    const args = await parseTrainArgs(
      ['--config', 'run.json', '--seed', '9', '--hidden-dim', '64', '--weight-decay', '2'],
      dir,
    );
    expect(args.config).toEqual({
      p: 31,
      seed: 9,
      model: { kind: 'MLP', embedDim: 16, hiddenDim: 64 },
      optimizer: { lr: 0.01, beta2: 0.99, weightDecay: 2 },
    });
  });

  it('passes non-numbers through as NaN for the config validation to name', async () => {
    const args = await parseTrainArgs(['--p', 'abc'], dir);
    expect(args.config.p).toBeNaN();
  });

  it('refuses unknown flags and unreadable or invalid config files', async () => {
    await expect(parseTrainArgs(['--nope'], dir)).rejects.toThrow(UsageError);
    await expect(parseTrainArgs(['--config', 'missing.json'], dir)).rejects.toThrow(
      /cannot read .*missing\.json/,
    );
    await expect(parseTrainArgs(['--config', 'broken.json'], dir)).rejects.toThrow(/not valid JSON/);
  });
});
