/**
 * TensorBoard's scalar smoothing: an exponential moving average with bias correction, so the first points are not
 * dragged towards zero. `weight` ∈ [0, 1): 0 returns the input, 0.99 is very smooth.
 * Non-finite points (null) stay null and do not enter the average, as in TensorBoard.
 */
export function smoothEma(values: readonly (number | null)[], weight: number): (number | null)[] {
  if (weight <= 0) return values.slice();
  const w = Math.min(weight, 0.999);
  let last = 0;
  let debias = 0;
  const out: (number | null)[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      out[i] = null;
      continue;
    }
    last = last * w + (1 - w) * v;
    debias = debias * w + (1 - w);
    out[i] = last / debias;
  }
  return out;
}
