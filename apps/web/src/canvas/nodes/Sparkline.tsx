import { sparklinePoints } from '../../live/rate-history';

const WIDTH = 120;
const HEIGHT = 18;

/** A small line of the last minute of a figure, newest at the right. */
export function Sparkline({
  values,
  testId,
  label,
}: {
  values: readonly number[];
  testId: string;
  label: string;
}) {
  return (
    <svg
      className="sparkline"
      data-testid={testId}
      data-samples={values.length}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={label}
      preserveAspectRatio="none"
    >
      <line className="sparkline__base" x1="0" x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} />
      {values.length > 0 && (
        <polyline className="sparkline__line" points={sparklinePoints(values, WIDTH, HEIGHT)} />
      )}
    </svg>
  );
}
