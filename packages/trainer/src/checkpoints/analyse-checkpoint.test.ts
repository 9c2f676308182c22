import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { pythonWithNumpy } from '../../test/helpers/python.ts';
import { analyseCheckpoint } from './analyse-checkpoint.ts';
import { readCheckpointFile } from './read-checkpoint.ts';
import { encodeSafetensors } from './safetensors.ts';

const fixtures = new URL('../../test/fixtures/clock-pizza/', import.meta.url).pathname;
const script = new URL('../../test/helpers/torch_pt.py', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'grokscope-analyse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The Clock/Pizza paper's values for its two released models (fixture README; measures.md §5). Gradient symmetry:
// the reference used 100 triples, we use the final sample (1000); the per-triple spread is ≈ 0.37 on Clock, so
// its tolerance is the reference's own sampling error (≈ 3 × 0.037), ≈ 0.001 on Pizza.
const CASES = [
  {
    file: 'model-a.json',
    release: { C: 59, attn_coeff: 0, act_fn: 'ReLU', n_layers: 1, diff_vocab: 0, eqn_sign: 0 },
    q: 0.1717,
    circ: 0.9978,
    sg: 0.9937,
    sgTol: 0.01,
    norm: 22.854,
  },
  {
    file: 'model-b.json',
    release: { C: 59, attn_coeff: 1, act_fn: 'ReLU', n_layers: 1, diff_vocab: 0, eqn_sign: 0 },
    q: 0.8483,
    circ: 0.9989,
    sg: 0.3336,
    sgTol: 0.11,
    norm: 24.814,
  },
];

describeEachBackend('analyse: the released Clock/Pizza models give the paper’s values', () => {
  for (const c of CASES) {
    it(`${c.file} as JSON, as torch.save's .pt with its config_<run>.json, and as safetensors`, async () => {
      const json = readFileSync(join(fixtures, c.file));
      const fromJson = await analyseCheckpoint(json);
      const m = fromJson.measures;
      expect(fromJson.layout).toBe('clock-pizza');
      expect(m.accuracy).toBe(1);
      expect(Math.abs((m.distance_irrelevance as number) - c.q)).toBeLessThan(0.001);
      expect(Math.abs((m.circularity as number) - c.circ)).toBeLessThan(0.001);
      expect(Math.abs((m.gradient_symmetry as number) - c.sg)).toBeLessThan(c.sgTol);
      expect(Math.abs((m.parameter_norm as number) - c.norm)).toBeLessThan(0.001);
      expect(m.restricted_loss as number).toBeLessThan(m.excluded_loss as number);
      expect((m.key_frequencies as number[]).length).toBe(29);
      expect((m.key_frequencies as number[]).filter((k) => k === 1).length).toBeGreaterThan(0);

      // The same weights through PyTorch's zip format (W_U saved as a strided view) and the release's config.
      const pt = join(dir, `${c.file}.pt`);
      execFileSync(pythonWithNumpy(), [script, 'convert', join(fixtures, c.file), pt]);
      const fromPt = await analyseCheckpoint(readFileSync(pt), { config: c.release });
      expect(fromPt.format).toBe('pytorch');
      expect(fromPt.measures).toEqual(fromJson.measures);
      // And through safetensors, the config carried in its metadata.
      const { tensors } = readCheckpointFile(json);
      const st = encodeSafetensors(tensors, { grokscope_config: JSON.stringify(c.release) });
      const fromSt = await analyseCheckpoint(st);
      expect(fromSt.format).toBe('safetensors');
      expect(fromSt.measures).toEqual(fromJson.measures);
    }, 300_000);
  }
}, ['wasm']);

it('asks for the config of a two-token .pt (no attention rate in the weights)', async () => {
  const pt = join(dir, 'no-config.pt');
  execFileSync(pythonWithNumpy(), [script, 'convert', join(fixtures, 'model-a.json'), pt]);
  await expect(analyseCheckpoint(readFileSync(pt))).rejects.toThrow(/attn_coeff.*--config/);
});
