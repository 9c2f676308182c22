import {
  columnSpan,
  freqToY,
  type HeatmapGeometry,
  integerTicks,
  stepTicks,
  stepToX,
} from './heatmap-geometry.ts';
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
  reference: { step: number } | null;
  cursor: { col: number; k: number } | null;
  className: string | undefined;
}

/** The heatmap's SVG layer: frame, axes with titles, the grokking line, key-frequency labels, the cursor cell. */
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
