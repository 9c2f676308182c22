import type { NamedTensor } from '../checkpoints/tensors.ts';
import type { RunConfig } from '../config.ts';

/** Row-major [rows, cols] (a column range of it) → its transpose [cols, rows]. */
function transposed(t: NamedTensor, from = 0, to = t.shape[1] ?? 0): NamedTensor {
  const [rows = 0, cols = 0] = t.shape;
  const width = to - from;
  const values = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++)
    for (let c = from; c < to; c++) values[(c - from) * rows + r] = t.values[r * cols + c]!;
  return { shape: [width, rows], values };
}

/**
 * An MLP's weights as PyTorch holds them (a state_dict of the peer model in shared/bench/peer_torch.py:
 * `embed` nn.Embedding, `hidden` nn.Linear(2d or d, h), `hidden<k>` nn.Linear(h, h), `out` nn.Linear(h, p)),
 * recognised by `embed.weight`, in grokscope's layout: nn.Linear keeps W as [out, in], grokscope as [in, out]
 * (transposed), and with concat grokscope keeps the first layer as its halves acting on E_a and E_b. Anything
 * else is returned as it is (then the names and shapes are checked against the model).
 */
export function fromTorchLayout(
  config: RunConfig,
  tensors: ReadonlyMap<string, NamedTensor>,
): ReadonlyMap<string, NamedTensor> {
  if (config.model.kind !== 'MLP' || !tensors.has('embed.weight')) return tensors;
  const out = new Map<string, NamedTensor>();
  for (const [name, t] of tensors) {
    if (name === 'embed.weight') out.set('embed', t);
    else if (name === 'hidden.weight' && config.model.combine === 'concat' && t.shape.length === 2) {
      const d = (t.shape[1] ?? 0) / 2;
      out.set('hidden.weight.a', transposed(t, 0, d));
      out.set('hidden.weight.b', transposed(t, d));
    } else if (name.endsWith('.weight') && t.shape.length === 2) out.set(name, transposed(t));
    else out.set(name, t);
  }
  return out;
}
