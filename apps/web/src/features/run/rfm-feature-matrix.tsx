'use client';

import { useContext, useEffect, useMemo, useRef } from 'react';
import { MarkerStepContext } from '../../charts/marker-step.ts';
import styles from './rfm-feature-matrix.module.css';
import { divergingColor, matrixAt, symmetricScale } from './rfm-matrix.ts';
import type { SpectrumBuffer } from './spectrum-buffer.ts';

/** Drawn size in CSS pixels; the canvas holds one pixel per entry and is scaled up without smoothing. */
const SIDE = 380;
const NON_FINITE: [number, number, number] = [138, 143, 152];

/**
 * The RFM feature matrix M_t at the scrubbed iteration (the latest when following): a 2p×2p heatmap with the a/b
 * blocks marked. As the run learns modular arithmetic the off-diagonal blocks become circulant, which shows as
 * wrapped diagonal stripes.
 */
export function RfmFeatureMatrix({ matrices, version }: { matrices: SpectrumBuffer; version: number }) {
  const step = useContext(MarkerStepContext);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` stands for the mutable buffer's contents.
  const snapshot = useMemo(() => matrixAt(matrices, step), [matrices, step, version]);
  const scale = useMemo(() => (snapshot ? symmetricScale(snapshot.values, snapshot.n) : 1), [snapshot]);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const el = canvas.current;
    if (!el || !snapshot) return;
    const { n, values } = snapshot;
    el.width = n;
    el.height = n;
    const ctx = el.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(n, n);
    for (let i = 0; i < n * n; i++) {
      const [r, g, b] = divergingColor(values[i] ?? Number.NaN, scale) ?? NON_FINITE;
      image.data[4 * i] = r;
      image.data[4 * i + 1] = g;
      image.data[4 * i + 2] = b;
      image.data[4 * i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }, [snapshot, scale]);

  const p = snapshot ? snapshot.n / 2 : 0;
  return (
    <figure
      className={styles.panel}
      data-testid="rfm-feature-matrix"
      data-step={snapshot?.step ?? -1}
      data-size={snapshot?.n ?? 0}
    >
      <figcaption className={styles.caption}>
        <span className={styles.title}>Feature matrix M (RFM)</span>
        <span className={styles.meta}>
          {snapshot ? (
            <>
              iteration <b className="num">{snapshot.step}</b> · {snapshot.n}×{snapshot.n}
            </>
          ) : (
            'waiting for the first iteration…'
          )}
        </span>
      </figcaption>
      {snapshot && (
        <div className={styles.body}>
          <div className={styles.plot} style={{ width: SIDE + 24, height: SIDE + 24 }}>
            <span className={styles.axisTop} style={{ width: SIDE }}>
              <span>a = 0…{p - 1}</span>
              <span>b = 0…{p - 1}</span>
            </span>
            <span className={styles.axisLeft} style={{ height: SIDE }}>
              <span>a</span>
              <span>b</span>
            </span>
            <canvas
              ref={canvas}
              className={styles.canvas}
              style={{ width: SIDE, height: SIDE }}
              role="img"
              aria-label={`Feature matrix at iteration ${snapshot.step}, ${snapshot.n} by ${snapshot.n}`}
            />
            <svg className={styles.blocks} width={SIDE} height={SIDE} aria-hidden="true">
              <line x1={SIDE / 2} x2={SIDE / 2} y1={0} y2={SIDE} />
              <line x1={0} x2={SIDE} y1={SIDE / 2} y2={SIDE / 2} />
            </svg>
          </div>
          <div className={styles.notes}>
            <p>
              Rows and columns are the one-hot inputs: first operand a, then b. The off-diagonal blocks (a ×
              b) say which pairs of inputs the kernel treats as alike.
            </p>
            <p>
              As the model learns (a op b) mod p they take a <b>circulant</b> form: each entry depends only on
              a combination of a and b mod p, seen as diagonal stripes that wrap around the block (for mul/div
              only in discrete-log order). The circulant deviation chart measures how far they still are.
            </p>
            <div className={styles.legend}>
              <span className="num">−{fmt(scale)}</span>
              <span className={styles.ramp} aria-hidden="true" />
              <span className="num">+{fmt(scale)}</span>
            </div>
            <p className={styles.small}>
              Blue negative, orange positive; the scale is the 98th percentile of the off-diagonal |M|, so the
              dominant diagonal saturates instead of washing out the blocks.
            </p>
          </div>
        </div>
      )}
    </figure>
  );
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e3 || Math.abs(v) < 1e-2 ? v.toExponential(1) : v.toPrecision(2);
}
