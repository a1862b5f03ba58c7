import type { RunEvent, Series } from '../../shared/metrics.js';
import type { RunRecord } from '../../shared/run-record.js';

/**
 * What a chart reads from: a live run filling up frame by frame, or a saved
 * record. `version` changes whenever any series grows, so a chart can cache
 * its downsampled points until then.
 */
export interface SeriesSource {
  readonly version: number;
  series(name: string): Series | undefined;
  seriesNames(): string[];
  /** The run's events so far, for the markers a kind's charts draw on the time axis. */
  readonly events?: readonly RunEvent[];
}

export class RecordSeriesSource implements SeriesSource {
  readonly version = 0;

  constructor(private readonly record: Pick<RunRecord, 'series'> & Partial<Pick<RunRecord, 'events'>>) {}

  get events(): readonly RunEvent[] {
    return this.record.events ?? [];
  }

  series(name: string): Series | undefined {
    return this.record.series[name];
  }

  seriesNames(): string[] {
    return Object.keys(this.record.series);
  }
}
