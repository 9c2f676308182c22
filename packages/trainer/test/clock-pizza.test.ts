import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { allPairs } from '../src/data/pairs.ts';
import { fourierBasisFloat32 } from '../src/fourier/basis.ts';
import { registerGradients } from '../src/gradients/index.ts';
import { circularity } from '../src/measures/circularity.ts';
import { distanceIrrelevance } from '../src/measures/distance-irrelevance.ts';
import { gradientSymmetry, gradientSymmetrySe } from '../src/measures/gradient-symmetry.ts';
import type { MeasureSnapshot } from '../src/measures/measure.ts';
import { weightNorm } from '../src/measures/weight-norm.ts';
import { loadReferenceModel } from '../src/models/reference-model.ts';
import { describeEachBackend } from './helpers/backends.ts';
import { syncHost } from './helpers/snapshot.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/clock-pizza/${name}`, import.meta.url), 'utf8'));

/** A snapshot of a loaded reference checkpoint (all pairs; the split does not matter for these measures). */
function referenceSnapshot(
  name: string,
  triples: number,
  final = false,
): { snapshot: MeasureSnapshot; dispose: () => void } {
  const loaded = loadReferenceModel(fixture(name));
  const config = {
    ...loaded.config,
    analysis: { ...loaded.config.analysis, symmetryTriples: triples, finalSymmetryTriples: 2 * triples },
  };
  const { p } = config;
  const pairs = allPairs(p);
  const basis = tf.tensor2d(fourierBasisFloat32(p), [p, p]);
  const grid: MeasureSnapshot['grid'] = {
    a: tf.tensor1d(pairs.a, 'int32'),
    b: tf.tensor1d(pairs.b, 'int32'),
    labels: tf.tensor1d(pairs.label, 'int32'),
    trainIndex: tf.tensor1d(
      Int32Array.from({ length: p * p }, (_, i) => i),
      'int32',
    ),
    testIndex: tf.tensor1d([], 'int32'),
  };
  const model = loaded.model;
  const snapshot: MeasureSnapshot = {
    config,
    model,
    fourierBasis: basis,
    grid,
    gridLogits: () => model.logits(grid.a, grid.b),
    keyFrequencyMask: () => {
      throw new Error('not needed');
    },
    host: syncHost(model, () => snapshot),
    final,
    shared: (_key, make) => make(),
  };
  return {
    snapshot,
    dispose: () => {
      model.dispose();
      tf.dispose([basis, grid.a, grid.b, grid.labels, grid.trainIndex, grid.testIndex]);
    },
  };
}

const value = (f: () => tf.Tensor): number => {
  const t = tf.tidy(f);
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};

// Reference values (measures.md §5): Model A (α = 0, Pizza) and Model B (α = 1, Clock). `seRange`: where our
// standard error must fall at T = 400 (per-triple cosines spread with std ≈ 0.37 on Clock, ≈ 0.001 on Pizza).
const CASES = [
  {
    name: 'model-a.json',
    q: 0.1717,
    circ: 0.9978,
    sg: 0.9937,
    sgTol: 0.01,
    norm: 22.854,
    seRange: [0, 0.005],
  },
  {
    name: 'model-b.json',
    q: 0.8483,
    circ: 0.9989,
    sg: 0.3336,
    sgTol: 0.06,
    norm: undefined,
    seRange: [0.01, 0.03],
  },
];

describeEachBackend('Clock and Pizza reference checkpoints', () => {
  for (const c of CASES) {
    it(`${c.name}: distance irrelevance ${c.q}, circularity ${c.circ}, gradient symmetry ${c.sg}`, () => {
      registerGradients();
      const { snapshot, dispose } = referenceSnapshot(c.name, 400);
      expect(Math.abs(value(() => distanceIrrelevance.compute(snapshot)) - c.q)).toBeLessThan(0.005);
      expect(Math.abs(value(() => circularity.compute(snapshot)) - c.circ)).toBeLessThan(0.005);
      expect(Math.abs(value(() => gradientSymmetry.compute(snapshot)) - c.sg)).toBeLessThan(c.sgTol);
      const se = value(() => gradientSymmetrySe.compute(snapshot));
      expect(se).toBeGreaterThanOrEqual(c.seRange[0]!);
      expect(se).toBeLessThan(c.seRange[1]!);
      if (c.norm !== undefined)
        expect(Math.sqrt(value(() => weightNorm.compute(snapshot)))).toBeCloseTo(c.norm, 2);
      dispose();
    });
  }

  it('model-b.json: the final sample (800 triples) agrees with the reference within their joint sampling error', () => {
    // The reference 0.3336 is itself a mean over 100 triples: its error is ≈ √8 × ours (same spread, 8× fewer).
    registerGradients();
    const { snapshot, dispose } = referenceSnapshot('model-b.json', 400, true);
    const sg = value(() => gradientSymmetry.compute(snapshot));
    const se = value(() => gradientSymmetrySe.compute(snapshot));
    const step = referenceSnapshot('model-b.json', 400, false);
    const seStep = value(() => gradientSymmetrySe.compute(step.snapshot));
    step.dispose();
    dispose();
    expect(se).toBeLessThan(seStep); // twice the triples: ≈ 1/√2 of the per-step error
    expect(se / seStep).toBeGreaterThan(0.6);
    expect(se / seStep).toBeLessThan(0.8);
    expect(Math.abs(sg - 0.3336)).toBeLessThan(3 * Math.sqrt(se ** 2 + 8 * se ** 2));
  });
});
