'use client';

import type { FieldSpec } from './form-fields.ts';
import styles from './new-run-form.module.css';
import type { AxisDraft, SweepDraft } from './sweep-draft.ts';

export interface SweepFieldsProps {
  draft: SweepDraft;
  fields: readonly FieldSpec[];
  /** Errors per axis row (local parse errors first, then the server's) and for the seeds. */
  axisErrors: ReadonlyMap<number, string>;
  seedsError: string | null;
  onChange: (draft: SweepDraft) => void;
}

/**
 * The sweep's axes (a config field and comma-separated values each) and seeds. Every other field of the form is
 * the base config; an axis overrides its field in each run.
 */
export function SweepFields({ draft, fields, axisErrors, seedsError, onChange }: SweepFieldsProps) {
  const setAxis = (i: number, axis: AxisDraft) =>
    onChange({ ...draft, axes: draft.axes.map((a, j) => (j === i ? axis : a)) });
  const used = new Set(draft.axes.map((a) => a.path));
  const unused = fields.find((f) => !used.has(f.path));
  return (
    <fieldset className={`${styles.group} ${styles.sweepGroup}`} data-testid="sweep-fields">
      <legend>Sweep · axes × seeds</legend>
      <div className={styles.axes}>
        {draft.axes.map((axis, i) => {
          const error = axisErrors.get(i) ?? null;
          const id = `axis-${i}`;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are identified by position (issues name axes.i).
            <div key={i} className={styles.axisRow} data-invalid={error !== null} data-testid="axis-row">
              <label className="visually-hidden" htmlFor={`${id}-path`}>
                Axis {i + 1} field
              </label>
              <select
                id={`${id}-path`}
                name={`axis-${i}-path`}
                className={styles.input}
                value={axis.path}
                aria-invalid={error !== null}
                onChange={(e) => setAxis(i, { ...axis, path: e.target.value })}
              >
                <option value="">choose a field…</option>
                {fields.map((f) => (
                  <option key={f.path} value={f.path} disabled={f.path !== axis.path && used.has(f.path)}>
                    {f.label} ({f.path})
                  </option>
                ))}
              </select>
              <label className="visually-hidden" htmlFor={`${id}-values`}>
                Axis {i + 1} values, comma-separated
              </label>
              <input
                id={`${id}-values`}
                name={`axis-${i}-values`}
                className={styles.input}
                type="text"
                autoComplete="off"
                spellCheck={false}
                placeholder="values, comma-separated"
                value={axis.values}
                aria-invalid={error !== null}
                aria-describedby={`${id}-error`}
                onChange={(e) => setAxis(i, { ...axis, values: e.target.value })}
              />
              <button
                type="button"
                className={styles.iconButton}
                aria-label={`Remove axis ${i + 1}`}
                title="Remove this axis"
                onClick={() => onChange({ ...draft, axes: draft.axes.filter((_, j) => j !== i) })}
              >
                ×
              </button>
              <div
                id={`${id}-error`}
                className={styles.error}
                aria-live="polite"
                data-testid={`axis-error-${i}`}
              >
                {error}
              </div>
            </div>
          );
        })}
      </div>
      <button
        type="button"
        className={`button ${styles.addAxis}`}
        disabled={unused === undefined}
        onClick={() =>
          onChange({ ...draft, axes: [...draft.axes, { path: unused?.path ?? '', values: '' }] })
        }
      >
        + Add axis
      </button>
      <div className={styles.field} data-invalid={seedsError !== null}>
        <label htmlFor="sweep-seeds" className={styles.label}>
          Seeds
        </label>
        <input
          id="sweep-seeds"
          name="seeds"
          className={styles.input}
          type="text"
          autoComplete="off"
          spellCheck={false}
          placeholder="the base seed"
          value={draft.seeds}
          aria-invalid={seedsError !== null}
          aria-describedby="sweep-seeds-error sweep-seeds-hint"
          onChange={(e) => onChange({ ...draft, seeds: e.target.value })}
        />
        <div id="sweep-seeds-error" className={styles.error} aria-live="polite" data-testid="error-seeds">
          {seedsError}
        </div>
        <div id="sweep-seeds-hint" className={styles.hint}>
          Each axis combination trains once per seed: a list (0, 1, 2) or a range (0..4).
        </div>
      </div>
    </fieldset>
  );
}
