/**
 * Values computed by SQL aggregates (min, max, array_agg) bypass drizzle's column decoders: a driver may hand a
 * float8 over as a number or as text, and the texts 'NaN', 'Infinity' and '-Infinity' parse with Number().
 */
export function toFloat(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}
