import type { MetricValue } from '../../shared/metrics.js';
import { formatNumber } from '../format.js';

/** The leak detector's verdict as a sentence with its numbers, from the run's summary. */
export function LeakVerdictView({ summary }: { summary: Record<string, MetricValue> }) {
  const flagged = summary['leak.flagged'];
  if (!flagged) return null;
  const label = flagged.label ?? '';
  const status = /verdict: ([\w-]+)/.exec(label)?.[1] ?? 'collecting';
  const reason = /\((.*)\)$/.exec(label)?.[1] ?? '';
  const tone = status === 'possible-leak' ? 'leak-verdict leak-verdict-leak' : status === 'no-leak' ? 'leak-verdict leak-verdict-ok' : 'leak-verdict';
  const headlines: Record<string, string> = {
    'possible-leak': 'Possible leak',
    'no-leak': reason.startsWith('plateaued') ? 'No leak (plateaued)' : 'No leak',
    // The run ended before the rule could decide: not "no leak".
    undecided: 'Undecided',
  };
  const headline = headlines[status] ?? 'Collecting evidence';
  return (
    <div className={tone} role="status" aria-label="Leak verdict">
      <strong>{headline}</strong>
      <span>
        {' '}
        live set {formatNumber(summary['leak.slopeMbPerMin']?.value ?? 0)} MB/min, R² {formatNumber(summary['leak.r2']?.value ?? 0)},{' '}
        {formatNumber(summary['leak.points']?.value ?? 0)} major-GC points
      </span>
      {reason && <span className="muted"> — {reason}</span>}
    </div>
  );
}
