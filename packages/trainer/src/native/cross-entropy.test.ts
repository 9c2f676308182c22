import { describe, expect, it } from 'vitest';
import { expectFloat64Gradient, TINY_LOSS_LOGITS } from '../../test/helpers/tiny-loss.ts';
import { openRuntimeSession } from './engine.ts';
import { GraphBuilder } from './graph.ts';
import { Ops } from './ops.ts';
import { loadOrt } from './runtime.ts';

describe('native cross-entropy', () => {
  it("keeps the target column's gradient when the loss is below float32's resolution", async () => {
    const rows = TINY_LOSS_LOGITS;
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
    const [grad] = g.gradients(loss, [z], (a, b) => ops.add(a, b));
    g.output('loss', loss);
    g.output('grad', grad!);

    const ort = await import('onnxruntime-node');
    await loadOrt();
    const session = await openRuntimeSession(ort, g.encode('cross-entropy'), 'cpu');
    try {
      const out = await session.run({
        z: new ort.Tensor('float32', Float32Array.from(rows.flatMap((r) => r.logits)), [n, c]),
      });
      expect(out.loss!.data[0]).toBeGreaterThan(0);
      expectFloat64Gradient(out.grad!.data as Float32Array);
    } finally {
      await session.release();
    }
  });
});
