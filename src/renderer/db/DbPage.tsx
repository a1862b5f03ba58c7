import { useMemo } from 'react';
import type { PageProps } from '../app/pages.js';
import { RecordTableView } from '../components/RecordTableView.js';
import { recordTablePresentation } from '../components/record-tables.js';
import { RunHeading } from '../components/RunHeading.js';
import { SummaryTable } from '../components/SummaryTable.js';
import { ConnectionPanel } from './ConnectionPanel.js';
import { defaultDbForm, formFromSpec, specFromForm } from './db-form.js';
import { DbFormView } from './DbFormView.js';
import { QueryPlans } from './QueryPlans.js';
import { useLiveRunTables } from './use-run-tables.js';
import { ExperimentForm } from '../runs/ExperimentForm.js';
import { useExperimentRun } from '../runs/use-experiment-run.js';
import { createRunDraft, useRunDraft } from '../runs/use-run-draft.js';
import { FindingsAndCharts } from '../runs/FindingsPanel.js';
import { RuntimePanel } from '../runtime/RuntimePanel.js';

const draft = createRunDraft(defaultDbForm());

export function DbPage({ route }: PageProps) {
  const run = useExperimentRun('db');
  const runDraft = useRunDraft(draft, { from: route.query.get('from') ?? undefined, patch: route.query.get('patch') ?? undefined, fromRun: formFromSpec, running: run.live });

  const { form, setForm } = runDraft;
  const { spec, errors, valid } = useMemo(() => specFromForm(form), [form]);
  const { live, running, pending, record, chartSource, chartVersion } = run;
  const liveTables = useLiveRunTables(run.runId, running);
  const tables = record?.tables ?? liveTables;
  const formErrorText = Object.entries(errors)
    .filter(([path]) => !/^(workload\.|pool\.|name$|concurrency$|durationSec$|operations$|slowQueryMs$|seed$)/.test(path))
    .map(([path, message]) => `${path}: ${message}`)
    .join('; ');

  return (
    <div className="page">
      <header className="page-header">
        <h1>Database</h1>
        <p className="page-intro">
          Tune a node-postgres pool against real PostgreSQL: throughput, latency, pool clients, acquire wait and per-query statistics.
        </p>
      </header>

      <section className="panel" aria-label="Experiment">
        <ConnectionPanel
          target={form.target}
          disabled={running}
          onChange={(target) => setForm({ ...form, target })}
          runState={`${run.runId ?? ''}:${run.status ?? ''}`}
        />
        <ExperimentForm run={run} draft={runDraft} spec={spec} canRun={valid} sweepPage="Database" specProblem={formErrorText}>
          <DbFormView form={form} errors={errors} disabled={running || pending === 'start'} onChange={setForm} />
        </ExperimentForm>
      </section>

      {live && chartSource && (
        <section className="panel" aria-label="Current run">
          <RunHeading run={run} />
          <FindingsAndCharts kind="db" source={chartSource} version={chartVersion} findings={record ? record.findings : live.findings} live={!record} run={record} />
          <RecordTableView table={tables?.queryStats} {...recordTablePresentation('queryStats')} />
          {record && <QueryPlans runId={record.id} queryStats={tables?.queryStats} />}
          {tables?.cases && <RecordTableView table={tables.cases} {...recordTablePresentation('cases')} />}
          {tables?.pgStatStatements && (
            <RecordTableView table={tables.pgStatStatements} {...recordTablePresentation('pgStatStatements')} />
          )}
          <div className="result-columns">
            <SummaryTable summary={record?.summary ?? live.summary} caption={record ? 'Summary' : 'Live summary'} />
            <RecordTableView table={tables?.slowQueries} {...recordTablePresentation('slowQueries')} />
          </div>
          {tables?.errors && <RecordTableView table={tables.errors} {...recordTablePresentation('errors')} />}
          <RuntimePanel kind="db" source={chartSource} version={chartVersion} />
        </section>
      )}
    </div>
  );
}
