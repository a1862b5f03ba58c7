import { useMemo } from 'react';
import type { NoiseVerdict } from '../../shared/noise.js';
import { describeMachine, describeMachineShort, noiseIntervalsFromSeries, noiseVerdict } from '../../shared/noise-verdict.js';
import type { SeriesSource } from '../runs/series-source.js';
import { useSourceAt } from '../runs/use-source-at.js';

/**
 * How quiet the machine was during a run, beside its status: "Machine quiet:
 * others 0.05 cores" or "Machine busy: others 0.7 cores". A saved run shows
 * its record's verdict; a live one its verdict so far, from its noise series.
 */
export function NoiseBadge({
  noise,
  source,
  version = 0,
  compact = false,
}: {
  /** The record's verdict; when absent, the live source's so far. */
  noise?: NoiseVerdict | undefined;
  source?: SeriesSource | undefined;
  /** Changes when the source has new points. */
  version?: number;
  /** Just "machine busy" (the runs list). */
  compact?: boolean;
}) {
  const at = useSourceAt(source, version);
  const live = useMemo(() => {
    if (noise || !at) return undefined;
    const intervals = noiseIntervalsFromSeries((name) => at.source.series(name));
    return intervals.length ? noiseVerdict(intervals) : undefined;
  }, [noise, at]);
  const shown = noise ?? live;
  if (!shown) return null;
  const title = `Machine during this run: ${describeMachine(shown)}${noise ? '' : ' (so far)'}`;
  return (
    <span className={`noise-badge noise-${shown.verdict}`} title={title}>
      {compact ? `machine ${shown.verdict}` : `Machine ${describeMachineShort(shown)}`}
    </span>
  );
}
