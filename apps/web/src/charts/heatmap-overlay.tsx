import { useContext } from 'react';
import {
  columnSpan,
  freqToY,
  type HeatmapGeometry,
  integerTicks,
  stepTicks,
  stepToX,
} from './heatmap-geometry.ts';
import { MARKER_STYLE, MarkerStepContext } from './marker-step.ts';
import { CHART_THEME, OKABE_ITO } from './palette.ts';
import { spreadLabels } from './spread-labels.ts';

export interface HeatmapOverlayProps {
  g: HeatmapGeometry;
  margin: { top: number; left: number };
  width: number;
  height: number;
  steps: readonly number[];
  endStep: number;
  keyFrequencies: readonly { k: number }[];
  /** Step ranges in which each frequency was in the key set, drawn as a line along its row. */
  keyIntervals: readonly { k: number; from: number; to: number }[];
  /** Where each final key frequency joined the set for good: labelled in the plot. */
  keyEmergence: readonly { k: number; step: number }[];
  reference: { step: number } | null;
  cursor: { col: number; k: number } | null;
  className: string | undefined;
}

/**
 * The heatmap's SVG layer: frame, axes with titles, the grokking line, the key set over time (a line along each key
 * row, a label where it emerged), final key-frequency labels on the right, the scrubber marker, the cursor cell.
 */
export function HeatmapOverlay({ g, margin, width, height, steps, endStep, ...rest }: HeatmapOverlayProps) {
  const rowH = g.height / g.rows;
  const yTicks = integerTicks(g.rows, Math.max(2, Math.floor(g.height / 22)));
  const xTicks = stepTicks(g.xMax, Math.max(2, Math.floor(g.width / 90)));
  const keyYs = rest.keyFrequencies.map((f) => freqToY(g, f.k) + rowH / 2);
  // Key rows can be a few pixels apart; their labels are pushed apart and joined to their rows by leaders.
  const labelYs = spreadLabels(keyYs, 13, 6, g.height - 2);
  const axisTitle = { textAnchor: 'middle', fill: CHART_THEME.label } as const;

  return (
    <svg className={rest.className} width={width} height={height} aria-hidden="true">
      <g transform={`translate(${margin.left},${margin.top})`} fontSize={CHART_THEME.fontSize}>
        <rect width={g.width} height={g.height} fill="none" stroke={CHART_THEME.axis} />
        {yTicks.map((k) => (
          <g key={k} transform={`translate(0,${freqToY(g, k) + rowH / 2})`}>
            <line x1={-4} x2={0} stroke={CHART_THEME.axis} />
            <text x={-7} dy="0.32em" textAnchor="end" fill={CHART_THEME.tick}>
              {k}
            </text>
          </g>
        ))}
        {xTicks.map((s) => (
          <g key={s} transform={`translate(${stepToX(g, s)},${g.height})`}>
            <line y2={4} stroke={CHART_THEME.axis} />
            <text y={15} textAnchor="middle" fill={CHART_THEME.tick}>
              {s >= 10_000 ? `${s / 1000}k` : s}
            </text>
          </g>
        ))}
        <text x={g.width / 2} y={g.height + 34} {...axisTitle}>
          step (updates)
        </text>
        <text transform={`translate(-34,${g.height / 2}) rotate(-90)`} {...axisTitle}>
          frequency k
        </text>
        {rest.reference && rest.reference.step <= g.xMax && (
          <line
            x1={stepToX(g, rest.reference.step)}
            x2={stepToX(g, rest.reference.step)}
            y2={g.height}
            stroke={OKABE_ITO.green}
            strokeWidth={1.5}
            strokeDasharray="4 3"
          />
        )}
        <KeyIntervals g={g} intervals={rest.keyIntervals} emergence={rest.keyEmergence} />
        {rest.keyFrequencies.map((f, i) => (
          <g key={f.k}>
            <polyline
              points={`${g.width},${keyYs[i]} ${g.width + 8},${labelYs[i]} ${g.width + 12},${labelYs[i]}`}
              fill="none"
              stroke={CHART_THEME.tick}
            />
            <text x={g.width + 15} y={labelYs[i]} dy="0.32em" fill={CHART_THEME.label} fontWeight={600}>
              k={f.k}
            </text>
          </g>
        ))}
        <HeatmapMarker g={g} />
        {rest.cursor && (
          <CellOutline g={g} span={columnSpan(g, steps, rest.cursor.col, endStep)} k={rest.cursor.k} />
        )}
      </g>
    </svg>
  );
}

function CellOutline({ g, span, k }: { g: HeatmapGeometry; span: [number, number]; k: number }) {
  return (
    <rect
      x={span[0]}
      y={freqToY(g, k)}
      width={span[1] - span[0]}
      height={g.height / g.rows}
      fill="none"
      stroke="#fff"
      strokeWidth={1.5}
    />
  );
}

/**
 * Key rows: a dotted light line with a faint dark halo (readable on every viridis shade without hiding the cells;
 * early on most frequencies can be key), and `k=…` where each final key frequency emerged.
 */
function KeyIntervals({
  g,
  intervals,
  emergence,
}: {
  g: HeatmapGeometry;
  intervals: HeatmapOverlayProps['keyIntervals'];
  emergence: HeatmapOverlayProps['keyEmergence'];
}) {
  const rowH = g.height / g.rows;
  const rowY = (k: number) => freqToY(g, k) + rowH / 2;
  const labelYs = spreadLabels(
    emergence.map((e) => rowY(e.k)),
    11,
    6,
    g.height - 4,
  );
  return (
    <g data-testid="key-intervals">
      {intervals.map((iv) => {
        const x1 = stepToX(g, iv.from);
        const x2 = Math.max(x1 + 2, stepToX(g, Math.min(iv.to, g.xMax)));
        const y = rowY(iv.k);
        return (
          <g key={`${iv.k}-${iv.from}`}>
            <line x1={x1} x2={x2} y1={y} y2={y} stroke="#000" strokeOpacity={0.25} strokeWidth={3} />
            <line
              x1={x1}
              x2={x2}
              y1={y}
              y2={y}
              stroke="#fff"
              strokeOpacity={0.85}
              strokeWidth={1.3}
              strokeDasharray="1.5 3.5"
            />
          </g>
        );
      })}
      {emergence.map((e, i) => {
        const x = stepToX(g, e.step);
        // Left of where the line starts, unless that is off the plot; then just inside it.
        const inside = x < 40;
        return (
          <text
            key={e.k}
            data-testid="key-emergence"
            data-k={e.k}
            data-step={e.step}
            x={inside ? x + 4 : x - 5}
            y={(labelYs[i] as number) - (inside ? 6 : 0)}
            dy="0.32em"
            textAnchor={inside ? 'start' : 'end'}
            fontSize={10.5}
            fontWeight={600}
            fill="#fff"
            stroke="#0d1014"
            strokeWidth={3}
            strokeOpacity={0.7}
            paintOrder="stroke"
          >
            k={e.k}
          </text>
        );
      })}
    </g>
  );
}

/** The scrubber's step as a vertical line; its own component so a moving scrubber re-renders only this. */
function HeatmapMarker({ g }: { g: HeatmapGeometry }) {
  const step = useContext(MarkerStepContext);
  if (step === null || step < 0 || step > g.xMax) return null;
  const x = stepToX(g, step);
  return (
    <g data-testid="step-marker" data-step={step} data-x={x.toFixed(1)}>
      <line x1={x} x2={x} y2={g.height} stroke={MARKER_STYLE.color} strokeOpacity={0.9} strokeWidth={1} />
      <path d={`M${x - 4},-1h8l-4,5z`} fill={MARKER_STYLE.color} />
    </g>
  );
}
