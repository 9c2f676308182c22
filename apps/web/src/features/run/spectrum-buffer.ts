/**
 * Per-frequency vectors over steps (the heatmap's columns), bounded like the scalar table. Non-finite entries
 * (null on the wire) are held as NaN so the buffer stays plain numbers; the heatmap draws them apart.
 */
export interface SpectrumBuffer {
  steps: number[];
  vectors: number[][];
}

type WireVector = readonly (number | null)[];

function toNumbers(vector: WireVector): number[] {
  return vector.map((v) => v ?? Number.NaN);
}

/** Columns beyond this are thinned: a heatmap wider than the screen gains nothing from more. */
export const DEFAULT_COLUMN_LIMIT = 1000;

export function createSpectrumBuffer(
  steps: readonly number[] = [],
  vectors: readonly WireVector[] = [],
): SpectrumBuffer {
  const n = Math.min(steps.length, vectors.length);
  return { steps: steps.slice(0, n), vectors: vectors.slice(0, n).map(toNumbers) };
}

/** Appends a vector if its step is newer than the last one (replays after a reconnect are dropped). */
export function appendVector(
  buffer: SpectrumBuffer,
  step: number,
  vector: WireVector,
  limit = DEFAULT_COLUMN_LIMIT,
): boolean {
  if (step <= (buffer.steps.at(-1) ?? -1)) return false;
  buffer.steps.push(step);
  buffer.vectors.push(toNumbers(vector));
  if (buffer.steps.length > limit) {
    const half = Math.floor(buffer.steps.length / 2);
    buffer.steps = buffer.steps.filter((_, i) => i >= half || i % 2 === 0);
    buffer.vectors = buffer.vectors.filter((_, i) => i >= half || i % 2 === 0);
  }
  return true;
}

/**
 * Up to `count` frequencies with the largest norm in the latest vector, strongest first (1-based: index j of the
 * vector is frequency j + 1): the "key frequencies" a grokked network's embedding concentrates on. Frequencies
 * below `minShare` of the strongest are left out, so after grokking only the few that matter are named.
 */
export function keyFrequencies(
  buffer: SpectrumBuffer,
  count: number,
  minShare = 0.3,
): { k: number; norm: number }[] {
  const latest = buffer.vectors.at(-1);
  if (!latest) return [];
  const ranked = latest
    .map((norm, j) => ({ k: j + 1, norm }))
    .filter((f) => Number.isFinite(f.norm))
    .sort((a, b) => b.norm - a.norm);
  const top = ranked[0]?.norm ?? 0;
  return ranked.slice(0, count).filter((f) => f.norm >= minShare * top);
}

/**
 * The key frequencies to name on the spectrum: the latest logged `key_frequencies` set (the logit map's rule,
 * measures.md §4.2), strongest embedding norm first, when the run logs it; else the largest latest norms.
 */
export function finalKeyFrequencies(
  spectrum: SpectrumBuffer,
  keySets: SpectrumBuffer,
  count: number,
): { frequencies: { k: number; norm: number }[]; source: 'key set' | 'strongest' } {
  const indicator = keySets.vectors.at(-1);
  if (!indicator) return { frequencies: keyFrequencies(spectrum, count), source: 'strongest' };
  const norms = spectrum.vectors.at(-1) ?? [];
  const frequencies = indicator
    .flatMap((flag, j) => (flag > 0.5 ? [{ k: j + 1, norm: norms[j] ?? Number.NaN }] : []))
    .sort((a, b) => (Number.isFinite(b.norm) ? b.norm : -1) - (Number.isFinite(a.norm) ? a.norm : -1));
  return { frequencies, source: 'key set' };
}
