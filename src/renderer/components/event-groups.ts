import type { RunEvent } from '../../shared/metrics.js';

/** A run of identical events (same type and message, one after another), shown as one line. */
export interface EventGroup {
  event: RunEvent;
  count: number;
  /** Time of the group's last event, ms since the run started. */
  lastT: number;
}

/**
 * Folds repeats into one line: a run with a full queue rejects hundreds of
 * jobs with the same message, and a hundred identical lines hide the one
 * failure that differs.
 */
export function groupRepeats(events: readonly RunEvent[]): EventGroup[] {
  const groups: EventGroup[] = [];
  for (const event of events) {
    const last = groups[groups.length - 1];
    if (last && last.event.type === event.type && last.event.message === event.message) {
      last.count += 1;
      last.lastT = event.t;
    } else {
      groups.push({ event, count: 1, lastT: event.t });
    }
  }
  return groups;
}
