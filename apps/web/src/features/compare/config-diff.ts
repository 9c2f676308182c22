/** One config path and its value per run (in the order of the runs given). */
export interface ConfigDiffRow {
  path: string;
  values: string[];
  differs: boolean;
}

/** `{ model: { kind: 'MLP' } }` → `[['model.kind', 'MLP']]`; null leaves (fields of another model kind) are kept as '—'. */
export function flattenConfig(value: unknown, prefix = ''): [string, string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value)
      .filter(([key]) => key !== '__typename')
      .flatMap(([key, v]) => flattenConfig(v, prefix ? `${prefix}.${key}` : key));
  }
  if (value === null || value === undefined) return [[prefix, '—']];
  return [[prefix, Array.isArray(value) ? JSON.stringify(value) : String(value)]];
}

/**
 * Every config path across the runs, with the differing ones first (in config order) so they are read first;
 * paths that are '—' in every run (fields of a model kind none of them uses) are dropped.
 */
export function configDiff(configs: readonly unknown[]): ConfigDiffRow[] {
  const flat = configs.map((c) => new Map(flattenConfig(c)));
  const paths: string[] = [];
  for (const f of flat) for (const path of f.keys()) if (!paths.includes(path)) paths.push(path);
  const rows = paths
    .map((path) => {
      const values = flat.map((f) => f.get(path) ?? '—');
      return { path, values, differs: new Set(values).size > 1 };
    })
    .filter((row) => row.values.some((v) => v !== '—'));
  return [...rows.filter((r) => r.differs), ...rows.filter((r) => !r.differs)];
}

/** Key of a config with its seed left out: runs sharing it differ only by seed. */
export function configKeyWithoutSeed(config: unknown): string {
  return JSON.stringify(flattenConfig(config).filter(([path]) => path !== 'seed'));
}
