/**
 * The real orthonormal Fourier basis of Z_p (measures.md §3) and the norm helpers built on it. Plain float64 arrays:
 * measures upload the basis once per run as a constant tensor.
 */

/** K = (p-1)/2, the number of non-constant frequencies of an odd p. */
export function frequencyCount(p: number): number {
  return (p - 1) / 2;
}

/** Frequency ⌈j/2⌉ of basis row j (row 0 is the constant). */
export function frequencyOfComponent(j: number): number {
  return Math.ceil(j / 2);
}

/**
 * B ∈ R^{p×p}, rows are basis vectors over x ∈ Z_p: row 0 = 1/√p, row 2k-1 = √(2/p)·cos(w_k x),
 * row 2k = √(2/p)·sin(w_k x) with w_k = 2πk/p, k = 1..K. B Bᵀ = I for odd p.
 */
export function fourierBasis(p: number): number[][] {
  if (!Number.isInteger(p) || p < 3 || p % 2 === 0)
    throw new RangeError(`fourierBasis needs an odd p ≥ 3, got ${p}`);
  const K = frequencyCount(p);
  const rows: number[][] = [new Array<number>(p).fill(1 / Math.sqrt(p))];
  const scale = Math.sqrt(2 / p);
  for (let k = 1; k <= K; k++) {
    const cos: number[] = [];
    const sin: number[] = [];
    for (let x = 0; x < p; x++) {
      // Reduce kx mod p first so the angle stays in [0, 2π) and keeps full float64 precision.
      const angle = ((2 * Math.PI) / p) * ((k * x) % p);
      cos.push(scale * Math.cos(angle));
      sin.push(scale * Math.sin(angle));
    }
    rows.push(cos, sin);
  }
  return rows;
}

/** The basis flattened row-major into a Float32Array (for a constant tensor). */
export function fourierBasisFloat32(p: number): Float32Array {
  return Float32Array.from(fourierBasis(p).flat());
}

/**
 * Per-frequency norms N_k = √(n_{2k-1}² + n_{2k}²), k = 1..K, from the p component norms n_j (or, equivalently,
 * from their squares when `squared` is set). Index 0 of the result is k = 1.
 */
export function frequencyNorms(componentNorms: ArrayLike<number>, squared = false): number[] {
  const p = componentNorms.length;
  const K = frequencyCount(p);
  const out: number[] = [];
  for (let k = 1; k <= K; k++) {
    const c = componentNorms[2 * k - 1]!;
    const s = componentNorms[2 * k]!;
    out.push(squared ? Math.sqrt(c + s) : Math.sqrt(c * c + s * s));
  }
  return out;
}

/**
 * Reference (float64, plain JS) embedding Fourier norms of measures.md §4.1 for a token-major embedding
 * `embedding[x][i]` (p rows of width d): Ê = B·E, n_j = ‖Ê[j,:]‖, N_k as above. The tensor measure is tested
 * against this.
 */
export function embeddingFourierNorms(embedding: readonly (readonly number[])[]): {
  components: number[];
  frequencies: number[];
} {
  const p = embedding.length;
  const basis = fourierBasis(p);
  const d = embedding[0]?.length ?? 0;
  const components = basis.map((row) => {
    let sumSq = 0;
    for (let i = 0; i < d; i++) {
      let v = 0;
      for (let x = 0; x < p; x++) v += row[x]! * embedding[x]![i]!;
      sumSq += v * v;
    }
    return Math.sqrt(sumSq);
  });
  return { components, frequencies: frequencyNorms(components) };
}
