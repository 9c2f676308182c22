import type { BandSpec } from '../../charts/metric-chart.tsx';
import { SPLIT_COLORS } from '../../charts/palette.ts';
import { SmoothingSlider } from '../../ui/smoothing-slider.tsx';
import type { RunViewState } from './run-url-state.ts';
import styles from './run-view.module.css';

export interface RunToolbarProps {
  view: RunViewState;
  setView: (update: (v: RunViewState) => RunViewState) => void;
  /** The run has a wall-time record (older runs do not): the wall-time axis is offered. */
  hasWallTime: boolean;
  wallTimeShown: boolean;
  grokStep: number | null;
  bands: readonly BandSpec[];
}

/** Smoothing, the x axis (steps or wall time, log x), and the key to the marks every chart shares. */
export function RunToolbar({ view, setView, hasWallTime, wallTimeShown, grokStep, bands }: RunToolbarProps) {
  return (
    <div className={styles.toolbar}>
      <SmoothingSlider
        value={view.smoothing}
        onChange={(value) => setView((v) => ({ ...v, smoothing: value }))}
      />
      <fieldset className={styles.segmented} data-testid="run-x-axis">
        <legend className={styles.visuallyHidden}>x axis</legend>
        <button
          type="button"
          className={styles.toggle}
          aria-pressed={!wallTimeShown}
          onClick={() => setView((v) => ({ ...v, xAxis: 'step' }))}
          data-testid="run-x-step"
        >
          Step
        </button>
        <button
          type="button"
          className={styles.toggle}
          aria-pressed={wallTimeShown}
          disabled={!hasWallTime}
          title={
            hasWallTime
              ? 'Plot against wall-clock time since training started'
              : 'this run has no wall-time record'
          }
          onClick={() => setView((v) => ({ ...v, xAxis: 'wall' }))}
          data-testid="run-x-wall"
        >
          Wall time
        </button>
      </fieldset>
      <button
        type="button"
        className={styles.toggle}
        aria-pressed={view.logX && !wallTimeShown}
        disabled={wallTimeShown}
        title={wallTimeShown ? 'log x applies to steps; wall time is drawn on a linear axis' : undefined}
        onClick={() => setView((v) => ({ ...v, logX: !v.logX }))}
        data-testid="run-log-x"
      >
        log x
      </button>
      <span className={styles.legendHint}>
        <i style={{ background: SPLIT_COLORS.train }} />
        train
        <i style={{ background: SPLIT_COLORS.test }} />
        test
        <i className={styles.dashed} />
        {grokStep === null
          ? 'grokked: not yet (test acc ≥ 99% to stay)'
          : 'grokked: test acc ≥ 99% from here on'}
        {bands.map((b) => (
          <span key={b.label}>
            <i className={styles.band} style={{ background: b.color }} />
            {b.label}
          </span>
        ))}
      </span>
    </div>
  );
}
