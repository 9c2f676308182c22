/**
 * Viridis, sampled at nine stops and interpolated linearly in sRGB: perceptually ordered, readable in greyscale
 * and by colour-blind viewers, which a rainbow map is not.
 */
const VIRIDIS_STOPS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 73, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [109, 205, 89],
  [253, 231, 37],
];

/** RGB for t ∈ [0, 1] (clamped; NaN maps to 0). */
export function viridis(t: number): [number, number, number] {
  const x = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const pos = x * (VIRIDIS_STOPS.length - 1);
  const i = Math.min(VIRIDIS_STOPS.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = VIRIDIS_STOPS[i] as readonly [number, number, number];
  const b = VIRIDIS_STOPS[i + 1] as readonly [number, number, number];
  return [0, 1, 2].map((c) => Math.round((a[c] as number) + ((b[c] as number) - (a[c] as number)) * f)) as [
    number,
    number,
    number,
  ];
}

export function viridisCss(t: number): string {
  const [r, g, b] = viridis(t);
  return `rgb(${r} ${g} ${b})`;
}

/** CSS gradient for the legend bar, bottom-to-top or left-to-right. */
export function viridisGradient(direction: 'to right' | 'to top' = 'to right'): string {
  const stops = Array.from({ length: 9 }, (_, i) => `${viridisCss(i / 8)} ${(i / 8) * 100}%`);
  return `linear-gradient(${direction}, ${stops.join(', ')})`;
}
