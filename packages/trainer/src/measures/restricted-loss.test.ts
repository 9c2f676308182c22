import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { fakeSnapshot, values } from '../../test/helpers/snapshot.ts';
import { excludedLoss } from './excluded-loss.ts';
import { excludedLossPerFrequency } from './excluded-loss-per-frequency.ts';
import { restrictedLoss } from './restricted-loss.ts';

/** Λ[(a,b), c] = Σ_{k∈keys} α·cos(w_k(a+b−c)), a-major rows. */
function clockLogits(p: number, keys: readonly number[], alpha: number): Float32Array {
  const out = new Float32Array(p * p * p);
  for (let a = 0; a < p; a++)
    for (let b = 0; b < p; b++)
      for (let c = 0; c < p; c++) {
        let v = 0;
        for (const k of keys) v += alpha * Math.cos(((2 * Math.PI) / p) * ((k * (a + b - c + p)) % p));
        out[(a * p + b) * p + c] = v;
      }
  return out;
}

/** Reference CE in float64 of a-major logits against labels (a+b) mod p, over the given rows. */
function ce(p: number, logits: ArrayLike<number>, rows: Iterable<number>): number {
  let total = 0;
  let n = 0;
  for (const r of rows) {
    const y = (Math.floor(r / p) + (r % p)) % p;
    let max = -Infinity;
    for (let c = 0; c < p; c++) max = Math.max(max, logits[r * p + c]!);
    let s = 0;
    for (let c = 0; c < p; c++) s += Math.exp(logits[r * p + c]! - max);
    total += max + Math.log(s) - logits[r * p + y]!;
    n++;
  }
  return total / n;
}

describeEachBackend('restricted and excluded loss', () => {
  const p = 113;
  const keys = [14, 35, 41, 42, 52];
  const logits = clockLogits(p, keys, 3);

  it('(i) keeps key-frequency clock logits whole: restricted = full = 0.0043237, excluded = ln p', async () => {
    // Λ lies in span{C_k, S_k : k ∈ 𝒦} for every class and has zero grid mean, so Λ^R = Λ and Λ^X = 0:
    // restricted loss = CE(Λ) = 0.0043237 (measures.md §4.3), excluded loss = CE(0) = ln 113 = 4.727388.
    const { snapshot, dispose } = fakeSnapshot({ config: { p, analysis: { keyFrequencies: keys } }, logits });
    const full = ce(
      p,
      logits,
      Array.from({ length: p * p }, (_, i) => i),
    );
    expect(full).toBeCloseTo(0.0043237, 7);
    const [restricted] = await values(() => restrictedLoss.compute(snapshot));
    const [excluded] = await values(() => excludedLoss.compute(snapshot));
    // float32: projections of logits up to 15 carry ~1e-6 absolute error; the loss moves by less than 2e-6.
    expect(Math.abs(restricted! - 0.0043237)).toBeLessThan(2e-6);
    expect(Math.abs(excluded! - Math.log(p))).toBeLessThan(2e-5);
    expect(Math.log(p)).toBeCloseTo(4.727388, 6);
    dispose();
  });

  it('(i) per frequency: removing a key frequency hurts, removing any other changes nothing', async () => {
    // Removing k ∉ 𝒦 removes a zero projection: the loss stays CE(Λ). Removing key k leaves exactly the clock logits
    // of 𝒦∖{k} (answer logit 15 → 12; the wrong classes move too), whose CE is computed here in float64. p = 31 keeps the cpu backend quick.
    const q = 31;
    const smallKeys = [3, 7, 11, 12, 15];
    const small = clockLogits(q, smallKeys, 3);
    const { snapshot, dispose } = fakeSnapshot({ config: { p: q }, logits: small });
    const perK = await values(() => excludedLossPerFrequency.compute(snapshot));
    expect(perK.length).toBe((q - 1) / 2);
    const all = Array.from({ length: q * q }, (_, i) => i);
    const full = ce(q, small, all);
    perK.forEach((v, i) => {
      const k = i + 1;
      const expected = smallKeys.includes(k)
        ? ce(
            q,
            clockLogits(
              q,
              smallKeys.filter((j) => j !== k),
              3,
            ),
            all,
          )
        : full;
      expect(Math.abs(v - expected)).toBeLessThan(1e-5);
    });
    dispose();
  });

  it('(ii) projects logits that depend only on a−b to zero: restricted = CE of the per-class means', async () => {
    // Σ_{a,b} f(a−b, c)·cos(w_k(a+b)) = 0 for k ≠ 0 (substitute a = b + t), so Λ^R = mean_{pairs} Λ[:, c] and Λ^X = Λ.
    const q = 23;
    const raw = new Float32Array(q * q * q);
    const table = Array.from({ length: q * q }, (_, i) => Math.sin(1.7 * i) * 3);
    for (let a = 0; a < q; a++)
      for (let b = 0; b < q; b++)
        for (let c = 0; c < q; c++) raw[(a * q + b) * q + c] = table[((a - b + q) % q) * q + c]!;
    const train = Array.from({ length: q * q }, (_, i) => i).filter((i) => i % 3 !== 0);
    const { snapshot, dispose } = fakeSnapshot({
      config: { p: q, analysis: { keyFrequencies: [1, 2, 5, 11] } },
      logits: raw,
      train,
    });
    const means = new Float64Array(q);
    for (let n = 0; n < q * q; n++)
      for (let c = 0; c < q; c++) means[c] = means[c]! + raw[n * q + c]! / (q * q);
    const meanLogits = new Float64Array(q * q * q).map((_, i) => means[i % q]!);
    const [restricted] = await values(() => restrictedLoss.compute(snapshot));
    const [excluded] = await values(() => excludedLoss.compute(snapshot));
    expect(restricted).toBeCloseTo(
      ce(
        q,
        meanLogits,
        Array.from({ length: q * q }, (_, i) => i),
      ),
      5,
    );
    expect(excluded).toBeCloseTo(ce(q, raw, train), 5);
    dispose();
  });

  it('leaves no tensor behind', () => {
    const { snapshot, dispose } = fakeSnapshot({
      config: { p: 7, analysis: { keyFrequencies: [1] } },
      logits: new Float32Array(343),
    });
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      for (const m of [restrictedLoss, excludedLoss, excludedLossPerFrequency]) m.compute(snapshot);
    });
    expect(tf.memory().numTensors).toBe(before);
    dispose();
  });
});
