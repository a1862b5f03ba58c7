import { useEffect, useState } from 'react';
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
import { formatNumber } from '../format.js';
import { createDraft, useDraft } from '../runs/drafts.js';
import { useExperimentRun } from '../runs/use-experiment-run.js';
import { createRunDraft, useRunDraft } from '../runs/use-run-draft.js';

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
    title: 'CPU and event-loop utilisation',
    lines: [
      { series: 'cpu', label: 'CPU (all threads)' },
      { series: 'elu', label: 'ELU (main thread)' },
    ],
  },
];

type Where = 'cpu-main' | 'cpu-pool';
const whereLabel: Record<Where, string> = { 'cpu-main': 'On the main thread', 'cpu-pool': 'Offloaded to the pool' };
const isWhere = (scenario: unknown): scenario is Where => scenario === 'cpu-main' || scenario === 'cpu-pool';

const draft = createRunDraft({ taskMs: '50', rate: '10', durationSec: '8' });

/** Headline numbers of the last run of each placement, so the two can be read side by side. */
const lastResults = createDraft<Partial<Record<Where, Record<string, MetricValue>>>>({});

export function EventLoopPage(_props: PageProps) {
  const { client } = useServices();
  const run = useExperimentRun('memory');
  const { form, setForm } = useRunDraft(draft);
  const { taskMs, rate, durationSec } = form;
  const [results] = useDraft(lastResults);
  const [where, setWhere] = useState<Where>('cpu-main');
  const [trace, setTrace] = useState<CallResponse<'runtime.phaseTrace'>['steps']>();
  const [traceError, setTraceError] = useState<{ code?: string; message: string }>();
  const [tracing, setTracing] = useState(false);

  const spec = (scenario: Where): MemorySpecInput => ({
    kind: 'memory',
    name: `event loop: ${taskMs} ms task ${scenario === 'cpu-main' ? 'on the main thread' : 'on the pool'}`,
    scenario,
    taskMs: Number(taskMs),
    rate: Number(rate),
    durationSec: Number(durationSec),
    probeIntervalMs: 250,
  });
  const check = MemorySpecSchema.safeParse(spec('cpu-main'));
  const problem = check.success ? undefined : check.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');

  const startRun = (scenario: Where) => {
    setWhere(scenario);
    void run.start(spec(scenario));
  };

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

  const { live, record, running, status } = run;
  const scenario = record?.spec.scenario ?? where;
  // The run just saved is shown at once, and kept for the next visit.
  const shownResults = record && isWhere(scenario) ? { ...results, [scenario]: record.summary } : results;
  useEffect(() => {
    if (record && isWhere(scenario)) lastResults.set({ ...lastResults.get(), [scenario]: record.summary });
  }, [record, scenario]);
  const source = run.chartSource;

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
            {(props) => <input {...props} inputMode="decimal" value={taskMs} disabled={running} onChange={(event) => setForm({ ...form, taskMs: event.target.value })} />}
          </Field>
          <Field label="Tasks per second">
            {(props) => <input {...props} inputMode="decimal" value={rate} disabled={running} onChange={(event) => setForm({ ...form, rate: event.target.value })} />}
          </Field>
          <Field label="Duration (s)">
            {(props) => (
              <input {...props} inputMode="decimal" value={durationSec} disabled={running} onChange={(event) => setForm({ ...form, durationSec: event.target.value })} />
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
            </div>
            {live.progress && <ProgressBar done={live.progress.done} total={live.progress.total} />}
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
              <th scope="col" className="num">Mean ELU</th>
            </tr>
          </thead>
          <tbody>
            {(Object.keys(whereLabel) as Where[]).map((key) => {
              const summary = shownResults[key];
              return (
                <tr key={key}>
                  <td>{whereLabel[key]}</td>
                  <td className="num">{summary ? formatNumber(summary.maxHeartbeatLateMs?.value ?? 0) : '—'}</td>
                  <td className="num">{summary ? formatNumber(summary.maxEldP99?.value ?? 0) : '—'}</td>
                  <td className="num">{summary ? formatNumber(summary.meanElu?.value ?? 0) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
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
