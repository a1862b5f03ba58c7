import { formatNumber } from '../format.js';

/** What a run's progress counts: time in milliseconds (db, load, memory runs), or items such as jobs (pool runs). */
export type ProgressUnit = 'ms' | 'count';

/** The kinds whose progress is the time they ran of the time they plan to run, in milliseconds. */
export function progressUnitOf(kind: string | undefined): ProgressUnit {
  return kind === 'pool' ? 'count' : 'ms';
}

/** 12345 ms → "12.3 s"; whole seconds without a decimal. */
function seconds(ms: number): string {
  const value = ms / 1000;
  return `${Number.isInteger(value) ? formatNumber(value) : value.toFixed(1)} s`;
}

export function ProgressBar({
  done,
  total,
  label = 'Run progress',
  unit = 'count',
}: {
  done: number;
  total: number;
  label?: string;
  unit?: ProgressUnit;
}) {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const percent = `${(fraction * 100).toFixed(0)}%`;
  const text = unit === 'ms' ? `${seconds(done)} of ${seconds(total)}` : `${formatNumber(done)} / ${formatNumber(total)}`;
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={`${text} (${percent})`}
      >
        <div className="progress-fill" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
      </div>
      <span className="progress-text">
        {text} ({percent})
      </span>
    </div>
  );
}
