'use client';

import { useContext } from 'react';
import { usePlotArea, useXAxisScale } from 'recharts';
import { MARKER_STYLE, MarkerStepContext } from './marker-step.ts';

/**
 * A vertical line at the scrubbed step inside a recharts chart, with a small handle on top. Reads the chart's own
 * x scale and plot area, so it lines up with the data whatever the axis widths.
 */
export function StepMarker({ toX }: { toX?: ((step: number) => number | null) | undefined } = {}) {
  const step = useContext(MarkerStepContext);
  const scale = useXAxisScale();
  const area = usePlotArea();
  if (step === null || !scale || !area) return null;
  // On a wall-time axis the step is placed at its wall time (none where the run has no record of it).
  const at = toX ? toX(step) : step;
  if (at === null) return null;
  const x = scale(at);
  if (x === undefined || !Number.isFinite(x) || x < area.x - 1 || x > area.x + area.width + 1) return null;
  const top = area.y;
  return (
    <g data-testid="step-marker" data-step={step} data-x={x.toFixed(1)} pointerEvents="none">
      <line
        x1={x}
        x2={x}
        y1={top}
        y2={top + area.height}
        stroke={MARKER_STYLE.color}
        strokeOpacity={MARKER_STYLE.opacity}
        strokeWidth={1}
      />
      <path d={`M${x - 4},${top - 1}h8l-4,5z`} fill={MARKER_STYLE.color} />
    </g>
  );
}
