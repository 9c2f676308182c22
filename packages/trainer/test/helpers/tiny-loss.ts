import { expect } from 'vitest';

/**
 * Logit rows whose loss is below float32's resolution (softmax's P_y rounds to 1, so P_y − 1 computed directly
 * is 0), and an ordinary row: the cross-entropy gradient must still keep each row's target column.
 */
export const TINY_LOSS_LOGITS = [
  { logits: [20, 0, 0], label: 0 }, // loss ≈ 4.1e-9
  { logits: [1, 19, -2], label: 1 }, // loss ≈ 1.5e-8
  { logits: [0.5, -1, 2], label: 0 },
] as const;

/** (softmax(z) − y)/n of {@link TINY_LOSS_LOGITS} in float64, row-major. */
function float64Gradient(): number[] {
  const n = TINY_LOSS_LOGITS.length;
  return TINY_LOSS_LOGITS.flatMap(({ logits, label }) => {
    const max = Math.max(...logits);
    const exps = logits.map((z) => Math.exp(z - max));
    const total = exps.reduce((a, b) => a + b, 0);
    // P_y − 1 from the other columns, so the reference itself loses nothing to 1 − P_y.
    const others = exps.reduce((sum, e, c) => (c === label ? sum : sum + e), 0) / total;
    return exps.map((e, c) => (c === label ? -others : e / total) / n);
  });
}

/** Every element within float32 rounding (1e-5 relative) of the float64 gradient, tiny target columns included. */
export function expectFloat64Gradient(gradient: ArrayLike<number>): void {
  const expected = float64Gradient();
  expect(gradient.length).toBe(expected.length);
  expected.forEach((e, i) => {
    expect(Math.abs(gradient[i]! - e), `element ${i}: ${gradient[i]} against ${e}`).toBeLessThanOrEqual(
      1e-5 * Math.abs(e),
    );
  });
}
