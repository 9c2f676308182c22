'use client';

import { memo, useContext, useMemo } from 'react';
import { CirclePlot, type CirclePoint } from '../../charts/circle-plot.tsx';
import { cyclicColor, cyclicGradient } from '../../charts/cyclic-color.ts';
import { MarkerStepContext } from '../../charts/marker-step.ts';
import styles from './embedding-circles.module.css';
import { keySetAt } from './key-frequency-intervals.ts';
import { type PcCircle, pairExtent, pcCircles } from './pc-circles.ts';
import type { SpectrumBuffer } from './spectrum-buffer.ts';
import { indexAtOrBefore } from './step-scrubber.ts';

export interface EmbeddingCirclesProps {
  pcs: SpectrumBuffer;
  keySets: SpectrumBuffer;
  /** Bumped when the (mutable) buffers change. */
  version: number;
}

/**
 * The token embedding on its top principal-component pairs at the scrubbed step: a grokked network's embedding
 * lies on circles, one per key frequency (Nanda et al.; Zhong et al. §5.3). Each pair is titled with the frequency
 * a p-point DFT of its scores finds and that frequency's share of the pair's energy; a frequency in the logged key
 * set at that step is marked. Reads the step from the scrubber's context, so scrubbing re-renders only this panel.
 */
export const EmbeddingCircles = memo(function EmbeddingCircles({
  pcs,
  keySets,
  version,
}: EmbeddingCirclesProps) {
  const scrubbed = useContext(MarkerStepContext);
  const latest = pcs.steps.at(-1) ?? -1;
  const target = scrubbed ?? latest;
  // Before the first snapshot (it is logged at step 0, so only while loading) show the first one.
  const index = pcs.steps.length === 0 ? -1 : Math.max(0, indexAtOrBefore(pcs.steps, target));
  const snapshotStep = pcs.steps[index] ?? null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` stands for the mutable buffers' contents.
  const circles = useMemo(() => {
    const vector = pcs.vectors[index];
    return vector ? pcCircles(vector) : [];
  }, [pcs, index, version]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: as above.
  const keySet = useMemo(
    () => (snapshotStep === null ? [] : keySetAt(keySets.steps, keySets.vectors, snapshotStep)),
    [keySets, snapshotStep, version],
  );
  const p = circles[0]?.x.length ?? 0;

  return (
    <figure
      className={styles.panel}
      data-testid="embedding-circles"
      data-step={snapshotStep ?? -1}
      data-snapshots={pcs.steps.length}
    >
      <figcaption className={styles.caption}>
        <span className={styles.title}>Embedding circles (top principal components)</span>
        <span className={styles.meta}>
          {snapshotStep === null ? (
            'no snapshot yet'
          ) : (
            <>
              snapshot at step <b className="num">{snapshotStep}</b>
              {scrubbed !== null && scrubbed !== snapshotStep && (
                <span className={styles.faint}> (latest at or before {scrubbed})</span>
              )}
              <span className={styles.sep}>·</span>
              key set{' '}
              <b className="num">{keySet.length === 0 ? '—' : keySet.map((k) => `k=${k}`).join(' ')}</b>
            </>
          )}
        </span>
      </figcaption>
      {circles.length === 0 ? (
        <div className={styles.empty}>
          Waiting for the first principal components (logged every <code>circularity</code> cadence steps)…
        </div>
      ) : (
        <div className={styles.grid}>
          {circles.map((circle) => (
            <PairPanel key={circle.pcs.join('-')} circle={circle} keySet={keySet} p={p} />
          ))}
        </div>
      )}
      <div className={styles.legend}>
        <span className={styles.wheel} style={{ background: cyclicGradient() }} aria-hidden="true" />
        <span>
          colour: token x = 0…{p > 0 ? p - 1 : 'p−1'} (cyclic; 0 labelled) · lines join x → x + k⁻¹ mod p, so
          a formed circle is a clean polygon · % = share of the pair's non-constant energy at k (p-point DFT
          of the scores)
        </span>
      </div>
    </figure>
  );
});

function PairPanel({ circle, keySet, p }: { circle: PcCircle; keySet: readonly number[]; p: number }) {
  const points: CirclePoint[] = circle.x.map((x, token) => ({
    token,
    x,
    y: circle.y[token] as number,
    color: cyclicColor(token / p),
  }));
  const f = circle.frequency;
  const isKey = f !== null && keySet.includes(f.k);
  const [a, b] = circle.pcs;
  return (
    <div className={styles.pair} data-testid="pc-pair" data-k={f?.k ?? ''}>
      <div className={styles.pairHead}>
        <span className={styles.pcs}>
          PC{a} × PC{b}
        </span>
        {f === null ? (
          <span className={styles.faint}>no variance</span>
        ) : (
          <span className={styles.freq}>
            <b className="num">k = {f.k}</b>
            <span className="num">{Math.round(f.share * 100)}%</span>
            {isKey && (
              <span className={styles.keyBadge} title="In the logged key set at this step">
                key
              </span>
            )}
          </span>
        )}
      </div>
      <CirclePlot
        points={points}
        order={f === null ? [] : circle.order}
        extent={pairExtent(circle)}
        xLabel={`PC${a}`}
        yLabel={`PC${b}`}
        ariaLabel={
          f === null
            ? `PC${a} against PC${b}: no variance`
            : `PC${a} against PC${b}: ${p} tokens, dominant frequency ${f.k} holding ${Math.round(f.share * 100)}% of the energy`
        }
      />
    </div>
  );
}
