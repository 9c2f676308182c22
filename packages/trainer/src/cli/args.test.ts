import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config.ts';
import { parseTrainArgs, UsageError } from './args.ts';
import { parseReproduceArgs } from './reproduce-args.ts';

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

  it('builds a transformer model from its flags, --model or not', async () => {
    const flags = ['--d-model', '64', '--heads', '2', '--d-mlp', '256', '--alpha', '0', '--causal', 'false'];
    const implied = await parseTrainArgs([...flags, '--equals-token', 'false'], dir);
    expect(implied.config.model).toEqual({
      kind: 'TRANSFORMER',
      dModel: 64,
      heads: 2,
      dMlp: 256,
      alpha: 0,
      causal: false,
      equalsToken: false,
    });
    const explicit = await parseTrainArgs(['--model', 'transformer'], dir);
    expect(explicit.config.model).toEqual({ kind: 'TRANSFORMER' });
    expect(parseRunConfig(explicit.config).model).toMatchObject({
      kind: 'TRANSFORMER',
      dModel: 128,
      heads: 4,
    });
  });

  it('takes the MLP variant and optimiser flags', async () => {
    const args = await parseTrainArgs(
      [
        ...['--model', 'MLP', '--depth', '2', '--combine', 'sum', '--activation', 'silu', '--bias', 'false'],
        ...['--beta1', '0.8', '--beta2', '0.99', '--warmup-steps', '10'],
      ],
      dir,
    );
    expect(args.config).toEqual({
      model: { kind: 'MLP', depth: 2, combine: 'sum', activation: 'silu', bias: false },
      optimizer: { beta1: 0.8, beta2: 0.99, warmupSteps: 10 },
    });
    expect(() => parseRunConfig(args.config)).not.toThrow();
  });

  it("keeps the file's model fields for the same kind and drops them for another", async () => {
    const same = await parseTrainArgs(['--config', 'run.json', '--depth', '3'], dir);
    expect(same.config.model).toEqual({ kind: 'MLP', embedDim: 16, hiddenDim: 32, depth: 3 });
    const other = await parseTrainArgs(
      ['--config', 'run.json', '--model', 'transformer', '--alpha', '0.5'],
      dir,
    );
    expect(other.config.model).toEqual({ kind: 'TRANSFORMER', alpha: 0.5 });
  });

  it('refuses mixed or contradicting model flags and bad booleans or kinds', async () => {
    await expect(parseTrainArgs(['--d-model', '64', '--embed-dim', '8'], dir)).rejects.toThrow(
      /cannot be combined/,
    );
    await expect(parseTrainArgs(['--model', 'mlp', '--alpha', '0'], dir)).rejects.toThrow(
      /cannot take transformer/,
    );
    await expect(parseTrainArgs(['--model', 'rnn'], dir)).rejects.toThrow(/mlp or transformer/);
    await expect(parseTrainArgs(['--causal', 'no'], dir)).rejects.toThrow(/true or false/);
  });
});

describe('parseReproduceArgs', () => {
  it('reads the name, the size and the output folder', () => {
    expect(parseReproduceArgs(['clock'], '/home/u')).toEqual({
      help: false,
      name: 'clock',
      size: 'full',
      outDir: undefined,
      overrides: {},
    });
    const ci = parseReproduceArgs(
      ['pizza', '--ci', '--out', 'r', '--steps', '100', '--seed', '2'],
      '/home/u',
    );
    expect(ci).toMatchObject({ name: 'pizza', size: 'ci', outDir: path.resolve('/home/u', 'r') });
    expect(ci.overrides).toEqual({ steps: 100, seed: 2 });
    expect(parseReproduceArgs(['progress-measures', '--size', 'ci', '--backend', 'cpu'], '/')).toMatchObject({
      size: 'ci',
      overrides: { backend: 'cpu' },
    });
    expect(parseReproduceArgs(['--help'], '/').help).toBe(true);
  });

  it('refuses unknown names, sizes and backends, and contradictions', () => {
    expect(() => parseReproduceArgs([], '/')).toThrow(UsageError);
    expect(() => parseReproduceArgs(['spiral'], '/')).toThrow(/unknown reproduction 'spiral'/);
    expect(() => parseReproduceArgs(['clock', 'pizza'], '/')).toThrow(/one name/);
    expect(() => parseReproduceArgs(['clock', '--size', 'huge'], '/')).toThrow(/full or ci/);
    expect(() => parseReproduceArgs(['clock', '--ci', '--size', 'full'], '/')).toThrow(/contradicts/);
    expect(() => parseReproduceArgs(['clock', '--backend', 'tpu'], '/')).toThrow(/--backend/);
    expect(parseReproduceArgs(['clock', '--steps', 'x'], '/').overrides.steps).toBeNaN();
  });
});
