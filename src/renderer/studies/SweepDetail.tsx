import { useEffect, useState } from 'react';
import type { StreamPayload } from '../../shared/contract.js';
import { describeConfidence, describeSettings, type AnalysisTarget } from '../../shared/studies.js';
import type { SweepRecord } from '../../shared/specs/sweep.js';
import { href, navigate } from '../app/router.js';
import { useServices } from '../app/services.js';
import { useCall, type Problem } from '../app/use-call.js';
import { ErrorNote, errorOf } from '../components/ErrorNote.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatDuration, formatNumber, formatTimestamp } from '../format.js';
import { ExportButtons } from './ExportButtons.js';
import { labelWithKey } from '../../shared/headline-names.js';
import { shortMetricLabel, SweepChart } from './SweepChart.js';
import { sweepBuilderPath } from './sweep-draft.js';

/** #/sweeps/<id>: one sweep, live while it runs: its progress, recommendation, charts, points and runs. */
export function SweepDetail({ sweepId }: { sweepId: string }) {
  const { client } = useServices();
  const [target, setTarget] = useState<AnalysisTarget>();
  // The sweep shown stays while it is analysed again for a new target; a transition renders a 64-point sweep's tables in slices.
  const analysisOptions = target ? { target, latencyMetric: target.metric } : undefined;
  const { data, error, reload } = useCall('sweeps.get', { sweepId, ...(analysisOptions ? { analysis: analysisOptions } : {}) }, { keepPrevious: true, transition: true });
  const [progress, setProgress] = useState<StreamPayload<'sweep.progress'>>();
  const [actionError, setActionError] = useState<Problem>();
  const [pair, setPair] = useState<[number, number]>([0, 1]);
  // One chart at a time: a 64-point grid as eight charts at once blocks the page for a second.
  const [sliceIndex, setSliceIndex] = useState(0);
  const [rerunning, setRerunning] = useState(false);

  useEffect(
    () =>
      client.on('sweep.progress', (update) => {
        if (update.sweepId !== sweepId) return;
        setProgress(update);
        reload();
      }),
    [client, sweepId, reload],
  );

  const stop = () => client.call('sweeps.stop', { sweepId }).catch((thrown: unknown) => setActionError(errorOf(thrown)));
  const resume = () => {
    setActionError(undefined);
    return client.call('sweeps.resume', { sweepId }).then(reload, (thrown: unknown) => setActionError(errorOf(thrown)));
  };

  // Same spec, seed included: the same runs in the same order, as a new sweep beside this one.
  const rerun = async (spec: SweepRecord['spec']) => {
    setRerunning(true);
    setActionError(undefined);
    try {
      const { sweepId: newId } = await client.call('sweeps.start', { spec });
      navigate(`/sweeps/${encodeURIComponent(newId)}`);
    } catch (thrown) {
      setActionError(errorOf(thrown));
    } finally {
      setRerunning(false);
    }
  };

  if (error && !data) return <ErrorNote error={error} title="Could not open the sweep" />;
  if (!data) return <p className="muted">Loading…</p>;
  const { sweep, analysis } = data;
  const running = sweep.status === 'running';
  const [firstAxis, secondAxis] = sweep.spec.axes;
  const slices = secondAxis ? secondAxis.values.map((value) => ({ label: `${secondAxis.path}=${String(value)}`, value })) : [{ label: 'all', value: undefined }];
  const latencyMetrics = Object.entries(analysis.units).filter(([, unit]) => unit === 'ms').map(([name]) => name);
  const nameOf = (metric: string) => labelWithKey(metric, analysis.labels?.[metric]);
  const runsToGo = sweep.totalRuns - sweep.runs.filter((run) => run.status === 'completed').length;

  return (
    <div className="page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={href('/sweeps')}>Sweeps</a> / <span>{sweep.id}</span>
      </nav>
      <header className="page-header">
        <div className="run-heading">
          <h1>{sweep.name}</h1>
          <StatusBadge status={sweep.status} />
        </div>
        <dl className="facts">
          <dt>Kind</dt>
          <dd>{sweep.spec.base.kind}</dd>
          <dt>Swept</dt>
          <dd>{sweep.spec.axes.map((axis) => `${axis.path} ∈ {${axis.values.join(', ')}}`).join(' × ') || 'repeats only'}</dd>
          <dt>Repeats</dt>
          <dd>
            {sweep.spec.repeats} per point, {sweep.spec.warmup} warm-up, {sweep.spec.order} order
          </dd>
          <dt>Started</dt>
          <dd>{formatTimestamp(sweep.startedAt)}</dd>
        </dl>
      </header>
      {running && (
        <section className="panel" aria-label="Progress">
          <ProgressBar done={sweep.runs.length} total={sweep.totalRuns} label="Sweep progress" />
          <p className="muted">
            {progress
              ? `Point ${progress.point + 1} of ${progress.points} · ${
                  progress.etaMs !== null ? `about ${formatDuration(progress.etaMs)} left` : 'time left known after the first run'
                }`
              : 'Starting…'}
          </p>
          <div className="actions">
            <button type="button" className="danger-outline" onClick={() => void stop()}>
              Stop sweep
            </button>
          </div>
        </section>
      )}
      {!running && (
        <div className="actions">
          {sweep.status !== 'completed' && runsToGo > 0 && (
            <button type="button" className="primary" onClick={() => void resume()}>
              Resume ({runsToGo} run{runsToGo === 1 ? '' : 's'} to go)
            </button>
          )}
          <button type="button" disabled={rerunning} onClick={() => void rerun(sweep.spec)}>
            Rerun sweep
          </button>
          <button type="button" onClick={() => navigate(sweepBuilderPath(sweep.spec, `Editing a copy of sweep ${sweep.id}; it starts as a new sweep.`))}>
            Edit sweep
          </button>
        </div>
      )}
      {(sweep.status === 'stopped' || sweep.status === 'interrupted') && (
        <div className="warning" role="status">
          {sweep.status === 'stopped' ? 'Stopped' : 'Interrupted (the workbench stopped during it)'}: the analysis covers the{' '}
          {sweep.runs.length} of {sweep.totalRuns} runs that were made. Resume runs only what is missing.
        </div>
      )}
      {actionError && <ErrorNote error={actionError} />}
      {sweep.error && <ErrorNote error={sweep.error} title="Sweep failed" />}
      <section className="panel" aria-label="Recommendation">
        <h3>Recommendation</h3>
        <div className="form-group">
          <div className="field">
            <label htmlFor="target-metric">Target metric</label>
            <select
              id="target-metric"
              value={target?.metric ?? ''}
              onChange={(e) => setTarget(e.target.value ? { metric: e.target.value, op: '<', value: target?.value ?? 50 } : undefined)}
            >
              <option value="">No target</option>
              {latencyMetrics.map((name) => (
                <option key={name} value={name}>
                  {nameOf(name)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="target-value">Must stay below (ms)</label>
            <input
              id="target-value"
              type="number"
              min={0}
              value={target?.value ?? 50}
              disabled={!target}
              onChange={(e) => target && setTarget({ ...target, value: Number(e.target.value) })}
            />
          </div>
        </div>
        <ul className="evidence">
          {analysis.knees.map((knee) => (
            <li key={knee.slice}>
              <strong>
                Knee{knee.slice === 'all' ? '' : ` (${knee.slice})`}: {knee.settings ? describeSettings(knee.settings) : 'none'}
              </strong>{' '}
              {knee.settings ? `— ${describeConfidence(knee.confidence, knee.decisive)}. ` : '— '}{knee.evidence.join(' ')}
            </li>
          ))}
          {analysis.best && (
            <li>
              <strong>
                Best{analysis.best.target ? ` with ${analysis.best.target.metric} ${analysis.best.target.op} ${analysis.best.target.value}` : ''}:{' '}
                {analysis.best.settings ? describeSettings(analysis.best.settings) : 'none'}
              </strong>{' '}
              {analysis.best.settings ? `— ${describeConfidence(analysis.best.confidence, analysis.best.decisive)}. ` : '— '}{analysis.best.evidence.join(' ')}
            </li>
          )}
          {analysis.warnings.map((warning) => (
            <li key={warning} className="muted">
              Caution: {warning}
            </li>
          ))}
        </ul>
      </section>
      {firstAxis && analysis.metric && (
        <section className="panel" aria-label="Sweep charts">
          {secondAxis && (
            <div className="field">
              <label htmlFor="sweep-slice">{secondAxis.path}</label>
              <select id="sweep-slice" value={sliceIndex} onChange={(e) => setSliceIndex(Number(e.target.value))}>
                {slices.map((slice, index) => (
                  <option key={slice.label} value={index}>
                    {String(slice.value)}
                  </option>
                ))}
              </select>
            </div>
          )}
          {slices.slice(sliceIndex, sliceIndex + 1).map((slice) => {
            const points = analysis.points
              .filter((p) => slice.value === undefined || p.settings[secondAxis!.path] === slice.value)
              .sort((a, b) => firstAxis.values.indexOf(a.settings[firstAxis.path]!) - firstAxis.values.indexOf(b.settings[firstAxis.path]!));
            const kneeIndex = analysis.knees.find((k) => k.slice === slice.label)?.point;
            return (
              <SweepChart
                key={slice.label}
                title={slice.label === 'all' ? `${shortMetricLabel(analysis.labels ?? {}, analysis.metric!)} by ${firstAxis.path}` : slice.label}
                axisPath={firstAxis.path}
                points={points}
                metric={analysis.metric!}
                latencyMetric={analysis.latencyMetric}
                units={analysis.units}
                labels={analysis.labels ?? {}}
                target={target}
                knee={points.find((p) => p.index === kneeIndex)}
              />
            );
          })}
        </section>
      )}
      <section className="panel" aria-label="Points">
        <table className="data-table" aria-label="Sweep points">
          <thead>
            <tr>
              <th scope="col">Point</th>
              <th scope="col">Settings</th>
              {[analysis.metric, analysis.latencyMetric].filter((n): n is string => Boolean(n)).map((name) => (
                <th key={name} scope="col" className="num">
                  {nameOf(name)} (95% CI)
                </th>
              ))}
              <th scope="col" className="num">
                n
              </th>
            </tr>
          </thead>
          <tbody>
            {analysis.points.map((point) => (
              <tr key={point.index}>
                <td>{point.index}</td>
                <td>{describeSettings(point.settings)}</td>
                {[analysis.metric, analysis.latencyMetric].filter((n): n is string => Boolean(n)).map((name) => {
                  const stat = point.metrics[name];
                  return (
                    <td key={name} className="num nowrap">
                      {stat ? `${formatNumber(stat.mean)} [${formatNumber(stat.low)} … ${formatNumber(stat.high)}]` : '–'}
                    </td>
                  );
                })}
                <td className="num">{Object.values(point.metrics)[0]?.n ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {analysis.points.length > 1 && (
          <div className="form-group">
            {(['Baseline point', 'Candidate point'] as const).map((label, side) => (
              <div className="field" key={label}>
                <label htmlFor={`pair-${side}`}>{label}</label>
                <select
                  id={`pair-${side}`}
                  value={pair[side]}
                  onChange={(e) => setPair((p) => (side === 0 ? [Number(e.target.value), p[1]] : [p[0], Number(e.target.value)]))}
                >
                  {analysis.points.map((point) => (
                    <option key={point.index} value={point.index}>
                      {point.index}: {describeSettings(point.settings)}
                    </option>
                  ))}
                </select>
              </div>
            ))}
            <div className="actions">
              <button type="button" onClick={() => navigate(`/compare?sweep=${encodeURIComponent(sweep.id)}&a=${pair[0]}&b=${pair[1]}`)}>
                Compare points
              </button>
            </div>
          </div>
        )}
      </section>
      <section className="panel" aria-label="Sweep runs">
        <h3>Runs</h3>
        <ol className="sweep-runs">
          {sweep.runs.map((run) => (
            <li key={run.runId}>
              <a href={href(`/runs/${encodeURIComponent(run.runId)}`)}>{run.runId}</a> — point {run.point}
              {run.repeat < 0 ? ' (warm-up)' : `, repeat ${run.repeat + 1}`}, {run.status}, {formatDuration(run.durationMs)}
            </li>
          ))}
        </ol>
      </section>
      {!running && <ExportButtons target={{ sweepId: sweep.id, ...(analysisOptions ? { analysis: analysisOptions } : {}) }} what="sweep" />}
    </div>
  );
}
