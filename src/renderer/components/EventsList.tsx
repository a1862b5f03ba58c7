import type { RunEvent } from '../../shared/metrics.js';
import { formatNumber } from '../format.js';

/** Shown in full up to this many; a run with thousands of failures stays readable. */
const SHOWN = 200;

function isProblem(event: RunEvent): boolean {
  return /fail|error|crash|reject|abort/i.test(event.type);
}

export function EventsList({ events, title = 'Events', dropped = 0 }: { events: RunEvent[]; title?: string; dropped?: number }) {
  const hidden = Math.max(0, events.length - SHOWN) + dropped;
  return (
    <section className="events" aria-label={title}>
      <h3>
        {title} <span className="count">({formatNumber(events.length + dropped)})</span>
      </h3>
      {events.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ol className="event-list">
          {events.slice(0, SHOWN).map((event, index) => (
            <li key={index} className={isProblem(event) ? 'event problem' : 'event'}>
              <span className="event-time">{(event.t / 1000).toFixed(2)} s</span>
              <span className="event-type">{event.type}</span>
              <span className="event-message">{event.message}</span>
            </li>
          ))}
        </ol>
      )}
      {hidden > 0 && <p className="muted">… and {formatNumber(hidden)} more in the saved run.</p>}
    </section>
  );
}

export function problemEvents(events: RunEvent[]): RunEvent[] {
  return events.filter(isProblem);
}
