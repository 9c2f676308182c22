import styles from './compare-view.module.css';
import { configDiff } from './config-diff.ts';
import type { CompareRunData } from './queries.ts';

/** The selected runs' configs side by side; differing paths first and highlighted, the rest folded away. */
export function ConfigDiffTable({
  runs,
  colors,
}: {
  runs: readonly CompareRunData[];
  colors: ReadonlyMap<string, string>;
}) {
  const rows = configDiff(runs.map((r) => r.config));
  const differing = rows.filter((r) => r.differs);
  const same = rows.filter((r) => !r.differs);
  const head = (
    <thead>
      <tr>
        <th scope="col">config</th>
        {runs.map((run) => (
          <th scope="col" key={run.id}>
            <i style={{ background: colors.get(run.id) }} aria-hidden="true" />
            {run.name}
          </th>
        ))}
      </tr>
    </thead>
  );
  const body = (list: typeof rows) => (
    <tbody>
      {list.map((row) => (
        <tr key={row.path} data-differs={row.differs} data-path={row.path}>
          <th scope="row" className="mono">
            {row.path}
          </th>
          {row.values.map((v, i) => (
            <td key={runs[i]?.id ?? i} className="mono">
              {v}
            </td>
          ))}
        </tr>
      ))}
    </tbody>
  );
  return (
    <section className={styles.diff} data-testid="config-diff">
      <h2 className={styles.sectionTitle}>
        Config diff{' '}
        <span className={styles.sectionHint}>
          {differing.length === 0
            ? 'the configs are identical'
            : `${differing.length} of ${rows.length} fields differ`}
        </span>
      </h2>
      <div className={styles.diffScroll}>
        <table className={styles.diffTable}>
          {head}
          {body(differing)}
        </table>
      </div>
      {same.length > 0 && (
        <details className={styles.same}>
          <summary>{same.length} identical fields</summary>
          <table className={styles.diffTable}>{body(same)}</table>
        </details>
      )}
    </section>
  );
}
