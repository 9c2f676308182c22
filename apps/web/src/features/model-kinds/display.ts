import { formatInt } from '../../ui/format.ts';
import type { DisplayItem } from './queries.ts';

/** The value at a dotted path (`model.dModel`) of a config object, or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => {
    if (node === null || typeof node !== 'object') return undefined;
    return (node as Record<string, unknown>)[key];
  }, value);
}

/** A final scalar by measure id, as the runs list and the header carry them. */
export interface NamedScalar {
  name: string;
  value: number | null;
}

/**
 * A registry display item written for one run: read from its config or its final scalars, formatted as the item
 * says; '—' when the run has no value there (an older run, a field it never had).
 */
export function displayValue(
  item: DisplayItem,
  config: unknown,
  scalars: readonly NamedScalar[] = [],
): string {
  const raw =
    item.source === 'SUMMARY' ? scalars.find((s) => s.name === item.path)?.value : valueAt(config, item.path);
  if (raw === null || raw === undefined) return '—';
  if (item.format === 'INT' && typeof raw === 'number') return formatInt(raw);
  if (item.format === 'LOWER') return String(raw).toLowerCase();
  return String(raw);
}

/** `label value` pairs of a kind's items for one run. */
export function displayItems(
  items: readonly DisplayItem[],
  config: unknown,
  scalars: readonly NamedScalar[] = [],
): { label: string; value: string }[] {
  return items.map((item) => ({ label: item.label, value: displayValue(item, config, scalars) }));
}
