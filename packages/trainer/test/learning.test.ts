import { expect, it } from 'vitest';
import { describeEachBackend } from './helpers/backends.ts';
import { collect, smallRun } from './helpers/runs.ts';

describeEachBackend('learning', (backend) => {
  it('memorises the training pairs: train accuracy 1 and a falling loss (p = 23)', async () => {
    const reports = await collect(smallRun(backend, { seed: 0, steps: 150, optimizer: { lr: 0.01 } }));
    const losses = reports.map((r) => r.scalars.train_loss!);
    expect(reports.at(-1)!.scalars.train_acc).toBe(1);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 20);
    // Falling overall (a large step size makes it bumpy step to step): each 50-step window's mean is below the last.
    const windows = [0, 50, 100].map((from) => losses.slice(from, from + 50).reduce((s, x) => s + x) / 50);
    windows.slice(1).forEach((m, w) => {
      expect(m).toBeLessThan(windows[w]!);
    });
  });
});

// Grokking takes ~600 steps: run it on the fast backend only to keep the suite short.
describeEachBackend(
  'learning',
  (backend) => {
    it('memorises the training pairs and then generalises (groks, p = 23)', async () => {
      // A small MLP with a large learning rate groks p = 23 at 70% train data in ~560 steps (seed 0).
      const reports = await collect(
        smallRun(backend, {
          trainFraction: 0.7,
          seed: 0,
          steps: 700,
          optimizer: { lr: 0.01 },
          cadence: { embed_fourier_norms: 1000 },
        }),
      );
      const first = reports[0]!.scalars;
      const last = reports.at(-1)!.scalars;
      expect(first.train_acc).toBeLessThan(0.2);
      expect(last.train_acc).toBe(1);
      expect(last.train_loss).toBeLessThan(first.train_loss! / 100);
      expect(last.test_acc).toBeGreaterThan(0.9);
    });
  },
  ['wasm'],
);
