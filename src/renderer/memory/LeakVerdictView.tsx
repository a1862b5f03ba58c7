import type { MetricValue } from '../../shared/metrics.js';
import { formatNumber } from '../format.js';

export interface LeakVerdictWords {
  status: 'possible-leak' | 'no-leak' | 'undecided' | 'collecting';
  headline: string;
  /** What the detector saw, as sentences. */
  sentences: string[];
}

/** The leak detector's verdict as words a person reads, from the run's summary (leak.flagged carries it in its label). */
export function leakVerdictWords(summary: Record<string, MetricValue>): LeakVerdictWords | undefined {
  const flagged = summary['leak.flagged'];
  if (!flagged) return undefined;
  const label = flagged.label ?? '';
  const found = /verdict: ([\w-]+)/.exec(label)?.[1];
  const status: LeakVerdictWords['status'] = found === 'possible-leak' || found === 'no-leak' || found === 'undecided' ? found : 'collecting';
  const reason = /\((.*)\)$/.exec(label)?.[1] ?? '';
  const slope = summary['leak.slopeMbPerMin']?.value ?? 0;
  const r2 = summary['leak.r2']?.value ?? 0;
  const points = summary['leak.points']?.value ?? 0;
  const headline =
    status === 'possible-leak'
      ? 'Possible leak'
      : status === 'no-leak'
        ? reason.startsWith('plateaued')
          ? 'No leak: the heap filled up, then stayed flat'
          : 'No leak'
        : status === 'undecided'
          ? 'Undecided: the run ended before the detector could tell'
          : 'Still collecting evidence';
  const sentences: string[] = [];
  if (reason) sentences.push(`${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`);
  if (points >= 2) {
    const direction = slope >= 0 ? 'grew' : 'shrank';
    const fit = r2 >= 0.8 ? 'steadily' : r2 >= 0.5 ? 'unevenly' : 'with no clear trend';
    sentences.push(
      `The live set (the heap left after each major GC) ${direction} ${formatNumber(Math.abs(slope))} MB a minute, ${fit} ` +
        `(a straight line explains ${formatNumber(Math.max(0, r2) * 100)}% of it), over ${formatNumber(points)} major GCs.`,
    );
  } else {
    sentences.push(`${points === 1 ? 'Only one major GC' : 'No major GC'} has been seen yet, and a trend needs at least two.`);
  }
  return { status, headline, sentences };
}

/** The leak detector's verdict in words with its numbers. */
export function LeakVerdictView({ summary }: { summary: Record<string, MetricValue> }) {
  const words = leakVerdictWords(summary);
  if (!words) return null;
  const tone =
    words.status === 'possible-leak' ? 'leak-verdict leak-verdict-leak' : words.status === 'no-leak' ? 'leak-verdict leak-verdict-ok' : 'leak-verdict';
  return (
    <div className={tone} role="status" aria-label="Leak verdict">
      <strong>{words.headline}.</strong> {words.sentences.join(' ')}
    </div>
  );
}
