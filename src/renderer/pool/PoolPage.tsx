import { useMemo } from 'react';
import type { PageProps } from '../app/pages.js';
import { EventsList, problemEvents } from '../components/EventsList.js';
import { RunHeading } from '../components/RunHeading.js';
import { SummaryTable } from '../components/SummaryTable.js';
import { defaultPoolForm, formFromSpec, specFromForm } from './pool-form.js';
import { PoolFormView } from './PoolFormView.js';
import { ExperimentForm } from '../runs/ExperimentForm.js';
import { useExperimentRun } from '../runs/use-experiment-run.js';
import { createRunDraft, useRunDraft } from '../runs/use-run-draft.js';
import { FindingsAndCharts } from '../runs/FindingsPanel.js';
import { RuntimePanel } from '../runtime/RuntimePanel.js';

const draft = createRunDraft(defaultPoolForm());

export function PoolPage({ route }: PageProps) {
  const run = useExperimentRun('pool');
  const runDraft = useRunDraft(draft, { from: route.query.get('from') ?? undefined, patch: route.query.get('patch') ?? undefined, fromRun: formFromSpec, running: run.live });

  const { form, setForm } = runDraft;
  const { spec, errors, valid } = useMemo(() => specFromForm(form), [form]);
  const { live, running, pending, record, chartSource, chartVersion } = run;

  return (
    <div className="page">
      <header className="page-header">
        <h1>Pool</h1>
        <p className="page-intro">Run a CPU task many times on a worker-thread pool and watch throughput, latency and the main thread.</p>
      </header>

      <section className="panel" aria-label="Experiment">
        <ExperimentForm run={run} draft={runDraft} spec={spec} canRun={valid} sweepPage="Pool" specProblem={errors.form}>
          <PoolFormView form={form} errors={errors} disabled={running || pending === 'start'} onChange={setForm} />
        </ExperimentForm>
      </section>

      {live && chartSource && (
        <section className="panel" aria-label="Current run">
          <RunHeading run={run} />
          <FindingsAndCharts kind="pool" source={chartSource} version={chartVersion} findings={record ? record.findings : live.findings} live={!record} run={record} />
          <div className="result-columns">
            <SummaryTable summary={record?.summary ?? live.summary} caption={record ? 'Summary' : 'Live summary'} />
            <EventsList title="Failures and warnings" events={problemEvents(record?.events ?? live.events)} />
          </div>
          <RuntimePanel kind="pool" source={chartSource} version={chartVersion} />
        </section>
      )}
    </div>
  );
}
