/** One chart of a run: a title and the series it draws, by the names the kind emits. */
export interface ChartDefinition {
  id: string;
  title: string;
  lines: Array<{
    series: string;
    label?: string;
    /** Separate happenings rather than a trend (one GC each): drawn as dots sized by value, not joined. */
    style?: 'dots';
  }>;
}

/** A stretch of a run shaded on every chart: other processes kept the machine busy (above the threshold). */
export interface ChartBand {
  /** Seconds since the run started, like the charts' x axis. */
  x1: number;
  x2: number;
  /** The most cores other processes used in the stretch. */
  peakCores: number;
}

/** The stretch a finding is about, highlighted on every chart of the run ("Show on charts"). */
export interface ChartHighlight {
  /** Seconds since the run started, like the charts' x axis. */
  x1: number;
  x2: number;
  label: string;
}

/** Every chart's accessible name, so tests and screen readers find it the same way. */
export function chartAccessibleName(definition: ChartDefinition): string {
  return `${definition.title} chart`;
}

/**
 * A moment worth seeing on every chart of a run (a restart, a fault), drawn as
 * a vertical line; or, with x2, a span (the setup and warm-up before the
 * measured window), drawn shaded.
 */
export interface ChartMarker {
  /** Seconds since the run started, like the charts' x axis. */
  x: number;
  /** The end of a span, seconds. */
  x2?: number;
  label: string;
  /** Restarts and crashes read differently from what the user did (a fault, a rolling restart); a warm-up is neither. */
  tone: 'failure' | 'action' | 'warmup';
}

/**
 * Every kind marks the start of its measured window with a 'measure-start'
 * event (what came before, thread or cluster start-up and the warm-up, is
 * left out of the results); its charts shade the time before it the same way.
 */
export const MEASURE_START_EVENT = 'measure-start';
