import { CHART_THEME } from './palette.ts';

export interface CirclePoint {
  token: number;
  x: number;
  y: number;
  color: string;
}

export interface CirclePlotProps {
  points: readonly CirclePoint[];
  /** Tokens in the order to join them (closed), e.g. around the circle; empty joins nothing. */
  order: readonly number[];
  /** Half-width of the square view in data units (same on both axes so circles stay round). */
  extent: number;
  xLabel: string;
  yLabel: string;
  /** Tokens labelled beside their points (0 anchors the colour wheel without relying on hue). */
  labelled?: readonly number[];
  ariaLabel: string;
}

const SIZE = 260;
const PAD = 16;

/**
 * One 2-D scatter of tokens on a pair of principal components: equal axes, a faint crosshair at the origin, points
 * joined in `order` so a formed circle reads as a clean polygon, a few tokens labelled. SVG in a fixed viewBox
 * scaled to the panel: p ≤ a few hundred points.
 */
export function CirclePlot({
  points,
  order,
  extent,
  xLabel,
  yLabel,
  labelled = [0],
  ariaLabel,
}: CirclePlotProps) {
  const half = SIZE / 2;
  const scale = (half - PAD) / extent;
  const px = (v: number) => half + v * scale;
  const py = (v: number) => half - v * scale;
  const byToken = new Map(points.map((pt) => [pt.token, pt]));
  const path = order
    .map((t) => byToken.get(t))
    .filter((pt): pt is CirclePoint => pt !== undefined && Number.isFinite(pt.x) && Number.isFinite(pt.y))
    .map((pt) => `${px(pt.x).toFixed(1)},${py(pt.y).toFixed(1)}`)
    .join(' ');
  return (
    <svg
      viewBox={`0 0 ${SIZE} ${SIZE}`}
      role="img"
      aria-label={ariaLabel}
      style={{ width: '100%', display: 'block' }}
    >
      <rect x={0.5} y={0.5} width={SIZE - 1} height={SIZE - 1} fill="none" stroke={CHART_THEME.grid} rx={4} />
      <line x1={PAD} x2={SIZE - PAD} y1={half} y2={half} stroke={CHART_THEME.grid} strokeDasharray="2 4" />
      <line y1={PAD} y2={SIZE - PAD} x1={half} x2={half} stroke={CHART_THEME.grid} strokeDasharray="2 4" />
      <text x={SIZE - 6} y={half - 5} textAnchor="end" fontSize={10.5} fill={CHART_THEME.tick}>
        {xLabel}
      </text>
      <text x={half + 5} y={12} fontSize={10.5} fill={CHART_THEME.tick}>
        {yLabel}
      </text>
      {path && <polygon points={path} fill="none" stroke="#ffffff" strokeOpacity={0.16} strokeWidth={1} />}
      {points.map((pt) =>
        Number.isFinite(pt.x) && Number.isFinite(pt.y) ? (
          <circle
            key={pt.token}
            className="point"
            data-token={pt.token}
            cx={px(pt.x)}
            cy={py(pt.y)}
            r={4}
            fill={pt.color}
            stroke="#151a21"
            strokeWidth={0.8}
          >
            <title>{`token ${pt.token}`}</title>
          </circle>
        ) : null,
      )}
      {labelled.map((t) => {
        const pt = byToken.get(t);
        if (!pt || !Number.isFinite(pt.x) || !Number.isFinite(pt.y)) return null;
        // Pushed outward from the origin so the label sits outside the ring.
        const r = Math.hypot(pt.x, pt.y) || 1;
        return (
          <text
            key={t}
            x={px(pt.x) + (pt.x / r) * 10}
            y={py(pt.y) - (pt.y / r) * 10}
            dy="0.32em"
            textAnchor="middle"
            fontSize={10.5}
            fontWeight={600}
            fill="#fff"
            stroke="#151a21"
            strokeWidth={3}
            paintOrder="stroke"
          >
            {t}
          </text>
        );
      })}
    </svg>
  );
}
