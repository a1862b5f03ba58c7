import { useMemo, useState } from 'react';
import { describeCompareMethods, INDICATIVE_LABEL, type CompareSideRef, type ComparisonRow } from '../../shared/studies.js';
import type { PageProps } from '../app/pages.js';
import { navigate } from '../app/router.js';
import { useCall } from '../app/use-call.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { forestRows } from '../../shared/forest-plot.js';
import { formatMetric } from '../format.js';
import { ExportButtons } from './ExportButtons.js';
import { ForestPlot } from './ForestPlot.js';
import { labelWithKey } from '../../shared/headline-names.js';

const VERDICTS: Record<ComparisonRow['verdict'], string> = {
  better: 'Better',
  worse: 'Worse',
  changed: 'Changed',
  'no-difference': 'No significant difference',
  'insufficient-data': 'Not enough data',
  inconclusive: 'Inconclusive (busy machine)',
};

function pct(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return '–';
  const value = ratio * 100;
  return `${value > 0 ? '+' : ''}${value.toFixed(Math.abs(value) < 10 ? 1 : 0)} %`;
}

/** Two runs (or two sweep points) side by side: every metric with its interval and a verdict. */
export function ComparePage({ route }: PageProps) {
  const [noiseFloor, setNoiseFloor] = useState(3);
  const [allowNoisy, setAllowNoisy] = useState(false);
  const [objective, setObjective] = useState<string | undefined>(undefined);
  const query = route.query;
  const sweepId = query.get('sweep');
  const baselineId = query.get('baseline') ?? '';
  const candidateId = query.get('candidate') ?? '';

  const pointA = query.get('a');
  const pointB = query.get('b');
  const sides = useMemo((): [CompareSideRef, CompareSideRef] | undefined => {
    if (sweepId) return [{ sweepId, point: Number(pointA ?? 0) }, { sweepId, point: Number(pointB ?? 1) }];
    return baselineId && candidateId ? [{ runIds: [baselineId] }, { runIds: [candidateId] }] : undefined;
  }, [sweepId, baselineId, candidateId, pointA, pointB]);

  const list = useCall('runs.list', {});
  const runs = useMemo(() => (list.data?.runs ?? []).filter((run) => run.status !== 'running'), [list.data]);
  // The comparison shown stays while a changed one (noise floor, judge anyway) is computed.
  const compared = useCall(
    'runs.compare',
    sides
      ? { baseline: sides[0], candidate: sides[1], options: { noiseFloorPct: noiseFloor }, allowNoisy, ...(objective ? { objective } : {}) }
      : undefined,
    { keepPrevious: true },
  );
  const comparison = compared.data?.comparison;
  const plotted = useMemo(() => (comparison ? forestRows(comparison) : []), [comparison]);
  const problem = compared.error ?? list.error;

  const pick = (side: 'baseline' | 'candidate', id: string) => {
    const next = { baseline: baselineId, candidate: candidateId, [side]: id };
    // Another pair may not have the chosen objective: start again from the kind's default.
    setObjective(undefined);
    navigate(`/compare?baseline=${encodeURIComponent(next.baseline)}&candidate=${encodeURIComponent(next.candidate)}`);
  };

  return (
    <div className="page">
      <header className="page-header">
        <h1>Compare</h1>
        <p className="page-intro">
          The verdict on the objective comes first, then every metric&apos;s change with its interval, then the table. A difference
          counts as significant only when its 95% interval lies entirely beyond the noise floor. With repeats, every metric is judged
          on one value per run; with one run per side, verdicts are indicative.
        </p>
      </header>
      <section className="panel" aria-label="What to compare">
        <div className="form-group">
          {!sweepId &&
            (['baseline', 'candidate'] as const).map((side) => (
              <div className="field" key={side}>
                <label htmlFor={`compare-${side}`}>{side === 'baseline' ? 'Baseline run' : 'Candidate run'}</label>
                <select id={`compare-${side}`} value={side === 'baseline' ? baselineId : candidateId} onChange={(e) => pick(side, e.target.value)}>
                  <option value="">Choose a run…</option>
                  {runs.map((run) => (
                    <option key={run.id} value={run.id}>
                      {run.name || run.id} — {run.id}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          <div className="field">
            <label htmlFor="noise-floor">Noise floor (%)</label>
            <input id="noise-floor" type="number" min={0} max={100} step={0.5} value={noiseFloor} onChange={(e) => setNoiseFloor(Number(e.target.value))} />
          </div>
        </div>
      </section>
      {problem && <ErrorNote error={problem} title="Could not compare" />}
      {comparison && sides && (
        <>
          {comparison.verdict && (
            <section className="panel compare-verdict" aria-label="Verdict">
              <h2>Verdict</h2>
              <p className={`verdict-line verdict-${comparison.verdict.outcome}`} data-testid="compare-verdict">
                {comparison.verdict.headline}
              </p>
              {comparison.verdict.advice.length > 0 && (
                <p className="muted">To decide it: {comparison.verdict.advice.join('; ')}.</p>
              )}
              <div className="form-group">
                <div className="field">
                  <label htmlFor="compare-objective">Objective</label>
                  <select id="compare-objective" value={comparison.verdict.objective} onChange={(e) => setObjective(e.target.value)}>
                    {comparison.rows
                      .filter((row) => row.better !== 'neither' || row.metric === comparison.verdict?.objective)
                      .map((row) => (
                        <option key={row.metric} value={row.metric}>
                          {labelWithKey(row.metric, row.label)}
                        </option>
                      ))}
                  </select>
                </div>
              </div>
              {comparison.noise?.blocked && (
                <label>
                  <input type="checkbox" checked={allowNoisy} onChange={(e) => setAllowNoisy(e.target.checked)} /> Judge anyway (the machine
                  was busy)
                </label>
              )}
            </section>
          )}
          {plotted.length > 0 && (
            <section className="panel" aria-label="Forest plot">
              <ForestPlot rows={plotted} noiseFloor={comparison.options.noiseFloorPct / 100} />
            </section>
          )}
          <section className="panel" aria-label="Comparison">
            <table className="data-table" aria-label="Comparison table">
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  <th scope="col" className="num">
                    Baseline
                  </th>
                  <th scope="col" className="num">
                    Candidate
                  </th>
                  <th scope="col" className="num">
                    Δ
                  </th>
                  <th scope="col" className="num">
                    Δ %
                  </th>
                  <th scope="col" className="num">
                    95% CI of Δ %
                  </th>
                  <th scope="col">Basis</th>
                  <th scope="col">Verdict</th>
                </tr>
              </thead>
              <tbody>
                {comparison.rows.map((row) => (
                  <tr key={row.metric} className={row.significant ? `verdict-${row.verdict}` : undefined}>
                    <th scope="row" title={row.metric}>
                      {row.label ?? row.metric}
                    </th>
                    <td className="num nowrap">{row.baseline === null ? '–' : formatMetric({ value: row.baseline, unit: row.unit })}</td>
                    <td className="num nowrap">{row.candidate === null ? '–' : formatMetric({ value: row.candidate, unit: row.unit })}</td>
                    <td className="num nowrap">{row.diff === null ? '–' : `${row.diff > 0 ? '+' : ''}${formatMetric({ value: row.diff, unit: row.unit })}`}</td>
                    <td className="num nowrap">{pct(row.relDiff)}</td>
                    <td className="num nowrap">{row.relCi ? `${pct(row.relCi.low)} … ${pct(row.relCi.high)}` : '–'}</td>
                    <td className="nowrap">{row.basis === 'none' ? 'no interval' : `${row.basis} (n=${row.n.baseline}/${row.n.candidate})`}</td>
                    <td>
                      {row.significant ? <strong>{VERDICTS[row.verdict]}</strong> : VERDICTS[row.verdict]}
                      {row.significant && row.basis === 'per-item' && ' (indicative)'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              <strong>Baseline:</strong> {comparison.baseline.label} ({comparison.baseline.runIds.length} run(s)) ·{' '}
              <strong>Candidate:</strong> {comparison.candidate.label} ({comparison.candidate.runIds.length} run(s))
            </p>
            {comparison.specChanges.length > 0 && (
              <p>
                Changed:{' '}
                {comparison.specChanges.map((c) => `${c.path} ${JSON.stringify(c.baseline)} → ${JSON.stringify(c.candidate)}`).join(', ')}
              </p>
            )}
            {comparison.inconclusive && (
              <p className="warning" role="alert">
                Machine: {comparison.inconclusive}. No difference is called significant; rerun on a quiet machine.
              </p>
            )}
            {comparison.indicative && (
              <p className="warning" role="status">
                Verdicts are {INDICATIVE_LABEL}: compare runs with repeats (a sweep with repeats) to judge them.
              </p>
            )}
            {comparison.warnings.map((warning) => (
              <div key={warning} className="warning" role="status">
                {warning}
              </div>
            ))}
            <ul className="muted" aria-label="Method">
              {describeCompareMethods(comparison).map((method) => (
                <li key={method}>{method}</li>
              ))}
            </ul>
          </section>
          <ExportButtons
            target={{ baseline: sides[0], candidate: sides[1], options: { noiseFloorPct: noiseFloor }, allowNoisy, ...(objective ? { objective } : {}) }}
            what="comparison"
          />
        </>
      )}
    </div>
  );
}
