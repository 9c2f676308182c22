/** A plain-text table: one header row, right-aligned numbers, missing cells as "–". */
export function formatTable(rows: readonly object[], columns: readonly [string, string][]): string {
  const get = (row: object, key: string): unknown => (row as Record<string, unknown>)[key];
  const cell = (value: unknown): string => {
    if (value === undefined || value === null) return '–';
    return String(value);
  };
  const header = columns.map(([, title]) => title);
  const body = rows.map((row) => columns.map(([key]) => cell(get(row, key))));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const numeric = columns.map(([key]) => rows.some((r) => typeof get(r, key) === 'number'));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
