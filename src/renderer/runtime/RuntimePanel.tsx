import { useId, useMemo, useState } from 'react';
import type { MetricValue } from '../../shared/metrics.js';
import { RunCharts } from '../charts/RunCharts.js';
import { formatNumber } from '../format.js';
import { LeakVerdictView } from '../memory/LeakVerdictView.js';
import type { SeriesSource } from '../runs/series-source.js';
import { useSourceAt, type SourceAt } from '../runs/use-source-at.js';
import { isProbed, loopShownByKind, reported, runtimeChartSet, runtimeProcesses, type RuntimeProcess } from './runtime-charts.js';
import { NOTABLE_GC_MS } from '../../shared/runtime.js';
import { processName, runtimeSeriesName, type RuntimeMetric } from '../../shared/series-names.js';

/** The panel stays open for the next run and the next page once a user has opened it. */
let openByDefault = false;

/**
 * A "Runtime" toggle and, when open, the runtime of the run's processes
 * (the engine's own on every run; test-server workers or a memory sandbox
 * where the run recorded them): heap, GC, event loop, CPU.
 */
export function RuntimePanel({
  kind,
  source,
  version,
  summary,
}: {
  kind: string;
  /** The run's series: live or saved. */
  source: SeriesSource;
  /** Changes when the source has new points. */
  version: number;
  /** For the leak verdict, when the run has one. */
  summary?: Record<string, MetricValue>;
}) {
  const [open, setOpen] = useState(openByDefault);
  const regionId = useId();
  const toggle = () => {
    openByDefault = !open;
    setOpen(!open);
  };
  return (
    <div className="runtime-panel">
      <div className="actions">
        <button type="button" aria-pressed={open} aria-expanded={open} aria-controls={regionId} onClick={toggle}>
          Runtime
        </button>
        {!open && <span className="muted">heap, GC and event loop of the processes behind this run</span>}
      </div>
      {open && (
        <section id={regionId} aria-label="Runtime" className="runtime-panel-body">
          <RuntimeView kind={kind} source={source} version={version} summary={summary} />
        </section>
      )}
    </div>
  );
}

function RuntimeView({ kind, source, version, summary }: { kind: string; source: SeriesSource; version: number; summary: Record<string, MetricValue> | undefined }) {
  const at = useSourceAt(source, version);
  const processes = useMemo(() => runtimeProcesses(at.source, kind), [at, kind]);
  const [chosen, setChosen] = useState<string>();
  const selected = processes.find((process) => process.key === chosen) ?? processes[0];
  if (!selected) {
    return (
      <p className="muted">
        No runtime samples yet. A run samples the engine&apos;s process every second from its start; runs saved before Tunebench
        recorded it have none.
      </p>
    );
  }
  return (
    <>
      {processes.length > 1 && (
        <div className="actions" role="group" aria-label="Process">
          {processes.map((process) => (
            <button
              key={process.key}
              type="button"
              aria-pressed={process === selected}
              onClick={() => setChosen(process.key)}
            >
              {process.label}
            </button>
          ))}
        </div>
      )}
      <h3 className="runtime-panel-title">{selected.label}</h3>
      {selected.process.type === 'subject' && summary && <LeakVerdictView summary={summary} />}
      <RuntimeFacts at={at} process={selected} />
      {!isProbed(source, selected.process) && (
        <p className="muted runtime-note">
          What this process reports with its request counts; heap spaces and GC need the runtime probe loaded into it.
        </p>
      )}
      {selected.process.type === 'engine' && (
        <p className="muted runtime-note">
          GC dots: every major GC and any GC of {NOTABLE_GC_MS} ms or more; the others count in the per-second pauses only.
          {loopShownByKind(source, selected.process) && ' Its event loop is in the run’s own charts above (event-loop delay, main-thread utilisation).'}
        </p>
      )}
      <RunCharts kind={kind} set={runtimeChartSet(selected.process)} source={source} version={version} />
    </>
  );
}

function peak(source: SeriesSource, ...names: Array<string | undefined>): number | undefined {
  for (const name of names) {
    if (name === undefined) continue;
    const values = source.series(name)?.v;
    if (values?.length) return values.reduce((max, value) => Math.max(max, value), Number.NEGATIVE_INFINITY);
  }
  return undefined;
}

/** A per-second rate summed over the run: each sample covers the time since the one before (the first, since the start). */
function integrate(source: SeriesSource, name: string): number | undefined {
  const series = source.series(name);
  if (!series?.t.length) return undefined;
  let total = 0;
  let previous = 0;
  series.t.forEach((t, index) => {
    total += (series.v[index]! * Math.max(0, t - previous)) / 1_000;
    previous = t;
  });
  return total;
}

/** The headline numbers of one process, read from its series and GC events. */
function RuntimeFacts({ at, process }: { at: SourceAt; process: RuntimeProcess }) {
  const facts = useMemo(() => {
    const { source } = at;
    const of = process.process;
    const name = (metric: RuntimeMetric) => runtimeSeriesName(of, metric);
    const gcProcess = processName(of);
    const majors = (source.events ?? []).filter(
      (event) => event.type === 'gc' && event.data?.process === gcProcess && event.data?.kind === 'major',
    ).length;
    const pause = integrate(source, name('gc.pauseMs'));
    return [
      ['Peak heap used', peak(source, name('heapUsed'), reported(of, 'heap')), 'MB'],
      ['Peak RSS', peak(source, name('rss')), 'MB'],
      ['GC pause in all', pause, 'ms'],
      ['Major GCs', pause === undefined ? undefined : majors, ''],
      ['Worst event-loop delay p99', peak(source, name('eldP99'), reported(of, 'eld')), 'ms'],
    ] as const;
  }, [at, process]);
  return (
    <dl className="runtime-facts" aria-label={`Runtime of ${process.label}`}>
      {facts
        .filter(([, value]) => value !== undefined)
        .map(([label, value, unit]) => (
          <div key={label} className="runtime-fact">
            <dt>{label}</dt>
            <dd>
              {formatNumber(value!)}
              {unit && ` ${unit}`}
            </dd>
          </div>
        ))}
    </dl>
  );
}
