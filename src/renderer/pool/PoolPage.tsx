import { useMemo } from 'react';
import type { PageProps } from '../app/pages.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { EventsList, problemEvents } from '../components/EventsList.js';
import { RerunNote } from '../components/RerunNote.js';
import { RunHeading } from '../components/RunHeading.js';
import { RunStopButtons } from '../components/RunStopButtons.js';
import { SummaryTable } from '../components/SummaryTable.js';
import { SweepButton } from '../studies/SweepButton.js';
import { defaultPoolForm, formFromSpec, specFromForm } from './pool-form.js';
import { PoolFormView } from './PoolFormView.js';
import { useExperimentRun } from '../runs/use-experiment-run.js';
import { createRunDraft, useRunDraft } from '../runs/use-run-draft.js';
import { FindingsAndCharts } from '../runs/FindingsPanel.js';
import { RuntimePanel } from '../runtime/RuntimePanel.js';

const draft = createRunDraft(defaultPoolForm());

export function PoolPage({ route }: PageProps) {
  const run = useExperimentRun('pool');
  const { form, setForm, rerunOf, setRerunOf, prefillError } = useRunDraft(draft, { from: route.query.get('from') ?? undefined, patch: route.query.get('patch') ?? undefined, fromRun: formFromSpec, running: run.live });

  const { spec, errors, valid } = useMemo(() => specFromForm(form), [form]);
  const { live, running, pending, record, chartSource, chartVersion } = run;

  return (
    <div className="page">
      <header className="page-header">
        <h1>Pool</h1>
        <p className="page-intro">Run a CPU task many times on a worker-thread pool and watch throughput, latency and the main thread.</p>
      </header>

      <section className="panel" aria-label="Experiment">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (valid) void run.start(spec, rerunOf);
          }}
          noValidate
        >
          <PoolFormView form={form} errors={errors} disabled={running || pending === 'start'} onChange={setForm} />
          {errors.form && <ErrorNote error={{ message: errors.form }} title="Spec" />}
          <div className="actions">
            <RunStopButtons run={run} canRun={valid} />
            <SweepButton spec={spec} page="Pool" disabled={!valid} />
            <RerunNote rerunOf={rerunOf} onClear={() => setRerunOf(undefined)} />
          </div>
        </form>
        {prefillError && <ErrorNote error={prefillError} title="Could not read the run to rerun" />}
        {run.actionError && <ErrorNote error={run.actionError} />}
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
