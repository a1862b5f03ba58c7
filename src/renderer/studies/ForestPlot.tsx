import { forestPlotLayout, type ForestRow } from '../../shared/forest-plot.js';

const BLUE = '#2563eb';
const RED = '#dc2626';

/**
 * The forest plot of a comparison: each metric's change with its interval,
 * the noise floor shaded. The same geometry as the HTML export's
 * (shared/forest-plot.ts), drawn by React.
 */
export function ForestPlot({ rows, noiseFloor }: { rows: readonly ForestRow[]; noiseFloor: number }) {
  const layout = forestPlotLayout(rows, noiseFloor);
  const { floor, zero } = layout;
  return (
    <svg
      className="forest-plot"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width="100%"
      style={{ maxWidth: layout.width }}
      role="img"
      aria-label="Forest plot: relative change of each metric with its confidence interval"
    >
      <text x={layout.labelX + 8} y={16} fontSize={13} fontWeight={600} fill="#1f2933">
        Change versus baseline (95% CI; shaded: noise floor)
      </text>
      <rect x={floor.x} y={floor.y} width={floor.width} height={floor.height} fill="#f3f4f6" />
      <line x1={zero.x} x2={zero.x} y1={zero.y1} y2={zero.y2} stroke="#6b7280" />
      {layout.rows.map((row) => {
        const color = row.worse ? RED : BLUE;
        return (
          <g key={row.metric}>
            <text x={layout.labelX} y={row.cy} fontSize={11} textAnchor="end" dominantBaseline="middle" fill="#374151">
              <title>{row.metric}</title>
              {row.name}
            </text>
            {!row.hollow && <line x1={row.x1} x2={row.x2} y1={row.cy} y2={row.cy} stroke={color} strokeWidth={2} />}
            {row.arrows.map((arrow) => (
              <path key={arrow.direction} d={`M${arrow.x},${row.cy}l${-6 * arrow.direction},-4v8z`} fill={color} />
            ))}
            {row.hollow ? (
              <circle cx={row.cx} cy={row.cy} r={3.5} fill="#fff" stroke={color} strokeWidth={1.5} />
            ) : (
              <circle cx={row.cx} cy={row.cy} r={3.5} fill={color} />
            )}
            {row.note && (
              <text x={row.note.x} y={row.cy} fontSize={11} textAnchor={row.note.anchor} dominantBaseline="middle" fill="#6b7280">
                {row.note.text}
              </text>
            )}
          </g>
        );
      })}
      {layout.ticks.map((tick) => (
        <text key={tick.label} x={tick.x} y={tick.y} fontSize={11} textAnchor="middle" fill="#6b7280">
          {tick.label}
        </text>
      ))}
    </svg>
  );
}
