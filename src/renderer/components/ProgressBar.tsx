import { formatNumber } from '../format.js';

export function ProgressBar({ done, total, label = 'Run progress' }: { done: number; total: number; label?: string }) {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
      >
        <div className="progress-fill" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
      </div>
      <span className="progress-text">
        {formatNumber(done)} / {formatNumber(total)} ({(fraction * 100).toFixed(0)}%)
      </span>
    </div>
  );
}
