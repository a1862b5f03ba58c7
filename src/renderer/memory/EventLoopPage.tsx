import { useMemo, useState } from 'react';
import type { CallResponse } from '../../shared/contract.js';
import type { MetricValue } from '../../shared/metrics.js';
import { eventLoopPhaseNotes, MemorySpecSchema, type MemorySpecInput } from '../../shared/specs/index.js';
import type { PageProps } from '../app/pages.js';
import { useServices } from '../app/services.js';
import type { ChartDefinition } from '../charts/chart-definition.js';
import { TimeSeriesChart } from '../charts/TimeSeriesChart.js';
import { ErrorNote, errorOf } from '../components/ErrorNote.js';
import { Field } from '../components/Field.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { displayValue, formatNumber } from '../format.js';
import { href } from '../app/router.js';
import { useCall } from '../app/use-call.js';
import type { Series } from '../../shared/metrics.js';
import type { RunRecord } from '../../shared/run-record.js';
import type { SeriesSource } from '../runs/series-source.js';
import { useExperimentRun } from '../runs/use-experiment-run.js';
import { useRunRecord } from '../runs/use-run-record.js';
import { createRunDraft, useRunDraft } from '../runs/use-run-draft.js';
import { eventLoopRunName, isEventLoopRun, placementOf, type Placement } from './event-loop-runs.js';
import { progressUnitOf } from '../components/ProgressBar.js';

const charts: ChartDefinition[] = [
  { id: 'heartbeat', title: 'Heartbeat timer lateness (50 ms timer)', lines: [{ series: 'heartbeatLateMs', label: 'late by' }] },
  {
    id: 'eld',
    title: 'Event-loop delay',
    lines: [
      { series: 'eldP50', label: 'p50' },
      { series: 'eldP99', label: 'p99' },
      { series: 'eldMax', label: 'max' },
    ],
  },
  {
    id: 'cpu',
    // CPU is of all threads, in % of one core: above 100 on more than one core.
    title: 'CPU (100% = one core) and event-loop utilisation',
    lines: [
      { series: 'cpu', label: 'CPU (all threads)' },
      { series: 'elu', label: 'ELU (main thread)' },
    ],
  },
];

type Where = Placement;
const whereLabel: Record<Where, string> = { 'cpu-main': 'On the main thread', 'cpu-pool': 'Offloaded to the pool' };
const prefixOf: Record<Where, string> = { 'cpu-main': 'blocking', 'cpu-pool': 'offloaded' };

/** Blocking and offloaded on one axis each: the last saved run of each placement, line beside line. */
const pairCharts: ChartDefinition[] = [
  {
    id: 'pair-heartbeat',
    title: 'Heartbeat lateness: blocking vs offloaded',
    lines: [
      { series: 'blocking.heartbeatLateMs', label: 'on the main thread' },
      { series: 'offloaded.heartbeatLateMs', label: 'offloaded to the pool' },
    ],
  },
  {
    id: 'pair-eld',
    title: 'Event-loop delay p99: blocking vs offloaded',
    lines: [
      { series: 'blocking.eldP99', label: 'on the main thread' },
      { series: 'offloaded.eldP99', label: 'offloaded to the pool' },
    ],
  },
  {
    id: 'pair-elu',
    title: 'Main-thread utilisation: blocking vs offloaded',
    lines: [
      { series: 'blocking.elu', label: 'on the main thread' },
      { series: 'offloaded.elu', label: 'offloaded to the pool' },
    ],
  },
];

/** Two saved runs as one source: `blocking.<series>` from the main-thread run, `offloaded.<series>` from the pool's. */
class PairSource implements SeriesSource {
  readonly version = 0;

  constructor(private readonly runs: Partial<Record<Where, RunRecord>>) {}

  series(name: string): Series | undefined {
    for (const where of Object.keys(prefixOf) as Where[]) {
      const prefix = `${prefixOf[where]}.`;
      if (name.startsWith(prefix)) return this.runs[where]?.series[name.slice(prefix.length)];
    }
    return undefined;
  }

  seriesNames(): string[] {
    return (Object.keys(prefixOf) as Where[]).flatMap((where) => Object.keys(this.runs[where]?.series ?? {}).map((name) => `${prefixOf[where]}.${name}`));
  }
}

const draft = createRunDraft({ taskMs: '50', rate: '10', durationSec: '8' });

/** Only this page's runs (memory runs it named), not the Memory page's. */
const eventLoopRuns = { accepts: isEventLoopRun };

/** Saved runs looked through for the last of each placement. */
const LISTED = 200;

export function EventLoopPage(_props: PageProps) {
  const { client } = useServices();
  const run = useExperimentRun('memory', eventLoopRuns);
  const { form, setForm } = useRunDraft(draft);
  const { taskMs, rate, durationSec } = form;
  const [trace, setTrace] = useState<CallResponse<'runtime.phaseTrace'>['steps']>();
  const [traceError, setTraceError] = useState<{ code?: string; message: string }>();
  const [tracing, setTracing] = useState(false);

  const spec = (scenario: Where): MemorySpecInput => ({
    kind: 'memory',
    name: eventLoopRunName(scenario, taskMs),
    scenario,
    taskMs: Number(taskMs),
    rate: Number(rate),
    durationSec: Number(durationSec),
    probeIntervalMs: 250,
  });
  const check = MemorySpecSchema.safeParse(spec('cpu-main'));
  const problem = check.success ? undefined : check.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');

  const startRun = (scenario: Where) => void run.start(spec(scenario));

  const recordTrace = async () => {
    setTracing(true);
    setTraceError(undefined);
    try {
      setTrace((await client.call('runtime.phaseTrace', {})).steps);
    } catch (thrown) {
      setTraceError(errorOf(thrown));
    } finally {
      setTracing(false);
    }
  };

  const { live, record, running, status, finished } = run;
  const source = run.chartSource;

  // The last completed run of each placement, read again whenever this page's run is saved.
  const listed = useCall('runs.list', { limit: LISTED }, { refreshOn: record?.id });
  const lastIds = useMemo(() => {
    const ids: Partial<Record<Where, string>> = {};
    for (const item of listed.data?.runs ?? []) {
      const placement = item.kind === 'memory' && item.status === 'completed' ? placementOf(item) : undefined;
      if (placement && !ids[placement]) ids[placement] = item.id;
    }
    return ids;
  }, [listed.data]);
  const blocking = useRunRecord(lastIds['cpu-main']).record;
  const offloaded = useRunRecord(lastIds['cpu-pool']).record;
  const lastRuns = useMemo(() => {
    const runs: Partial<Record<Where, RunRecord>> = {};
    if (blocking) runs['cpu-main'] = blocking;
    if (offloaded) runs['cpu-pool'] = offloaded;
    return runs;
  }, [blocking, offloaded]);
  const pair = useMemo(() => new PairSource(lastRuns), [lastRuns]);
  const shownResults: Partial<Record<Where, Record<string, MetricValue>>> = {
    ...(blocking ? { 'cpu-main': blocking.summary } : {}),
    ...(offloaded ? { 'cpu-pool': offloaded.summary } : {}),
  };

  return (
    <div className="page">
      <header className="page-header">
        <h1>Event Loop</h1>
        <p className="page-intro">
          The same CPU task, first on the main thread, then offloaded to a worker-thread pool. Watch how late a 50 ms
          heartbeat timer fires and how the event-loop delay moves: on the main thread, every timer, request and callback
          waits for the task.
        </p>
      </header>

      <section className="panel" aria-label="Blocking versus offloading">
        <div className="form-grid">
          <Field label="CPU task (ms)">
            {(props) => <input {...props} type="number" step="any" inputMode="decimal" value={taskMs} disabled={running} onChange={(event) => setForm({ ...form, taskMs: event.target.value })} />}
          </Field>
          <Field label="Tasks per second">
            {(props) => <input {...props} type="number" step="any" inputMode="decimal" value={rate} disabled={running} onChange={(event) => setForm({ ...form, rate: event.target.value })} />}
          </Field>
          <Field label="Duration (s)">
            {(props) => (
              <input {...props} type="number" step="any" inputMode="decimal" value={durationSec} disabled={running} onChange={(event) => setForm({ ...form, durationSec: event.target.value })} />
            )}
          </Field>
        </div>
        {problem && <ErrorNote error={{ message: problem }} title="Settings" />}
        <div className="actions">
          <button type="button" className="primary" disabled={running || !!problem || run.pending !== undefined} onClick={() => startRun('cpu-main')}>
            Run on the main thread
          </button>
          <button type="button" className="primary" disabled={running || !!problem || run.pending !== undefined} onClick={() => startRun('cpu-pool')}>
            Offload to the pool
          </button>
          <button type="button" disabled={!running} onClick={() => void run.stop()}>
            Stop
          </button>
        </div>
        {run.actionError && <ErrorNote error={run.actionError} />}
        {live && source && (
          <>
            <div className="run-heading">
              <h2>{live.name}</h2>
              {status && <StatusBadge status={status} />}
              {finished && (
                <a className="run-link" href={href(`/runs/${live.runId}`)}>
                  Open saved run
                </a>
              )}
            </div>
            {live.progress && <ProgressBar done={live.progress.done} total={live.progress.total} unit={progressUnitOf('memory')} />}
            <div className="chart-grid">
              {charts.map((definition) => (
                <TimeSeriesChart key={definition.id} source={source} version={run.chartVersion} definition={definition} />
              ))}
            </div>
          </>
        )}
        <table className="data-table" aria-label="Main thread versus pool">
          <caption>Last run of each</caption>
          <thead>
            <tr>
              <th scope="col">Where the task ran</th>
              <th scope="col" className="num">Heartbeat late, worst (ms)</th>
              <th scope="col" className="num">Event-loop delay p99, worst (ms)</th>
              <th scope="col" className="num">Mean ELU (%)</th>
              <th scope="col">Run</th>
            </tr>
          </thead>
          <tbody>
            {(Object.keys(whereLabel) as Where[]).map((key) => {
              const summary = shownResults[key];
              const runId = lastIds[key];
              return (
                <tr key={key}>
                  <td>{whereLabel[key]}</td>
                  <td className="num">{summary ? formatNumber(summary.maxHeartbeatLateMs?.value ?? 0) : '—'}</td>
                  <td className="num">{summary ? formatNumber(summary.maxEldP99?.value ?? 0) : '—'}</td>
                  <td className="num">{summary?.meanElu ? formatNumber(displayValue(summary.meanElu.value, summary.meanElu.unit)) : '—'}</td>
                  <td>{runId ? <a href={href(`/runs/${runId}`)}>Open saved run</a> : <span className="muted">not run yet</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {blocking && offloaded ? (
          <section aria-label="Blocking versus offloaded">
            <h3>Blocking versus offloaded, one axis each</h3>
            <div className="chart-grid">
              {pairCharts.map((definition) => (
                <TimeSeriesChart key={definition.id} source={pair} version={0} definition={definition} />
              ))}
            </div>
          </section>
        ) : (
          <p className="muted">Run the task both ways to see the two side by side on one axis.</p>
        )}
      </section>

      <section className="panel" aria-label="Phase order">
        <h2>Phase order, recorded</h2>
        <p className="muted">
          A fresh Node process schedules nextTick, a promise, a 0 ms timer and an immediate from its main script and again
          from inside an fs.readFile callback, and records the order they really ran in.
        </p>
        <div className="actions">
          <button type="button" onClick={() => void recordTrace()} disabled={tracing}>
            {tracing ? 'Recording…' : 'Record phase order'}
          </button>
        </div>
        {traceError && <ErrorNote error={traceError} />}
        {trace && (
          <table className="data-table" aria-label="Recorded phase order">
            <thead>
              <tr>
                <th scope="col" className="num">#</th>
                <th scope="col">Callback</th>
                <th scope="col">Phase</th>
                <th scope="col" className="num">At (ms)</th>
                <th scope="col">Why here</th>
              </tr>
            </thead>
            <tbody>
              {trace.map((step, index) => (
                <tr key={step.label}>
                  <td className="num">{index + 1}</td>
                  <td>{step.label}</td>
                  <td>{step.phase}</td>
                  <td className="num">{formatNumber(step.atMs)}</td>
                  <td className="muted">{eventLoopPhaseNotes[step.phase]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
