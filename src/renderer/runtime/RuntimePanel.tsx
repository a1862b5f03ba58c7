import { useId, useMemo, useState } from 'react';
import type { MetricValue } from '../../shared/metrics.js';
import { RunCharts } from '../charts/RunCharts.js';
import { formatNumber } from '../format.js';
import { LeakVerdictView } from '../memory/LeakVerdictView.js';
import type { SeriesSource } from '../runs/series-source.js';
import { ENGINE_PREFIX, isProbed, loopShownByKind, runtimeChartSet, runtimeProcesses, type RuntimeProcess } from './runtime-charts.js';
import { NOTABLE_GC_MS } from '../../shared/runtime.js';

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
  // version stands for the source's contents, which mutate in place.
  const processes = useMemo(() => runtimeProcesses(source, kind), [source, kind, version]);
  const [chosen, setChosen] = useState<string>();
  const selected = processes.find((process) => process.prefix === chosen) ?? processes[0];
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
              key={process.prefix}
              type="button"
             
              aria-pressed={process === selected}
              onClick={() => setChosen(process.prefix)}
            >
              {process.label}
            </button>
          ))}
        </div>
      )}
      <h3 className="runtime-panel-title">{selected.label}</h3>
      {selected.prefix === '' && summary && <LeakVerdictView summary={summary} />}
      <RuntimeFacts source={source} process={selected} version={version} />
      {!isProbed(source, selected.prefix) && (
        <p className="muted runtime-note">
          What this process reports with its request counts; heap spaces and GC need the runtime probe loaded into it.
        </p>
      )}
      {selected.prefix === ENGINE_PREFIX && (
        <p className="muted runtime-note">
          GC dots: every major GC and any GC of {NOTABLE_GC_MS} ms or more; the others count in the per-second pauses only.
          {loopShownByKind(source, selected.prefix) && ' Its event loop is in the run’s own charts above (event-loop delay, main-thread utilisation).'}
        </p>
      )}
      <RunCharts kind={kind} set={runtimeChartSet(selected.prefix)} source={source} version={version} />
    </>
  );
}

function peak(source: SeriesSource, ...names: string[]): number | undefined {
  for (const name of names) {
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
function RuntimeFacts({ source, process, version }: { source: SeriesSource; process: RuntimeProcess; version: number }) {
  const facts = useMemo(() => {
    const p = process.prefix;
    const processName = p ? p.replace(/\.$/, '') : undefined;
    const majors = (source.events ?? []).filter(
      (event) => event.type === 'gc' && event.data?.process === processName && event.data?.kind === 'major',
    ).length;
    const pause = integrate(source, `${p}gc.pauseMs`);
    return [
      ['Peak heap used', peak(source, `${p}heapUsed`, `${p}heap`), 'MB'],
      ['Peak RSS', peak(source, `${p}rss`), 'MB'],
      ['GC pause in all', pause, 'ms'],
      ['Major GCs', pause === undefined ? undefined : majors, ''],
      ['Worst event-loop delay p99', peak(source, `${p}eldP99`, `${p}eld`), 'ms'],
    ] as const;
    // version stands for the source's contents, which mutate in place.
  }, [source, process, version]);
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
