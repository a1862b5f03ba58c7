import { useMemo } from 'react';
import type { RunEvent } from '../../shared/metrics.js';
import { formatNumber } from '../format.js';
import { groupRepeats } from './event-groups.js';

/** Lines shown (a line may fold repeats); a run with thousands of failures stays readable. */
const SHOWN = 200;

/** Failures, and warnings about what the figures measure (a window too short, a run limited by the generator, its connections or its target, more threads or workers than cores). */
function isProblem(event: RunEvent): boolean {
  return /fail|error|crash|reject|abort|limited|short-run|oversubscribed/i.test(event.type);
}

/**
 * A run's or the standing cluster's events. With `clockFrom` (when t = 0 was,
 * epoch ms) times read on the clock, so two timelines (a run's, the cluster's
 * it ran on) share one time base; the seconds since their start stay in each title.
 */
export function EventsList({
  events,
  title = 'Events',
  dropped = 0,
  clockFrom,
}: {
  events: RunEvent[];
  title?: string;
  dropped?: number;
  clockFrom?: number | undefined;
}) {
  const at = (t: number) => (clockFrom === undefined ? seconds(t) : clock(clockFrom + t));
  // A live run's events grow in place: the groups are of the events there are now.
  const count = events.length;
  const groups = useMemo(() => groupRepeats(events.slice(0, count)), [events, count]);
  const hidden = groups.slice(SHOWN).reduce((sum, group) => sum + group.count, 0) + dropped;
  return (
    <section className="events" aria-label={title}>
      <h3>
        {title} <span className="count">({formatNumber(events.length + dropped)})</span>
      </h3>
      {events.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ol className="event-list">
          {groups.slice(0, SHOWN).map(({ event, count, lastT }, index) => (
            <li key={index} className={isProblem(event) ? 'event problem' : 'event'}>
              <span className="event-time" title={clockFrom === undefined ? undefined : `${seconds(event.t)} after the start`}>
                {at(event.t)}
              </span>
              <span className="event-type">{event.type}</span>
              <span className="event-message">
                {event.message}
                {count > 1 && (
                  <span className="event-repeats">
                    {' '}
                    ×{formatNumber(count)} until {at(lastT)}
                  </span>
                )}
              </span>
            </li>
          ))}
        </ol>
      )}
      {hidden > 0 && <p className="muted">… and {formatNumber(hidden)} more in the saved run.</p>}
    </section>
  );
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

const twoDigits = (value: number) => String(value).padStart(2, '0');

/** 14:03:07.2 in local time. */
function clock(epochMs: number): string {
  const date = new Date(epochMs);
  return `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}.${Math.floor(date.getMilliseconds() / 100)}`;
}

export function problemEvents(events: RunEvent[]): RunEvent[] {
  return events.filter(isProblem);
}
