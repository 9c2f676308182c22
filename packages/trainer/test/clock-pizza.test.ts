import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { allPairs } from '../src/data/pairs.ts';
import { fourierBasisFloat32 } from '../src/fourier/basis.ts';
import { registerGradients } from '../src/gradients/index.ts';
import { circularity } from '../src/measures/circularity.ts';
import { distanceIrrelevance } from '../src/measures/distance-irrelevance.ts';
import { gradientSymmetry } from '../src/measures/gradient-symmetry.ts';
import { computeInputAgop } from '../src/measures/input-agop.ts';
import type { MeasureSnapshot } from '../src/measures/measure.ts';
import { weightNorm } from '../src/measures/weight-norm.ts';
import { loadReferenceModel } from '../src/models/reference-model.ts';
import { describeEachBackend } from './helpers/backends.ts';
import { embeddingHostSync } from './helpers/snapshot.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/clock-pizza/${name}`, import.meta.url), 'utf8'));

/** A snapshot of a loaded reference checkpoint (all pairs; the split does not matter for these measures). */
function referenceSnapshot(
  name: string,
  triples: number,
): { snapshot: MeasureSnapshot; dispose: () => void } {
  const loaded = loadReferenceModel(fixture(name));
  const config = { ...loaded.config, analysis: { ...loaded.config.analysis, symmetryTriples: triples } };
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
    inputAgop: () => computeInputAgop(snapshot),
    embeddingHost: () => embeddingHostSync(model),
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

// Reference values (measures.md §5): Model A (α = 0, Pizza) and Model B (α = 1, Clock).
const CASES = [
  { name: 'model-a.json', q: 0.1717, circ: 0.9978, sg: 0.9937, sgTol: 0.01, norm: 22.854 },
  // Per-triple cosines spread with std ≈ 0.37 on Clock: with T = 400 the sampling error is ≈ 0.019; 3σ ≈ 0.06.
  { name: 'model-b.json', q: 0.8483, circ: 0.9989, sg: 0.3336, sgTol: 0.06, norm: undefined },
];

describeEachBackend('Clock and Pizza reference checkpoints', () => {
  for (const c of CASES) {
    it(`${c.name}: distance irrelevance ${c.q}, circularity ${c.circ}, gradient symmetry ${c.sg}`, () => {
      registerGradients();
      const { snapshot, dispose } = referenceSnapshot(c.name, 400);
      expect(Math.abs(value(() => distanceIrrelevance.compute(snapshot)) - c.q)).toBeLessThan(0.005);
      expect(Math.abs(value(() => circularity.compute(snapshot)) - c.circ)).toBeLessThan(0.005);
      expect(Math.abs(value(() => gradientSymmetry.compute(snapshot)) - c.sg)).toBeLessThan(c.sgTol);
      if (c.norm !== undefined)
        expect(Math.sqrt(value(() => weightNorm.compute(snapshot)))).toBeCloseTo(c.norm, 2);
      dispose();
    });
  }
});
