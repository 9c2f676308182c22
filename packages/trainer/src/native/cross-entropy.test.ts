import { describe, expect, it } from 'vitest';
import { expectFloat64Gradient, TINY_LOSS_LOGITS } from '../../test/helpers/tiny-loss.ts';
import { openRuntimeSession } from './engine.ts';
import { GraphBuilder } from './graph.ts';
import { Ops } from './ops.ts';
import { loadOrt } from './runtime.ts';

/** Rows for the loss values: tiny losses, a tie for the maximum, and targets far below the maximum. */
const LOSS_ROWS = [
  ...TINY_LOSS_LOGITS,
  { logits: [5, 5, 0], label: 0 },
  { logits: [0, 100, 0], label: 0 },
  { logits: [-100, 0, 3], label: 0 },
  { logits: [0, 0, 0], label: 2 },
] as const;

type Row = { readonly logits: readonly number[]; readonly label: number };

/** The graph's mean loss of `rows` [n, 3] and, with `gradient`, its gradient with respect to the logits. */
async function runCrossEntropy(
  rows: readonly Row[],
  { gradient = false } = {},
): Promise<{ loss: number; grad?: Float32Array }> {
  const [n, c] = [rows.length, 3];
  const g = new GraphBuilder();
  const ops = new Ops(g);
  const z = g.input('z', [n, c]);
  const targets = g.constant(
    Float32Array.from(rows.flatMap((r) => [0, 1, 2].map((k) => (k === r.label ? 1 : 0)))),
    [n, c],
    'float',
  );
  const labels = g.constant(BigInt64Array.from(rows.map((r) => BigInt(r.label))), [n], 'int64');
  const { loss } = ops.crossEntropy(z, targets, labels);
  g.output('loss', loss);
  if (gradient) g.output('grad', g.gradients(loss, [z], (a, b) => ops.add(a, b))[0]!);
  const ort = await import('onnxruntime-node');
  await loadOrt();
  const session = await openRuntimeSession(ort, g.encode('cross-entropy'), 'cpu');
  try {
    const out = await session.run({
      z: new ort.Tensor('float32', Float32Array.from(rows.flatMap((r) => r.logits)), [n, c]),
    });
    const result = { loss: out.loss!.data[0] as number };
    return gradient ? { ...result, grad: out.grad!.data as Float32Array } : result;
  } finally {
    await session.release();
  }
}

describe('native cross-entropy', () => {
  it('gives each row its float64 loss, tiny, tied or far from the maximum', async () => {
    for (const row of LOSS_ROWS) {
      // log Σ_c e^{z_c} − z_y = log1p(Σ_{c≠y} e^{z_c − z_y}), exact in float64 for these logits.
      const expected = Math.log1p(
        row.logits.reduce<number>(
          (sum, z, c) => (c === row.label ? sum : sum + Math.exp(z - row.logits[row.label]!)),
          0,
        ),
      );
      const { loss } = await runCrossEntropy([row]);
      expect(Math.abs(loss - expected), `[${row.logits}] → ${loss}, float64 ${expected}`).toBeLessThanOrEqual(
        2e-6 * expected,
      );
    }
  });

  it("keeps the target column's gradient when the loss is below float32's resolution", async () => {
    const { loss, grad } = await runCrossEntropy(TINY_LOSS_LOGITS, { gradient: true });
    expect(loss).toBeGreaterThan(0);
    expectFloat64Gradient(grad!);
  });
});
