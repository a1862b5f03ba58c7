/**
 * What the renderer asks of a saved run ('runs.get' with display): never the
 * whole record, whose series and per-item values can be tens of megabytes.
 * The full record stays in the engine for exports and compare.
 */
import type { RunDisplayOptions } from '../../shared/run-view.js';
import { DEFAULT_MAX_POINTS } from '../charts/downsample.js';

/**
 * For drawing: five times the points a line shows, so LTTB still has spikes
 * to choose from, and series cut only past 1,000 points. Series are cut one
 * by one: lines derived across series (a load run's request share per
 * worker, from reports that share a round) come out right only uncut, that
 * is up to 1,000 rounds (about 16 minutes of a load run).
 */
export const CHART_VIEW: RunDisplayOptions = { maxPointsPerSeries: 5 * DEFAULT_MAX_POINTS };
/** For a run's spec, status or summary only: its series cut to almost nothing. */
export const HEADER_VIEW: RunDisplayOptions = { maxPointsPerSeries: 4 };
