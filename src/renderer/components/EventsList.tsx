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

export function EventsList({ events, title = 'Events', dropped = 0 }: { events: RunEvent[]; title?: string; dropped?: number }) {
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
              <span className="event-time">{seconds(event.t)}</span>
              <span className="event-type">{event.type}</span>
              <span className="event-message">
                {event.message}
                {count > 1 && (
                  <span className="event-repeats">
                    {' '}
                    ×{formatNumber(count)} until {seconds(lastT)}
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

export function problemEvents(events: RunEvent[]): RunEvent[] {
  return events.filter(isProblem);
}
