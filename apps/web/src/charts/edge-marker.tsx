import { OKABE_ITO } from './palette.ts';

/** A marker a log axis or a finite axis cannot place: a triangle on the edge (clipped) or an ✕ (NaN/∞). */
export function drawEdgeMarker(
  kind: 'clipped' | 'special',
  color: string,
  props: { cx?: number; cy?: number; index?: number },
) {
  const { cx, cy } = props;
  if (cx === undefined || cy === undefined) return <g key={props.index} />;
  return kind === 'clipped' ? (
    <path key={props.index} d={`M${cx - 4},${cy}l4,-6l4,6z`} fill={color} opacity={0.9} />
  ) : (
    <path
      key={props.index}
      d={`M${cx - 4},${cy - 4}l8,8M${cx + 4},${cy - 4}l-8,8`}
      stroke={OKABE_ITO.vermillion}
      strokeWidth={2}
    />
  );
}
