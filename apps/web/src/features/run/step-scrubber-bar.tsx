'use client';

import { useId } from 'react';
import styles from './step-scrubber-bar.module.css';
import type { StepScrubber } from './use-step-scrubber.ts';

export interface StepScrubberBarProps {
  scrubber: StepScrubber;
  /** Whether the run still produces steps (a following scrubber moves with it). */
  live: boolean;
  totalSteps: number;
  /** What the measures say at the scrubbed step, e.g. test accuracy and regime. */
  readout: { label: string; value: string; color?: string }[];
}

/**
 * One slider for the whole page (a native range input: arrow keys, Page Up/Down, Home/End) with a replay button.
 * Its step is marked on every chart and picks the embedding circles' snapshot. Sticky, so it stays in reach while
 * the circles and the spectrum are scrolled into view.
 */
export function StepScrubberBar({ scrubber, live, totalSteps, readout }: StepScrubberBarProps) {
  const id = useId();
  const { step, following, playing, first, last } = scrubber;
  const disabled = step === null || last <= first;
  return (
    <div className={styles.bar} data-testid="step-scrubber" data-step={step ?? -1} data-following={following}>
      <button
        type="button"
        className={styles.play}
        onClick={scrubber.toggleReplay}
        disabled={disabled}
        aria-pressed={playing}
        aria-label={playing ? 'Pause replay' : 'Replay the run'}
        title={playing ? 'Pause replay' : 'Replay the run from the scrubbed step'}
      >
        {playing ? (
          <svg viewBox="0 0 12 12" aria-hidden="true">
            <rect x="2" y="1.5" width="3" height="9" rx="0.6" />
            <rect x="7" y="1.5" width="3" height="9" rx="0.6" />
          </svg>
        ) : (
          <svg viewBox="0 0 12 12" aria-hidden="true">
            <path d="M3 1.5v9l7.5-4.5z" />
          </svg>
        )}
        <span>{playing ? 'Pause' : 'Replay'}</span>
      </button>
      <label htmlFor={id} className={styles.label}>
        Step
      </label>
      <input
        id={id}
        className={styles.slider}
        type="range"
        min={first}
        max={Math.max(first + 1, last)}
        step={1}
        value={step ?? 0}
        disabled={disabled}
        aria-valuetext={step === null ? 'no steps yet' : `step ${step}${following ? ', latest' : ''}`}
        onChange={(e) => scrubber.scrubTo(Number(e.target.value))}
      />
      <output htmlFor={id} className={`${styles.step} num`}>
        {step === null ? '—' : step.toLocaleString('en-US')}
        <span className={styles.of}> / {totalSteps.toLocaleString('en-US')}</span>
      </output>
      {following ? (
        <span className={styles.following} data-live={live}>
          {live ? 'following live' : 'latest'}
        </span>
      ) : (
        <button type="button" className={styles.latest} onClick={scrubber.followLatest}>
          {live ? 'Follow live' : 'Latest'}
        </button>
      )}
      <span className={styles.readout}>
        {readout.map((r) => (
          <span key={r.label}>
            {r.label}{' '}
            <b className="num" style={r.color ? { color: r.color } : undefined}>
              {r.value}
            </b>
          </span>
        ))}
      </span>
    </div>
  );
}
