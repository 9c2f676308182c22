/**
 * A cyclic colour scale for token values 0..p−1 (tokens live on a circle: p − 1 sits next to 0). Hue turns once
 * around OKLCH at fixed lightness and chroma, so no token is darker or brighter than another and every point stays
 * visible on the dark panels; a plain HSL wheel has bright yellow and dark blue bands. Hue alone is not
 * colour-blind safe, so the embedding-circles view also joins tokens in circle order and labels token 0.
 */
const LIGHTNESS = 0.76;
const CHROMA = 0.12;
/** Token 0 starts at orange-ish hue so it is easy to find and differs from the panel's blue accents. */
const HUE_OFFSET = 50;

/** sRGB hex for t ∈ [0, 1) around the wheel (t and t + 1 give the same colour). */
export function cyclicColor(t: number): string {
  const turn = Number.isFinite(t) ? t - Math.floor(t) : 0;
  const h = ((turn * 360 + HUE_OFFSET) * Math.PI) / 180;
  return oklchToHex(LIGHTNESS, CHROMA, h);
}

/** OKLCH (hue in radians) → sRGB hex, clamped into gamut (Björn Ottosson's OKLab matrices). */
export function oklchToHex(l: number, c: number, h: number): string {
  const a = c * Math.cos(h);
  const b = c * Math.sin(h);
  const l_ = (l + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m_ = (l - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s_ = (l - 0.0894841775 * a - 1.291485548 * b) ** 3;
  const linear = [
    4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
    -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
    -0.0041960863 * l_ - 0.7034186147 * m_ + 1.707614701 * s_,
  ];
  return `#${linear.map((v) => toHexByte(gammaEncode(v))).join('')}`;
}

function gammaEncode(v: number): number {
  const x = Math.min(1, Math.max(0, v));
  return x <= 0.0031308 ? 12.92 * x : 1.055 * x ** (1 / 2.4) - 0.055;
}

function toHexByte(v: number): string {
  return Math.round(v * 255)
    .toString(16)
    .padStart(2, '0');
}

/** CSS conic gradient of the scale, for a colour-wheel legend. */
export function cyclicGradient(stops = 12): string {
  const parts = Array.from(
    { length: stops + 1 },
    (_, i) => `${cyclicColor(i / stops)} ${(i / stops) * 360}deg`,
  );
  return `conic-gradient(from 90deg, ${parts.join(', ')})`;
}
