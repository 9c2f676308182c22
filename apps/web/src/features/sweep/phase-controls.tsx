'use client';

import type { PhaseMeasure } from './phase-measures.ts';
import { type PhaseView, type PhaseViewState, yChoice } from './phase-view-state.ts';
import styles from './sweep-view.module.css';

export interface PhaseControlsProps {
  view: PhaseView;
  axes: readonly string[];
  measures: readonly PhaseMeasure[];
  reduces: readonly { name: string; description: string | null }[];
  onChange: (update: (state: PhaseViewState) => PhaseViewState) => void;
  /** Where SHARE_ABOVE's threshold starts when none is set: the middle of the values on screen. */
  suggestedThreshold: number | null;
}

const GROUPS: PhaseMeasure['group'][] = ['Final measures', 'Grokking', 'Algorithm verdict'];

/** x, y, measure, reduce (and SHARE_ABOVE's threshold): every list comes from the sweep and the server. */
export function PhaseControls({
  view,
  axes,
  measures,
  reduces,
  onChange,
  suggestedThreshold,
}: PhaseControlsProps) {
  const measure = measures.find((m) => m.id === view.measure);
  const reduce = reduces.find((r) => r.name === view.reduce);
  return (
    <div className={styles.controls} data-testid="phase-controls">
      <label className={styles.control}>
        <span>x</span>
        <select
          name="x"
          value={view.x}
          onChange={(e) => {
            const x = e.target.value;
            onChange((s) => ({ ...s, x, y: s.y === x ? null : s.y }));
          }}
        >
          {axes.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.control}>
        <span>y</span>
        <select
          name="y"
          value={yChoice(view.y)}
          onChange={(e) => onChange((s) => ({ ...s, y: e.target.value }))}
        >
          <option value="">— none —</option>
          {axes
            .filter((a) => a !== view.x)
            .map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
        </select>
      </label>
      <label className={styles.control} title={measure?.description}>
        <span>measure</span>
        <select
          name="measure"
          value={view.measure}
          onChange={(e) => onChange((s) => ({ ...s, measure: e.target.value }))}
        >
          {GROUPS.map((group) => (
            <optgroup key={group} label={group}>
              {measures
                .filter((m) => m.group === group)
                .map((m) => (
                  <option key={m.id} value={m.id} title={m.description}>
                    {m.label}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label className={styles.control} title={reduce?.description ?? undefined}>
        <span>reduce</span>
        <select
          name="reduce"
          value={view.reduce}
          onChange={(e) => {
            const reduce = e.target.value;
            onChange((s) => ({
              ...s,
              reduce,
              threshold: s.threshold ?? (reduce === 'SHARE_ABOVE' ? suggestedThreshold : null),
            }));
          }}
        >
          {reduces.map((r) => (
            <option key={r.name} value={r.name} title={r.description ?? undefined}>
              {r.name.toLowerCase().replace('_', ' ')}
            </option>
          ))}
        </select>
      </label>
      {view.reduce === 'SHARE_ABOVE' && (
        <label className={styles.control}>
          <span>threshold</span>
          <input
            name="threshold"
            type="number"
            step="any"
            className={styles.threshold}
            value={view.threshold ?? ''}
            placeholder="value"
            aria-invalid={view.threshold === null}
            onChange={(e) => {
              const n = e.target.value === '' ? null : Number(e.target.value);
              onChange((s) => ({ ...s, threshold: n !== null && Number.isFinite(n) ? n : null }));
            }}
          />
        </label>
      )}
    </div>
  );
}
