/** A frequency k (1..⌊p/2⌋) and the fraction of the non-constant energy it holds. */
export interface DominantFrequency {
  k: number;
  share: number;
}

/**
 * |DFT_k|² of a real p-point sequence for k = 1..⌊p/2⌋ (index k − 1). The constant term is left out, so a centred
 * or uncentred score vector gives the same answer. Frequencies k and p − k are one real frequency (cos/sin pairs);
 * both halves are folded onto k, which is what `embed_fourier_norms` calls frequency k. Angles are reduced mod p
 * before the cos/sin table look-up, so large k·n lose no precision. O(p²): p is a few hundred at most.
 */
export function frequencyEnergies(x: readonly number[]): number[] {
  const p = x.length;
  const half = Math.floor(p / 2);
  const cos = Array.from({ length: p }, (_, n) => Math.cos((2 * Math.PI * n) / p));
  const sin = Array.from({ length: p }, (_, n) => Math.sin((2 * Math.PI * n) / p));
  const energies = new Array<number>(half).fill(0);
  for (let k = 1; k <= half; k++) {
    let re = 0;
    let im = 0;
    for (let n = 0; n < p; n++) {
      const v = x[n] as number;
      if (!Number.isFinite(v)) continue;
      const i = (k * n) % p;
      re += v * (cos[i] as number);
      im -= v * (sin[i] as number);
    }
    // For even p the Nyquist term k = p/2 has no mirror; every other k stands for k and p − k.
    const mirrored = 2 * k === p ? 1 : 2;
    energies[k - 1] = mirrored * (re * re + im * im);
  }
  return energies;
}

/**
 * The frequency holding most energy across several sequences of the same length (a PC pair: both coordinates of one
 * circle), with its share of their summed non-constant energy. Null when there is no energy (PCs beyond the rank).
 */
export function dominantFrequency(series: readonly (readonly number[])[]): DominantFrequency | null {
  const first = series[0];
  if (!first || first.length < 3) return null;
  const total = new Array<number>(Math.floor(first.length / 2)).fill(0);
  for (const s of series) {
    frequencyEnergies(s).forEach((e, i) => {
      total[i] = (total[i] as number) + e;
    });
  }
  const sum = total.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) return null;
  let best = 0;
  for (let i = 1; i < total.length; i++) if ((total[i] as number) > (total[best] as number)) best = i;
  return { k: best + 1, share: (total[best] as number) / sum };
}
