/** Where the bar draws: stderr in the CLI, a fake stream in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressBarOptions {
  total: number;
  stream: ProgressStream;
  /** Milliseconds clock (injectable for tests). */
  now?: () => number;
  /** Minimum milliseconds between redraws on a terminal (default 100: at most ~10 per second). */
  redrawMs?: number;
  /** Minimum milliseconds between plain lines when the stream is not a terminal (default 2000). */
  lineMs?: number;
  /** What is counted, for the rate (default 'steps'; `recompute` counts 'checkpoints'). */
  unit?: string;
  /** Whether the line ends with the latest accuracies (default true). */
  accuracies?: boolean;
}

export interface ProgressState {
  step: number;
  trainAcc?: number | undefined;
  testAcc?: number | undefined;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

function percent(x: number | undefined): string {
  return x === undefined ? '  -  ' : `${(100 * x).toFixed(1)}%`;
}

/**
 * A one-line progress bar: bar, step/total, steps/s, ETA and the latest accuracies. On a terminal it redraws in
 * place at most every `redrawMs`; elsewhere (a log file, CI) it prints a plain line at most every `lineMs`.
 */
export class ProgressBar {
  private readonly now: () => number;
  private readonly start: number;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(private readonly options: ProgressBarOptions) {
    this.now = options.now ?? (() => performance.now());
    this.start = this.now();
  }

  /** Records progress; draws if enough time has passed since the last draw. */
  update(state: ProgressState): void {
    const t = this.now();
    const interval = this.options.stream.isTTY
      ? (this.options.redrawMs ?? 100)
      : (this.options.lineMs ?? 2000);
    if (t - this.lastDraw < interval) return;
    this.draw(state, t);
  }

  /** Draws the final state and ends the line. */
  finish(state: ProgressState): void {
    this.draw(state, this.now());
    if (this.options.stream.isTTY) this.options.stream.write('\n');
  }

  /** The text of one line (exported for tests). */
  format(state: ProgressState, t: number): string {
    const { total } = this.options;
    const fraction = total > 0 ? Math.min(1, state.step / total) : 1;
    const seconds = (t - this.start) / 1000;
    const rate = seconds > 0 ? state.step / seconds : 0;
    const eta = rate > 0 ? (total - state.step) / rate : Number.POSITIVE_INFINITY;
    const info =
      `${String(state.step).padStart(String(total).length)}/${total} | ` +
      `${rate.toFixed(1)} ${this.options.unit ?? 'steps'}/s | ETA ${clock(eta)}` +
      (this.options.accuracies === false
        ? ''
        : ` | train ${percent(state.trainAcc)} test ${percent(state.testAcc)}`);
    const width = Math.max(10, Math.min(40, (this.options.stream.columns ?? 100) - info.length - 4));
    const filled = Math.round(fraction * width);
    return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${info}`;
  }

  private draw(state: ProgressState, t: number): void {
    this.lastDraw = t;
    const line = this.format(state, t);
    if (this.options.stream.isTTY) this.options.stream.write(`\r${line}\x1b[K`);
    else this.options.stream.write(`${line}\n`);
    this.drawn = true;
  }

  /** Whether anything was drawn yet. */
  get started(): boolean {
    return this.drawn;
  }
}
